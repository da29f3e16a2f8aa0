"""Where a command's main output goes: stdout, or a file written atomically if it changed."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from vault_tools.errors import UsageError
from vault_tools.safe_write import atomic_text_output


@contextlib.contextmanager
def open_output(target: Path | None) -> Iterator[TextIO]:
    """UTF-8 whatever the locale, no newline translation (CSV writes its own `\\r\\n`)."""
    if target is None or str(target) == "-":
        # surrogateescape: a file name that is not UTF-8 goes out as the bytes it was.
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="",
                                  errors="surrogateescape")
        try:
            yield stream
            stream.flush()
        finally:
            stream.detach()
        return
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; give a file name to -o")
    if not target.parent.exists():
        raise UsageError(f"{target}: folder {target.parent} does not exist")
    with atomic_text_output(target) as file_stream:
        yield file_stream
