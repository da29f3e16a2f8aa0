"""Inline `#tags`: after whitespace or at a line start; letters (any script), digits, `_`, `-`,
`/` for nesting; at least one character that is not a digit (`#123` is not a tag)."""

from __future__ import annotations

import re

TAG = re.compile(r"(?:(?<=\s)|^)#([\w/-]+)", re.MULTILINE)


def is_tag_name(name: str) -> bool:
    return not name.isdigit() and any(not ch.isdigit() for ch in name) and bool(name)


def find_tags(masked: str) -> list[tuple[str, int]]:
    """(name, offset of the `#`) of each tag."""
    if "#" not in masked:
        return []
    return [(m.group(1), m.start()) for m in TAG.finditer(masked) if is_tag_name(m.group(1))]


def normalise(tag: str) -> str:
    """Frontmatter spelling -> tag name: no leading `#`, no surrounding space."""
    return tag.strip().lstrip("#").strip()
