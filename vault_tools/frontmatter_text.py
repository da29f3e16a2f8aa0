"""Where a note's frontmatter block is, and its text as YAML must read it, without PyYAML.

Rules need only this; importing PyYAML (with python-frontmatter, about 14 ms) is left to the
runs that load YAML, so a warm lint run that parses nothing does not pay it.
"""

from __future__ import annotations

import dataclasses

# PyYAML and libyaml read YAML 1.1, where NEL, LS and PS (U+0085, U+2028, U+2029) break lines.
# YAML 1.2, which Obsidian reads, takes them for ordinary characters: `title: one<LS>two` is a
# title there and broken YAML here, and every position after one would be a line off. So YAML
# reads the text with each swapped for a private-use character the text does not hold, and
# the strings it read are swapped back.
_YAML_11_BREAKS = "\u0085\u2028\u2029"


@dataclasses.dataclass(frozen=True)
class YamlText:
    """Frontmatter text as handed to PyYAML, and how to undo its stand-ins."""

    text: str
    swaps: tuple[tuple[str, str], ...] = ()  # (stand-in, original character)

    def restore(self, value: str) -> str:
        for stand_in, original in self.swaps:
            value = value.replace(stand_in, original)
        return value


def yaml_text(raw: str) -> YamlText:
    """`raw` with YAML 1.1's extra line breaks swapped for stand-ins (the same length, so
    every mark keeps its line, column and index)."""
    wanted = [char for char in _YAML_11_BREAKS if char in raw]
    if not wanted:
        return YamlText(raw)
    free = (chr(code) for code in range(0xE000, 0xF900) if chr(code) not in raw)
    swaps = tuple((next(free), char) for char in wanted)
    text = raw
    for stand_in, original in swaps:
        text = text.replace(original, stand_in)
    return YamlText(text, swaps)


def is_delimiter(line: str) -> bool:
    return line.rstrip() == "---"


def find_block(lines: list[str]) -> int | None:
    """Index of the closing `---` line when line 1 opens a frontmatter block, else None."""
    if not lines or not is_delimiter(lines[0]):
        return None
    for index in range(1, len(lines)):
        if is_delimiter(lines[index]):
            return index
    return None
