"""Builds a note's heading tree from the block events tokenwalk.py and replay.py feed it.

Mutable builders live only while one note is parsed; `finish()` freezes them into the model's
Sections and Items. A heading closes every open section of the same or a deeper level, so a
heading that skips levels still becomes the child of the nearest shallower one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from vault_tools.model import (
    BlockId,
    Callout,
    Highlight,
    InlineText,
    Item,
    Link,
    Paragraph,
    Section,
    Tag,
    new_inline_text,
    new_item,
    new_paragraph,
    new_section,
)
from vault_tools.syntax.inline import TRIGGER, scan
from vault_tools.syntax.spans import MASK

# A block's text, the file line of its first line, and the file column where each line starts.
TextAt = tuple[str, int, tuple[int, ...]]


def clean(text: str) -> str:
    """A block's text without the MASK left where a comment opened its line."""
    return text.replace(MASK, "").strip() if MASK in text else text


# `- [x] done`, `- [ ] todo`, `- [?] any status character Obsidian themes use`
_TASK = re.compile(r"^\[([^\]\n])\](?=[ \t]|$)[ \t]*")


def _task(text: str) -> tuple[str | None, str]:
    """(the task's status character or None, the text after the `[x]`)."""
    match = _TASK.match(text) if text[:1] == "[" else None
    if match is None:
        return None, text
    return match.group(1), text[match.end():]


@dataclass(slots=True)
class _ItemBuilder:
    line: int
    col: int
    marker: str
    task: str | None = None
    texts: list[str] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)

    def freeze(self) -> Item:
        return new_item("\n\n".join(self.texts), self.line, self.col, self.task, self.marker,
                        tuple(self.children))


class _SectionBuilder:
    # A plain class: a dataclass with default_factory fields cost twice as much to build.
    __slots__ = ("bullets", "children", "col", "end_line", "has_content", "heading",
                 "highlights", "level", "line", "paragraphs", "path")

    def __init__(self, heading: str | None, level: int, line: int, col: int,
                 path: tuple[str, ...]) -> None:
        self.heading = heading
        self.level = level
        self.line = line
        self.col = col
        self.path = path
        self.end_line = 0
        self.bullets: list[Item] = []
        self.paragraphs: list[Paragraph] = []
        self.highlights: list[Highlight] = []
        self.children: list[_SectionBuilder] = []
        self.has_content = False

    def freeze(self) -> Section:
        return new_section(self.heading, self.level, self.line, self.col, self.path,
                           self.end_line, tuple(self.bullets), tuple(self.paragraphs),
                           tuple(self.highlights),
                           tuple([child.freeze() for child in self.children]), self.has_content)


# A named tuple: built once per note and read once, at a fifth of a frozen dataclass's cost.
class Outline(NamedTuple):
    preamble: Section
    sections: tuple[Section, ...]
    highlights: tuple[Highlight, ...]
    links: tuple[Link, ...]
    tags: tuple[Tag, ...]
    callouts: tuple[Callout, ...]
    block_ids: tuple[BlockId, ...]
    inline_texts: tuple[InlineText, ...]
    verbatim: tuple[tuple[int, int], ...]


class OutlineBuilder:
    """Texts come as (text, file line of its first line, file column where each line starts):
    a Fragment is built only for the few texts that hold something to find."""

    def __init__(self, total_lines: int) -> None:
        self.total_lines = total_lines
        self.preamble = _SectionBuilder(None, 0, 1, 1, ())
        self.stack: list[_SectionBuilder] = [self.preamble]
        self.section = self.preamble  # the stack's last: the innermost open section
        self.top: list[_SectionBuilder] = []
        self.items: list[_ItemBuilder] = []
        self.highlights: list[Highlight] = []
        self.links: list[Link] = []
        self.tags: list[Tag] = []
        self.callouts: list[Callout] = []
        self.block_ids: list[BlockId] = []
        self.callout_header = False  # the next paragraph starts with a callout's `[!type]` line
        self.inline_texts: list[InlineText] = []
        self.verbatim: list[tuple[int, int]] = []

    def heading(self, level: int, text: str, line: int, cols: tuple[int, ...]) -> None:
        stack = self.stack
        while len(stack) > 1 and stack[-1].level >= level:
            stack.pop().end_line = line - 1
        if len(stack) == 1:
            self.preamble.end_line = min(self.preamble.end_line or line - 1, line - 1)
        parent = stack[-1]
        name = clean(text)
        section = _SectionBuilder(name, level, line, cols[0], (*parent.path, name))
        (self.top if parent is self.preamble else parent.children).append(section)
        stack.append(section)
        self.section = section
        self._collect(text, line, cols)

    def paragraph(self, text: str, line: int, cols: tuple[int, ...]) -> None:
        self._collect(text, line, cols)
        self.section.has_content = True
        if MASK in text:  # rare: test before calling
            text = clean(text)
        if self.callout_header:
            # `[!tip] Title` is the callout's type and title (in `callouts`), not body text.
            self.callout_header = False
            text = text.partition("\n")[2]
            line += 1
            if not text:
                return
        if self.items:
            item = self.items[-1]
            if not item.texts:
                item.task, text = _task(text)
            item.texts.append(text)
        else:
            self.section.paragraphs.append(new_paragraph(text, line))

    def leaf_item(self, line: int, col: int, marker: str, text: str, text_col: int) -> None:
        """A list item whose one paragraph is `text`, on its own line, and that holds nothing
        else: open_item, paragraph and close_item in one (most items are such; the three calls
        cost twice as much). Never right after a callout's quote opened."""
        section = self.section
        section.has_content = True
        self._collect(text, line, (text_col,))
        task, text = _task(clean(text) if MASK in text else text)
        item = new_item(text, line, col, task, marker)
        (self.items[-1].children if self.items else section.bullets).append(item)

    def inline_only(self, text: str, line: int, cols: tuple[int, ...]) -> None:
        self._collect(text, line, cols)

    def open_item(self, line: int, col: int, marker: str) -> None:
        self.section.has_content = True
        self.items.append(_ItemBuilder(line, col, marker))

    def close_item(self) -> None:
        item = self.items.pop().freeze()
        if self.items:
            self.items[-1].children.append(item)
        else:
            self.section.bullets.append(item)

    def callout(self, kind: str, fold: str | None, title: str, line: int) -> None:
        self.callouts.append(Callout(kind, title, fold, line))
        self.callout_header = True

    def content(self, verbatim: tuple[int, int] | None = None) -> None:
        """A block with no text we extract; `verbatim` gives its lines when it is code, math
        or HTML (1-based, first and last)."""
        self.section.has_content = True
        if verbatim is not None:
            self.verbatim.append(verbatim)

    def _collect(self, text: str, line: int, cols: tuple[int, ...]) -> None:
        if TRIGGER.search(text) is None:  # most texts: no call to scan
            self.inline_texts.append(new_inline_text(text, line, cols, text))
            return
        found = scan(text, line, cols)
        self.inline_texts.append(new_inline_text(text, line, cols, found.masked))
        self.links.extend(found.links)
        self.tags.extend(found.tags)
        if found.block_id is not None:
            self.block_ids.append(found.block_id)
        for highlight, at_line, col in found.highlights:
            self.section.highlights.append(Highlight(highlight, at_line, col))
            self.highlights.append(Highlight(highlight, at_line, col, self.section.path))

    def finish(self) -> Outline:
        while self.items:
            self.close_item()
        for section in self.stack[1:]:
            section.end_line = self.total_lines
        if not self.top:
            self.preamble.end_line = self.total_lines
        return Outline(
            self.preamble.freeze(),
            tuple([section.freeze() for section in self.top]),
            tuple(self.highlights),
            tuple(self.links),
            tuple(self.tags),
            tuple(self.callouts),
            tuple(self.block_ids),
            tuple(self.inline_texts),
            tuple(self.verbatim),
        )
