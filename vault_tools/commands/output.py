"""Where a command's main output goes: stdout, or a file written atomically if it changed."""

from __future__ import annotations

import codecs
import contextlib
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from vault_tools.errors import UsageError
from vault_tools.safe_write import atomic_text_output

ESCAPE_NAME_BYTES = "vault-tools-escape-name-bytes"


def _escape_name_bytes(error: UnicodeError) -> tuple[str, int]:
    """A file name that is not UTF-8 (Latin-1 names synced from an old system) reaches Python
    with its odd bytes as lone surrogates (U+DC80-U+DCFF), which no UTF-8 stream accepts.
    Written as the bytes they were, they made the output invalid UTF-8, and a file given to -o
    failed to write. They go out as `\\xe9`, as discover.printable_path names such notes (JSON
    writers call it themselves: a backslash added here would be a bad JSON escape); any other
    lone surrogate (from a YAML `"\\ud800"`) as `\\ud800`."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start:error.end]
    return "".join(map(_escaped, bad)), error.end


def _escaped(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    # Only a stream that cannot take a character (stderr in an ASCII locale) asks for these.
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


codecs.register_error(ESCAPE_NAME_BYTES, _escape_name_bytes)


def escape_name_bytes_on(stream: TextIO) -> None:
    """Error messages, a note's problems and progress on stderr name a note as the reports
    do (`caf\\xe9.md`), not as Python's default handler does (`caf\\udce9.md`)."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors=ESCAPE_NAME_BYTES)


@contextlib.contextmanager
def open_output(target: Path | None) -> Iterator[TextIO]:
    """UTF-8 whatever the locale, no newline translation (CSV writes its own `\\r\\n`)."""
    if target is None or str(target) == "-":
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="",
                                  errors=ESCAPE_NAME_BYTES)
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
    with atomic_text_output(target, errors=ESCAPE_NAME_BYTES) as file_stream:
        yield file_stream
