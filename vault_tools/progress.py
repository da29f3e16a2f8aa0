"""A progress line on stderr for long runs on a terminal; never in pipes or CI logs."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")

MIN_ITEMS = 300  # below this a run is over before a bar is worth reading
_INTERVAL = 0.1  # seconds between redraws


def wanted(total: int, stream: TextIO | None = None) -> bool:
    stream = stream or sys.stderr
    return (total >= MIN_ITEMS and stream.isatty() and not os.environ.get("CI")
            and os.environ.get("TERM") != "dumb")


def track(items: Iterable[T], total: int, label: str, stream: TextIO | None = None
          ) -> Iterator[T]:
    """Yield `items` unchanged, drawing `label [#####.....] n/total` while they flow."""
    out = stream or sys.stderr
    if not wanted(total, out):
        yield from items
        return
    last = 0.0
    done = 0
    try:
        for item in items:
            done += 1
            now = time.monotonic()
            if now - last >= _INTERVAL or done == total:
                last = now
                filled = 30 * done // total
                out.write(f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
                out.flush()
            yield item
    finally:
        out.write("\r\x1b[2K")  # clear the line so the report starts clean
        out.flush()
