"""Callouts: a blockquote whose first line is `[!type]`, with `+`/`-` (foldable) and a title."""

from __future__ import annotations

import re

CALLOUT = re.compile(r"^\[!([^\]\s]+)\]([+-]?)(?:[ \t]+(.*))?$")


def parse_callout(first_line: str) -> tuple[str, str | None, str] | None:
    """(type lower-cased, fold or None, title) when the quote's first line opens a callout."""
    match = CALLOUT.match(first_line.strip())
    if match is None:
        return None
    return match.group(1).lower(), match.group(2) or None, (match.group(3) or "").strip()
