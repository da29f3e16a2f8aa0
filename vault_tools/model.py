"""The note model: frozen values that every later stage reads and none changes.

This module imports nothing from the package, so that parsing, rules and exporters can all depend
on it without cycles. Positions are 1-based lines and columns of the original file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

JSONValue = Any  # what json.loads can return; Any because the YAML is the user's


@dataclass(frozen=True, slots=True)
class Problem:
    """A read or parse problem of one note (exported as the note's `errors`)."""

    code: str
    message: str
    line: int
    col: int = 1


@dataclass(frozen=True, slots=True)
class Highlight:
    text: str
    line: int
    col: int
    section: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    kind: str  # wikilink | embed | markdown | url
    target: str
    heading: str | None
    block: str | None
    alias: str | None
    line: int
    col: int

    def __reduce__(self) -> tuple[type[Link], tuple[str, str, str | None, str | None,
                                                    str | None, int, int]]:
        # Lint workers send every note's links to the vault stage: pickled as arguments, not
        # as slot state, they dump twice as fast and load a quarter faster.
        return Link, (self.kind, self.target, self.heading, self.block, self.alias, self.line,
                      self.col)


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Comment:
    """An Obsidian `%% ... %%` comment; `closed` is False when it runs to the end of the file."""

    text: str
    line: int
    col: int
    end_line: int
    closed: bool


@dataclass(frozen=True, slots=True)
class Callout:
    type: str
    title: str
    fold: str | None
    line: int


@dataclass(frozen=True, slots=True)
class BlockId:
    id: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class InlineText:
    """A paragraph's, heading's or table row's text as scanned, for rules: `cols` are the file
    columns where its lines start; `masked` hides code, math, HTML, escapes and links."""

    text: str
    line: int
    cols: tuple[int, ...]
    masked: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Item:
    """A list item; `marker` is `-`, `*`, `+`, or `.`/`)` for ordered lists."""

    text: str
    line: int
    col: int
    task: str | None
    marker: str
    children: tuple[Item, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and what it holds; the preamble is a Section with level 0 and no heading."""

    heading: str | None
    level: int
    line: int
    col: int
    path: tuple[str, ...]
    end_line: int
    bullets: tuple[Item, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    highlights: tuple[Highlight, ...] = ()
    sections: tuple[Section, ...] = ()
    has_content: bool = False  # any block (code, table, quote...) besides sub-headings


@dataclass(frozen=True, slots=True)
class FrontmatterKey:
    """Where a top-level frontmatter key and its value stand, for findings at the right place."""

    name: str
    line: int
    col: int
    value_line: int
    value_col: int


@dataclass(frozen=True, slots=True)
class Frontmatter:
    """The `---` block on line 1. `data` is JSON-safe; `start`/`end` are the delimiter lines."""

    data: dict[str, JSONValue]
    start: int
    end: int
    raw: str
    keys: tuple[FrontmatterKey, ...] = ()
    duplicates: tuple[FrontmatterKey, ...] = ()
    valid: bool = True


@dataclass(frozen=True, slots=True)
class Note:
    path: str
    title: str
    frontmatter: Frontmatter | None
    tags: tuple[str, ...]
    aliases: tuple[str, ...]
    preamble: Section
    sections: tuple[Section, ...]
    highlights: tuple[Highlight, ...]
    links: tuple[Link, ...]
    inline_tags: tuple[Tag, ...] = ()
    callouts: tuple[Callout, ...] = ()
    block_ids: tuple[BlockId, ...] = ()
    comments: tuple[Comment, ...] = ()
    errors: tuple[Problem, ...] = ()
    # Layout for rules (not exported): every scanned inline text, and the (first, last) lines
    # of verbatim blocks (fenced/indented code, math, HTML) where no Markdown applies.
    inline_texts: tuple[InlineText, ...] = ()
    verbatim: tuple[tuple[int, int], ...] = ()

    @property
    def frontmatter_data(self) -> dict[str, JSONValue]:
        return self.frontmatter.data if self.frontmatter else {}

    def iter_sections(self) -> list[Section]:
        """Every section of the heading tree in document order (preamble excluded)."""
        out: list[Section] = []
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            out.append(section)
            stack.extend(reversed(section.sections))
        return out
