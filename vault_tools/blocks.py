"""Splitting a note's body into top-level chunks, and a fast path for the simple ones.

markdown-it-py's block pass is the reference for structure, but it costs a Python call per rule
per line. Most of a real note is plain paragraphs, ATX headings, simple lists and tables, whose
structure needs no such machinery. The planner walks the body once and turns what it knows into
events; at each blank line followed by a line starting in column 1 CommonMark's block state is
clean (every block it took has ended), so it closes its blocks there. When a line holds
something it does not take, the chunk around it goes to markdown-it-py: from the last clean point
to the next point iter_chunks finds clean (outside any fenced code, `$$` math or multi-line HTML
block), and the planner resumes after it.

Cutting more cautiously than needed only costs speed: a chunk that is unsure goes to markdown-it.
Here are the lines' dispatch and the containers (lists, quotes); leaf blocks and the state they
share are in leafblocks.py, what a single line is in blocklines.py, the cut points in chunks.py,
the events in events.py. tests/test_fast_path.py checks that both routes give identical notes
on every corpus note, the benchmark vault and generated notes.
"""

from __future__ import annotations

from vault_tools.blocklines import (
    EMPTY_ITEM,
    FENCE_OPEN,
    FOOTNOTE_LABEL,
    HTML_COMMENT,
    QUOTE_MARKER,
    SETEXT_UNDERLINE,
    THEMATIC_BREAK,
    atx_heading,
    ends_list,
    html_block_kind,
    indent_width,
    is_lazy_line,
    is_paragraph_line,
    is_plain_line,
    item_shape,
    quoted_text,
)
from vault_tools.chunks import iter_chunks, may_go_on
from vault_tools.events import (
    ContainedParagraph,
    EmptyItem,
    Event,
    Heading,
    OpenItem,
    Quote,
    moved,
)
from vault_tools.leafblocks import Bail, LeafBlocks
from vault_tools.lineshapes import LIST_ITEM, SPECIAL_START

MAX_FAST_DEPTH = 8


Segment = tuple[int, int, "list[Event] | None"]


class _Planner(LeafBlocks):
    """Turns a note's body into events; each line kind has its own small method.

    `segments` collects what is done: runs of lines with their events, and runs left to
    markdown-it (None). `clean` is the last line where the block state was clean, and `mark`
    the number of events planned before it: a bail drops the events after it.
    """

    def __init__(self, lines: list[str], container: str = "", depth: int = 0) -> None:
        super().__init__(lines, container, depth)
        self.segments: list[Segment] = []
        self.segment_start = 0  # first line of the segment `events` belong to
        self.clean = 0
        self.mark = 0

    def run(self) -> list[Segment]:
        index = 0
        while index < self.end:
            try:
                while index < self.end:
                    index = self.line(index)
            except Bail:
                index = self.hand_over(index)
        self.close_blocks(self.end)
        self.close_segment(self.end)
        return self.segments

    def events_or_bail(self) -> list[Event]:
        """The events of every line, or Bail at the first line the fast path does not take."""
        index = 0
        while index < self.end:
            index = self.line(index)
        self.close_blocks(self.end)
        return self.events

    def hand_over(self, index: int) -> int:
        """Leave the chunk holding line `index` to markdown-it; returns where planning resumes."""
        start = self.clean
        end = next((cut for cut, _ in iter_chunks(self.lines, start) if cut > index), self.end)
        del self.events[self.mark:]
        self.paragraph = None
        self.open_items.clear()
        if self.events or not self.segments:
            self.close_segment(start)
            self.segments.append((start, end, None))
        else:  # only blank lines since the last chunk markdown-it took: one call for both
            self.segments[-1] = (self.segments[-1][0], end, None)
        self.segment_start = self.clean = end
        return end

    def close_segment(self, end: int) -> None:
        if self.events:
            self.segments.append((self.segment_start, end, self.events))
            self.events = []
        self.mark = 0

    def blank(self, index: int) -> int:
        """Blank lines from `index`: they end a paragraph, and before a line in column 1 (or
        indented less than any open item) every block: the state is clean there. A line
        indented into an open item goes on with that item's content."""
        if self.paragraph is not None:
            self.close_paragraph(index)
        lines = self.lines
        index += 1
        while index < self.end and not lines[index].strip(" \t"):
            index += 1
        if index < self.end:
            line = lines[index]
            if line[0] not in " \t" or (self.open_items and ends_list(line, self.open_items[0])):
                if self.open_items:
                    if may_go_on(lines, index):
                        raise Bail
                    self.close_blocks(index)
                self.clean = index
                self.mark = len(self.events)
            elif self.open_items:
                return self.item_content(index)  # more of an item's content: a loose list
        return index

    def line(self, index: int) -> int:
        """Handle the line at `index`; returns the index of the next line to look at."""
        line = self.lines[index]
        if not line:  # the most frequent kind of line (a blank one) first
            return self.blank(index)
        if "|" in line:  # markdown-it tries its table rule before every other one
            end = self.table(index, line)
            if end is not None:
                return end
        first = line[0]
        if first not in SPECIAL_START:
            return self.plain(index)
        if first in " \t":  # only such a line can be blank, or indented code
            if not line.strip(" \t"):
                return self.blank(index)
            if not self.open_items and indent_width(line) >= 4:
                # Indented code, or (it cannot interrupt one) a line of the open paragraph.
                return self.code_block(index) if self.paragraph is None else self.plain(index)
        elif first == "#":
            heading = atx_heading(line)
            if heading is not None:
                self.close_blocks(index)
                self.events.append(Heading(index, *heading))
                return index + 1
        elif first in "<>":
            return self.other_block(index, line)  # no list item, and never plain text
        item = item_shape(line)
        if item is not None:
            return self.list_item(index, *item)
        if is_plain_line(line):
            return self.plain(index)
        return self.other_block(index, line)

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
        planned = _Planner(texts, "item", self.depth + len(self.open_items)).events_or_bail()
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

    def other_block(self, index: int, line: str) -> int:
        """A line that is no plain text, list item or table: a setext underline or thematic
        break, fenced code, HTML, a quote, an empty item, an indented line, a footnote..."""
        first = line[0]
        if self.paragraph is not None and SETEXT_UNDERLINE.match(line):
            return self.setext_heading(self.paragraph, index, line)
        if THEMATIC_BREAK.match(line):
            if first == "-" and self.paragraph is not None:
                raise Bail  # `- - -`: markdown-it decides between a break and a list
            return self.block(index, index + 1, verbatim=False)
        if first in "`~" and FENCE_OPEN.match(line):
            return self.block(index, self.fence_end(index, line))
        if first == "<":
            # Text, unless it opens an HTML block (markdown-it's own patterns decide) that is
            # no tag alone on its line continuing a paragraph (that kind cannot interrupt one).
            opened = HTML_COMMENT if line.startswith("<!--") else html_block_kind(line)
            if opened is None or (not opened[2] and self.paragraph is not None):
                return self.plain(index)
            return self.html_block(index, opened)
        if first == ">" or (not self.open_items and QUOTE_MARKER.match(line)):
            return self.quote(index)
        if self.open_items:
            if first == " ":
                return self.item_line(index, line)
            raise Bail
        if empty := EMPTY_ITEM.match(line):
            return self.empty_item(index, empty.group(1))
        if first == " ":
            return self.indented(index, line)
        if first == "$" and self.paragraph is not None:
            return self.plain(index)  # `$$` math cannot interrupt a paragraph
        if first == "[" and (label := FOOTNOTE_LABEL.match(line)):
            return self.footnote(index, line[label.end():])
        raise Bail

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
        planned = _Planner(texts, "quote", self.depth + 1).events_or_bail()
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


def plan(lines: list[str]) -> list[Segment]:
    """The body as segments (first line, end, events), in order and covering every line but
    blank runs; events None where markdown-it must parse the lines."""
    return _Planner(lines).run()
