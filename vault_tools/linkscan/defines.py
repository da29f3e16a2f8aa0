"""Whether a note may define link reference targets (`[label]: url`): such a note is
parsed, not scanned.
"""

from __future__ import annotations

import re

# A line where a link reference definition may start: after any container markers (quotes,
# list items, footnote labels), `[` and a label ending with `]:` or running on to the next
# line, unless it is a footnote's label. A definition may run over several lines (its label,
# url or title); markdown-it-py's reference rule alone knows where it ends.
_DEFINITION_START = re.compile(
    r"(?:[ \t>]|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)|\[\^[^\]\n]*\]:)*"
    r"\[(?!\^[^\]\s]+\]:)(?:[^\[\]\\\n]|\\.)*(?:\]:|\\?$)", re.MULTILINE)
_ESCAPED = re.compile(r"\\.")


def may_define(text: str) -> bool:
    """Whether a link reference definition may start on some line of `text`. Each holds `]:`
    where its label ends, on its first line or on one its label ran on to."""
    at = text.find("]:")
    while at >= 0:
        if _label_starts(text, at):
            return True
        at = text.find("]:", at + 2)
    return False


def _label_starts(text: str, at: int) -> bool:
    """Whether a definition may start on the line holding `]:` at `at`, or on one above it
    from which its label runs on over lines with no bracket (but escaped ones) and no blank."""
    end, start = at, text.rfind("\n", 0, at) + 1
    while not _DEFINITION_START.match(text, start):
        line = _ESCAPED.sub("", text[start:end])
        if not start or "[" in line or "]" in line:
            return False
        end, start = start - 1, text.rfind("\n", 0, start - 1) + 1
        if not text[start:end].strip(" \t"):
            return False
    return True
