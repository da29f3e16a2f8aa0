"""The fast path's events: what the planner (blocks.py) found, in order, for parse.py to replay
into the outline exactly as it walks markdown-it-py's tokens.

Lines are 0-based indices into the body's lines, columns 1-based (as in the model).
"""

from __future__ import annotations

from dataclasses import dataclass

# Events are not frozen: a note has hundreds of them, and a frozen dataclass costs three times
# as much to build. Nothing changes them once planned.


@dataclass(slots=True)
class Heading:
    index: int
    level: int
    text: str
    col: int


@dataclass(slots=True)
class Paragraph:
    start: int
    end: int


@dataclass(slots=True)
class OpenItem:
    """A list item and the paragraph starting on its line (to `end`: continuation lines)."""

    index: int
    col: int
    marker: str
    text_start: int  # offset of the item's text in its line: the item's content column
    end: int
    # Closed right after its paragraph, with no CLOSE_ITEM: most items hold nothing else, and
    # the replay builds such an item in one step.
    closed: bool = False


@dataclass(slots=True)
class CloseItem:
    pass


CLOSE_ITEM = CloseItem()


@dataclass(slots=True)
class Table:
    """A GFM table: header row, delimiter row and body rows, lines start to end."""

    start: int
    end: int


@dataclass(slots=True)
class Quote:
    """A block quote in column 1, and the events of what it holds (lines and columns of the
    file; its paragraphs are QuotedParagraph)."""

    start: int
    end: int
    events: list[Event]


@dataclass(slots=True)
class QuotedParagraph:
    """A paragraph in a block quote: lines start to end, their text after the `>`."""

    start: int
    end: int


@dataclass(slots=True)
class Block:
    """A block with no text we extract (code, thematic break, HTML comment)."""

    start: int
    end: int
    verbatim: bool = True  # its lines are taken as written (all but thematic breaks)


Event = Heading | Paragraph | OpenItem | CloseItem | Table | Quote | QuotedParagraph | Block
