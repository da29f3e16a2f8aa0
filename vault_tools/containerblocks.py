"""The fast path's container blocks: list items and block quotes.

blocks.py's planner dispatches each line to a method; the ones here take list items (with the
lines indented into an open item) and block quotes. The text a container holds (an item's
content after a blank line, a quote's text) goes through a new planner of the same class
(`type(self)`: the class is blocks.py's, which imports this module), and its events are moved
to the file's lines and columns (events.moved). Each follows the markdown-it-py rule it stands
for, and raises Bail wherever it is unsure.

A class of their own (LeafBlocks below, the dispatch above) keeps blocks.py to the dispatch;
the planner inherits them, so calling one costs no more than calling a method of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from vault_tools.blocklines import (
    FENCE_OPEN,
    LIST_ITEM,
    QUOTE_MARKER,
    atx_heading,
    is_lazy_line,
    is_paragraph_line,
    quoted_text,
)
from vault_tools.chunks import may_go_on
from vault_tools.events import (
    ContainedParagraph,
    EmptyItem,
    Event,
    OpenItem,
    Quote,
    moved,
)
from vault_tools.leafblocks import Bail, LeafBlocks

MAX_FAST_DEPTH = 8


class ContainerBlocks(LeafBlocks):
    """Container blocks: each method takes the item or quote (or the lines of an open item)
    starting on line `index`, returns where the next line to plan is."""

    # The dispatch of one line (blocks.py's planner): a container's text is planned line by
    # line as a body is. Only declared here, for the type checker.
    line: Callable[[int], int]

    def events_or_bail(self) -> list[Event]:
        """The events of every line, or Bail at the first line the fast path does not take."""
        index = 0
        while index < self.end:
            index = self.line(index)
        self.close_blocks(self.end)
        return self.events

    def list_item(self, index: int, indent: int, marker: str, text_start: int,
                  may_interrupt: bool) -> int:
        open_items = self.open_items
        innermost = open_items[-1] if open_items else None
        if innermost is not None and indent - innermost >= 4:
            # Indented code cannot interrupt a paragraph: a line of the item's paragraph.
            return self.item_line(index, self.lines[index])
        if not may_interrupt and (self.paragraph is not None
                                  or (innermost is not None and indent >= innermost)):
            raise Bail  # it would be a line of the paragraph (the top one or the item's)
        if self.paragraph is not None:
            self.close_paragraph(index)
        while open_items and indent < open_items[-1]:
            self.close_item()
        parent = open_items[-1] if open_items else 0
        if indent - parent > 3 or self.depth + len(open_items) >= MAX_FAST_DEPTH:
            raise Bail  # indented code or a continuation line, or deep nesting
        open_items.append(text_start)
        self.item = OpenItem(index, indent + 1, marker, text_start, index + 1)
        self.events.append(self.item)
        return index + 1

    def item_line(self, index: int, line: str) -> int:
        """A line indented into the innermost item after the paragraph of its line: more of that
        paragraph, or a quote, heading or fence interrupting it (then see item_content)."""
        item = self.item
        if item is None or item.end != index or self.events[-1] is not item or item.closed:
            raise Bail  # no paragraph of the item's own line open here
        text = line.lstrip(" ")
        width = len(line) - len(text)
        if width < item.text_start or text[0] == "\t":
            raise Bail  # a lazy line, or tabs
        if width - item.text_start < 4 and not is_paragraph_line(text, self.following(index)):
            if text[0] in ">#`~" and (text[0] == ">" or _interrupts(text)):
                return self.item_content(index)
            raise Bail  # it may start a block in the item, or (a setext underline) end it
        item.end = index + 1
        return index + 1

    def item_content(self, index: int) -> int:
        """Lines indented into an open item after a blank line (the items indented further
        end), or from a block interrupting its paragraph: more of its content, up to the blank
        lines before the first line indented less. They go through a planner of their own, as
        a quote's text does."""
        line = self.lines[index]
        text = line.lstrip(" ")
        if text[0] == "\t":
            raise Bail  # a tab's width depends on its column
        indent = len(line) - len(text)
        while self.open_items[-1] > indent:
            self.close_item()
        column = self.open_items[-1]
        end = self._content_end(index, column)
        texts = [row[column:] for row in self.lines[index:end]]
        if may_go_on(texts, 0):
            raise Bail  # a list in the item may go on here (see may_go_on)
        planned = type(self)(texts, "item", self.depth + len(self.open_items)).events_or_bail()
        self.events += _moved(planned, index, [column] * len(texts))
        return end

    def _content_end(self, index: int, column: int) -> int:
        """Where the content of an item whose text is at `column`, from line `index`, ends:
        after its last line before a line indented less. Such a line right after a line
        that is not blank ends the item when it is another item (it ends any paragraph
        there, whatever its number); anything else may be a lazy line: markdown-it's call."""
        end = index + 1
        for row in range(index + 1, self.end):
            line = self.lines[row]
            text = line.lstrip(" ")
            if not text.strip(" \t"):
                continue
            if text[0] == "\t":
                raise Bail
            if len(line) - len(text) < column:
                if end == row and LIST_ITEM.match(line) is None:
                    raise Bail
                return end
            end = row + 1
        return end

    def empty_item(self, index: int, marker: str) -> int:
        """A list item with nothing on its line, between blank lines (or the start and end of
        the lines): it holds nothing, as an item starts with one blank line at most."""
        if self.following(index).strip(" \t") or (index > 0 and self.lines[index - 1].strip(" \t")):
            raise Bail  # it may be a setext underline, or hold the next line
        after = self.after_blanks(index + 1)
        if after < self.end and may_go_on(self.lines, after):
            raise Bail  # the list goes on past the blank line (see may_go_on)
        line = self.lines[index]
        indent = len(line) - len(line.lstrip(" "))
        self.events.append(EmptyItem(index, indent + 1, marker if marker in "-*+" else marker[-1]))
        return index + 1

    def quote(self, index: int) -> int:
        """A block quote (`>` in columns 1-4) out of any list, ended by a blank line. Its text
        goes through a planner of its own (quote_events), unless lines without such a `>` go
        on with it: then see lazy_quote. A quote in an item's content is planned in that
        content; markdown-it decides quotes interrupting an item, and deep nesting."""
        if self.open_items or self.depth >= MAX_FAST_DEPTH:
            raise Bail
        self.close_paragraph(index)
        end = index + 1
        while end < self.end and QUOTE_MARKER.match(self.lines[end]):
            end += 1
        if end < self.end and self.lines[end].strip(" \t"):
            return self.lazy_quote(index)
        self.events.append(Quote(index, end, self.quote_events(index, end)))
        return end

    def quote_events(self, start: int, end: int) -> list[Event]:
        """The events of the block quote on lines start to end (each with its `>`): its text,
        planned as a note of its own, and moved to the quote's lines and columns."""
        lines = self.lines[start:end]
        texts = [quoted_text(line) for line in lines]
        if any("\t" in text[:len(text) - len(text.lstrip(" \t"))] for text in texts):
            raise Bail  # a tab's width would depend on the column the quote's text starts at
        planned = type(self)(texts, "quote", self.depth + 1).events_or_bail()
        # How far each line's text is from its start: the `>` and a space.
        shifts = [len(line) - len(text) for line, text in zip(lines, texts, strict=True)]
        return _moved(planned, start, shifts)

    def lazy_quote(self, index: int) -> int:
        """A block quote holding only paragraphs (with blank lines between), ended by a blank
        line. Of the lines without `>` only plain text continuing a paragraph is taken here;
        markdown-it decides the others."""
        if self.container == "item":
            raise Bail  # a lazy line keeps the item's indentation (see ContainedParagraph)
        paragraphs: list[Event] = []
        start: int | None = None  # first line of the open paragraph in the quote
        cuts: list[int] = []  # where its lines' text starts
        row = index
        while row < self.end:
            line = self.lines[row]
            if not QUOTE_MARKER.match(line):
                if not line.strip(" \t"):
                    break
                if start is None or not is_lazy_line(line):
                    raise Bail  # it may end the quote, or start a block in it
                cuts.append(0)  # a lazy continuation line of the paragraph, taken whole
                row += 1
                continue
            text = quoted_text(line)
            if not text.strip(" \t"):
                if start is not None:
                    paragraphs.append(ContainedParagraph(start, row, cuts))
                    start = None
                    cuts = []
            elif is_paragraph_line(text, quoted_text(self.following(row))):
                start = row if start is None else start
                cuts.append(len(line) - len(text))
            else:
                raise Bail
            row += 1
        if start is not None:
            paragraphs.append(ContainedParagraph(start, row, cuts))
        self.events.append(Quote(index, row, paragraphs))
        return row


def _interrupts(text: str) -> bool:
    """Does `text` start a block that interrupts a paragraph: an ATX heading or a fence?"""
    return atx_heading(text) is not None if text[0] == "#" else FENCE_OPEN.match(text) is not None


def _moved(planned: list[Event], first: int, shifts: list[int]) -> list[Event]:
    events = moved(planned, first, shifts)
    if events is None:
        raise Bail  # an item's lines cut at different columns
    return events
