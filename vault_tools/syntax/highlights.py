"""`==highlights==`: delimiters flank non-space text (like `**`), no `==` inside, one paragraph."""

from __future__ import annotations

import re

HIGHLIGHT = re.compile(r"(?<![=\\])==(?=[^\s=])((?:[^=]|=(?!=))+?)(?<=[^\s=])==(?!=)")
DELIMITER = re.compile(r"(?<![=\\])==(?!=)")
EMPTY = re.compile(r"(?<![=\\])====(?!=)")


def find_highlights(masked: str) -> list[tuple[int, int]]:
    """(start, end) of each highlight's text, delimiters excluded."""
    if "==" not in masked:
        return []
    return [match.span(1) for match in HIGHLIGHT.finditer(masked)]
