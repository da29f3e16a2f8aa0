"""Names, paths and headings as Obsidian compares them when it follows a link.

Pure functions of text, kept apart from the index that applies them to both sides of every
comparison: what a name or heading matches is decided here, where the vault is searched for it
in linkindex (tests check `strip_heading` on Obsidian's own cases with no index at all).
"""

from __future__ import annotations

import re
import unicodedata

# Obsidian's stripHeading(): each of these counts as a space when a link's heading is compared
# with a note's heading, so `[[N#Q A what's next]]` reaches `## Q&A: what's next?`.
_HEADING_PUNCTUATION = re.compile(r"[!\"#$%&()*+,.:;<=>?@^`{|}~/\[\]\\\r\n]")
_SPACES = re.compile(r"\s+")


def strip_heading(text: str) -> str:
    """A heading as Obsidian compares it with the heading part of a link."""
    return _SPACES.sub(" ", _HEADING_PUNCTUATION.sub(" ", text)).strip().lower()


def fold(path: str) -> str:
    """A path or name as it is compared: NFC, lower case, non-breaking spaces as spaces."""
    if not path.isascii():
        path = unicodedata.normalize("NFC", path.replace("\u00a0", " ").replace("\u202f", " "))
    return path.replace("\\", "/").lower()
