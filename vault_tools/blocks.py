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
Here are the lines' dispatch and the planner's bookkeeping of segments; the containers (lists,
quotes) are in containerblocks.py, leaf blocks and the state they share in leafblocks.py, what a
single line is in blocklines.py, the cut points in chunks.py, the events in events.py.
tests/test_fast_path.py checks that both routes give identical notes on every corpus note, the
benchmark vault and generated notes.
"""

from __future__ import annotations

from vault_tools.blocklines import (
    EMPTY_ITEM,
    FENCE_OPEN,
    FOOTNOTE_LABEL,
    HTML_COMMENT,
    QUOTE_MARKER,
    SETEXT_UNDERLINE,
    SPECIAL_START,
    THEMATIC_BREAK,
    atx_heading,
    ends_list,
    html_block_kind,
    indent_width,
    is_plain_line,
    item_shape,
)
from vault_tools.chunks import iter_chunks, may_go_on
from vault_tools.containerblocks import ContainerBlocks
from vault_tools.events import Event, Heading
from vault_tools.leafblocks import Bail

Segment = tuple[int, int, "list[Event] | None"]


class _Planner(ContainerBlocks):
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


def plan(lines: list[str]) -> list[Segment]:
    """The body as segments (first line, end, events), in order and covering every line but
    blank runs; events None where markdown-it must parse the lines."""
    return _Planner(lines).run()
