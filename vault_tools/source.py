"""Bytes of a note -> SourceText: decoded text with `\\n` line ends, plus what is needed to write
it back unchanged (newline style, BOM) and to report positions in the original file.

Decoding never raises: bytes that are not UTF-8 become a Problem with the byte offset, and the
note is then parsed from a lossy decoding so that the run still sees something of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from vault_tools.model import Problem

BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class SourceText:
    """`text` uses `\\n` only; it has exactly the lines of the file, so line numbers carry over."""

    text: str
    newline: str = "\n"  # the file's dominant line ending: "\n", "\r\n" or "\r"
    bom: bool = False
    problems: tuple[Problem, ...] = ()

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def encode(self, text: str | None = None) -> bytes:
        """The bytes to write for `text` (default: this text) in the file's own style."""
        body = self.text if text is None else text
        if self.newline != "\n":
            body = body.replace("\n", self.newline)
        return ((BOM if self.bom else "") + body).encode("utf-8")


def detect_newline(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    best = max((lf, "\n"), (crlf, "\r\n"), (cr, "\r"), key=lambda pair: pair[0])
    return best[1] if best[0] else "\n"


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes) -> SourceText:
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(data, exc.start)
        problems.append(
            Problem("VT001", f"not UTF-8: invalid byte 0x{data[exc.start]:02x} at byte offset "
                    f"{exc.start}", line)
        )
        text = data.decode("utf-8", errors="replace")
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if "\x00" in text:
        # markdown-it replaces NUL too; do it here so that positions agree everywhere.
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.append(Problem("VT003", "file contains NUL bytes (binary data?)", line))
        text = text.replace("\x00", "\ufffd")
    newline = "\n"
    if "\r" in text:
        newline = detect_newline(text)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(text, newline, bom, tuple(problems))
