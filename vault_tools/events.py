"""The fast path's events: what the planner (blocks.py) found, in order, for replay.py to feed
to the outline exactly as tokenwalk.py feeds markdown-it-py's tokens.

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
class SetextHeading:
    """A heading whose text is a paragraph's, lines start to end (each line's text from its
    offset in `cuts` on, as in ContainedParagraph), underlined on line `end`."""

    start: int
    end: int
    level: int
    cuts: list[int]


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
class EmptyItem:
    """A list item with nothing on its line (and nothing after it)."""

    index: int
    col: int
    marker: str


@dataclass(slots=True)
class Quote:
    """A block quote, and the events of what it holds (lines and columns of the file; its
    paragraphs are ContainedParagraph)."""

    start: int
    end: int
    events: list[Event]


@dataclass(slots=True)
class ContainedParagraph:
    """A paragraph in a container (a block quote, an item's content after a blank line): lines
    start to end, each line's text from its offset in `cuts` on (after the quote's `>` and a
    space, the item's indentation; none of a quote's lazy line)."""

    start: int
    end: int
    cuts: list[int]


@dataclass(slots=True)
class Block:
    """A block with no text we extract (code, thematic break, HTML comment)."""

    start: int
    end: int
    verbatim: bool = True  # its lines are taken as written (all but thematic breaks)


Event = (Heading | SetextHeading | Paragraph | OpenItem | CloseItem | EmptyItem | Table | Quote
         | ContainedParagraph | Block)


def moved(events: list[Event], first: int, shifts: list[int]) -> list[Event] | None:
    """Events planned on a container's text (its lines counted from 0, line k starting
    `shifts[k]` characters into the file's line), moved in place to the file's lines and
    columns: line k is the file's line `first` + k. None when an item's paragraph would have
    lines cut at different offsets: its replay cuts all at its text's column."""
    result: list[Event] = []
    for event in events:
        if type(event) is Paragraph:
            event = ContainedParagraph(event.start, event.end, [0] * (event.end - event.start))
        if type(event) is ContainedParagraph or type(event) is SetextHeading:
            event.cuts = [cut + shifts[row] for row, cut in enumerate(event.cuts, event.start)]
            event.start += first
            event.end += first
        elif type(event) is OpenItem:
            shift = shifts[event.index]
            if any(shifts[row] != shift for row in range(event.index + 1, event.end)):
                return None
            event.col += shift
            event.text_start += shift
            event.index += first
            event.end += first
        elif type(event) is Heading or type(event) is EmptyItem:
            event.col += shifts[event.index]
            event.index += first
        elif type(event) is Quote:
            inner = moved(event.events, first, shifts)  # planned on the same lines as the quote
            if inner is None:
                return None
            event.events = inner
            event.start += first
            event.end += first
        elif type(event) is Block or type(event) is Table:
            event.start += first
            event.end += first
        result.append(event)
    return result
