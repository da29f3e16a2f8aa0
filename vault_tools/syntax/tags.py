"""Inline `#tags`: after whitespace or at a line start, at least one character that is not a
digit (`#123` is not a tag), `/` for nesting.

The characters come from what Obsidian refuses rather than what it takes: whitespace, ASCII
punctuation except `_`, `-` and `/`, and general punctuation end a tag; letters of any script,
digits and emoji (kepano's vault uses `#0🌲`) belong to it. FM004 judges frontmatter tags with
the same set.
"""

from __future__ import annotations

import re

_REJECTED = (r"\s\x00!\"#$%&'()*+,.:;<=>?@\[\\\]^`{|}~"
             r"\u2000-\u200a\u2010-\u206f\u2e00-\u2e7f\u3000-\u303f\uff01-\uff0f")
REJECTED = re.compile(f"[{_REJECTED}]")
# `#` after whitespace or at the start (a line's start follows a newline). The look-behind
# comes after the `#` so that the pattern starts with a literal: searched for three times as
# fast as when each position is tried.
TAG = re.compile(f"#(?<!\\S#)([^{_REJECTED}]+)")


# How a frontmatter string of tags splits (`tags: a, b c`): a tag holds no comma or space.
STRING_SEPARATORS = re.compile(r"[,\s]+")


def is_tag_name(name: str) -> bool:
    return any(not ch.isdigit() for ch in name)


def is_valid_name(name: str) -> bool:
    """A name written anywhere (a frontmatter `tags` item) that Obsidian takes as a tag."""
    return is_tag_name(name) and REJECTED.search(name) is None


def find_tags(masked: str) -> list[tuple[str, int]]:
    """(name, offset of the `#`) of each tag."""
    if "#" not in masked:
        return []
    return [(m.group(1), m.start()) for m in TAG.finditer(masked) if is_tag_name(m.group(1))]


def normalise(tag: str) -> str:
    """Frontmatter spelling -> tag name: no leading `#`, no surrounding space."""
    return tag.strip().lstrip("#").strip()
