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
tests/test_fast_path.py checks that both routes give identical notes on every corpus note, the
benchmark vault and generated notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from markdown_it.common import utils as _md_utils
from markdown_it.rules_block import table as _md_table
from markdown_it.rules_block.html_block import HTML_SEQUENCES as _HTML_SEQUENCES

# HTML blocks of CommonMark kinds 1-5 run past blank lines until their own end marker; the link
# scanner recognises them with the same patterns.
from vault_tools.lineshapes import HTML_END, HTML_RAW, LIST_ITEM, SPECIAL_START

# Trim exactly as the installed markdown-it-py trims paragraph and heading text (older
# releases used str.strip, newer ones strip only CommonMark whitespace).
md_trim: Callable[[str], str] = getattr(_md_utils, "mdTrim", str.strip)

_ATX = re.compile(r"(#{1,6})(?:[ \t]|$)")
# Lines that some block rule other than `heading` and `paragraph` may claim, by first character:
# list markers, thematic breaks and setext underlines, fences, `$$` math, table delimiter rows,
# ordered list markers. Anything else starting with these characters is plain text.
_BULLET = re.compile(r"[-*+](?:[ \t]|$)")
_BREAK_OR_UNDERLINE = re.compile(r"(?:([-*_])(?:[ \t]*\1){2,}|-+|=+)[ \t]*$")
_ORDERED = re.compile(r"\d{1,9}[.)](?:[ \t]|$)")
_DELIMITER_ROW = re.compile(r"[|:\- \t]+$")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ALWAYS_UNSAFE = frozenset(" \t><")  # indentation, block quotes, HTML blocks


def is_plain_line(line: str) -> bool:
    """True when no block rule but `heading` or `paragraph` can apply to this line."""
    first = line[0]
    if first not in SPECIAL_START:
        return True  # most item texts: no need to go through every case below
    if first in _ALWAYS_UNSAFE:
        return False
    if first in "-|:" and _DELIMITER_ROW.match(line):
        return False  # a table's delimiter row (`--- | ---`, `|:-|`)
    if first in "-*+_=":
        return _BULLET.match(line) is None and _BREAK_OR_UNDERLINE.match(line) is None
    if first in "`~":
        return not line.startswith(first * 3)
    if first == "$":
        return not line.startswith("$$")
    if first == "[":
        # A reference or footnote definition is `[label]:`, and the label may run on over the
        # next lines; a wikilink never starts one (a label cannot hold `[`).
        return line.startswith("[[") or _closes_label(line)
    if first.isdigit():
        return _ORDERED.match(line) is None
    return True


_LABEL_END = re.compile(r"(?<!\\)\]")


def _closes_label(line: str) -> bool:
    """The line's first unescaped `]` ends a label that is not followed by `:`."""
    end = _LABEL_END.search(line)
    return end is not None and not line.startswith(":", end.end())


_NEVER = "\x00never"  # a closer no line matches: the chunk runs to the end of the note
# `$$` math (mdit-py-plugins' dollarmath, blank lines allowed) runs to the next line ending with
# `$$`, whatever stands between. MATH: the opener is certain; MATH_MAYBE: the line may not open
# a block at all, and then the line we take for its end may open one itself.
MATH = "$$"
MATH_MAYBE = "$$?"
# A line that may open a `$$` block spanning lines: container markers (indentation, quotes,
# list markers, footnote labels) before `$$`, and no other `$$` after it (that would close the
# block on this line, or make the line text).
_MATH_OPENER = re.compile(r"(?:[ \t>*+\-.)0-9]|\[\^[^\]]*\]:)*\$\$(?:(?!\$\$).)*$")


def _closer(line: str, block_start: bool) -> str | None:
    """The end marker of a block that may run past blank lines, if `line` opens one.

    Fenced code and HTML blocks of kinds 1-5 do: in column 1 they always open at the top level;
    indented, they may belong to a list item and end with it, so no later line can be trusted
    to close them: _NEVER. So does `$$` math; `block_start`: the line follows a blank line.
    """
    fence = _FENCE_OPEN.match(line)
    if fence is not None:
        run = fence.group(1)
        if run[0] == "`" and "`" in line[fence.end():]:
            return None  # "``` `x`" opens nothing (a backtick fence's info has no backtick)
        return run if line[0] in "`~" else _NEVER
    html = HTML_RAW.match(line)
    if html is not None:
        closing = _html_end(html.group(1))
        # Looked for from the opener's start, as markdown-it does: `<!-->` and `<?>` end there.
        if closing is not None and _still_open(line[html.start(1):], closing) is None:
            return None
        return closing if line[0] == "<" else _NEVER
    if "$$" in line and _MATH_OPENER.match(line):
        # Math cannot interrupt a paragraph: only after a blank line is column 1 sure to open.
        return MATH if block_start and line[0] == "$" else MATH_MAYBE
    return None


# A raw HTML block (`<script>`, `<pre>`, `<style>`, `<textarea>`) ends at the first line holding
# the end tag of any of the four, whichever opened it (markdown-it's pattern, ASCII case-blind).
_RAW_HTML = "</script|pre|style|textarea>"
_RAW_HTML_END = re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE | re.ASCII)


def _html_end(marker: str) -> str | None:
    """The closer of the HTML block (kinds 1-5) that HTML_RAW's `marker` opens, as markdown-it
    reads it; None when it opens none (HTML_RAW ignores case more widely)."""
    if not marker.isascii():
        return None  # a letter matching an ASCII one only ignoring case (U+017F for `s`)
    lower = marker.lower()
    if lower in ("script", "pre", "style", "textarea"):
        return _RAW_HTML
    if lower == "![cdata[":
        return "]]>" if marker == "![CDATA[" else None  # that opener's case matters
    return HTML_END.get(lower, ">")  # `!--`, `?`, or `!X`: a declaration


def _still_open(line: str, closer: str) -> str | None:
    """The closer still awaited after `line`, inside a block awaiting `closer`."""
    if closer == _NEVER:
        return closer
    if closer == _RAW_HTML:
        return None if _RAW_HTML_END.search(line) else closer
    if closer[0] in "`~":
        stripped = line.lstrip(" ")
        run = len(stripped) - len(stripped.lstrip(closer[0]))
        closes = (len(line) - len(stripped) < 4 and run >= len(closer)
                  and not stripped[run:].strip(" \t"))
        return None if closes else closer
    if closer[0] == "$":
        if not line.rstrip().endswith("$$"):
            return closer
        # Had the opener been none, this line may open a block of its own.
        return MATH_MAYBE if closer == MATH_MAYBE and _MATH_OPENER.match(line) else None
    return None if closer in line.lower() else closer


def _may_swallow(line: str) -> bool:
    """May `line` begin an HTML block of kinds 6-7 or a link reference definition? Not when
    it is an HTML block of kinds 1-5 that ends on it (`<!-- x -->`): markdown-it tries those
    kinds first, and the next line starts afresh."""
    first = line.lstrip(" \t")[:1]
    if first != "<":
        return first == "["
    html = HTML_RAW.match(line)
    if html is None:
        return True
    closing = _html_end(html.group(1))
    return closing is None or _still_open(line[html.start(1):], closing) is not None


def _closes(line: str, closer: str) -> bool:
    return _still_open(line, closer) is None


def _ends_list(line: str, outermost: int) -> bool:
    """Does `line`, indented and after a blank line, end a list whose outermost item's text
    starts at column `outermost` + 1? It does when it is indented less (with spaces only):
    it belongs to no item, and at most goes on with the list as an item of its own. After
    it the block state is as clean as before a line in column 1."""
    text = line.lstrip(" ")
    return len(line) - len(text) < outermost and text[:1] != "\t"


def _may_go_on(lines: Sequence[str], index: int) -> bool:
    """May line `index`, after a blank line, go on with a list where markdown-it's state is
    not clean? A list item of the same kind continues the list, and the list rule tries no
    table where a fresh block would (`- a|b` over `-|-` is an item there, a table here)."""
    line = lines[index]
    if "|" not in line or LIST_ITEM.match(line) is None:
        return False
    following = lines[index + 1].lstrip(" \t") if index + 1 < len(lines) else ""
    return _DELIMITER_ROW.match(following) is not None  # it may be a table's delimiter row


def iter_chunks(lines: Sequence[str], start: int = 0) -> Iterator[tuple[int, int]]:
    """Line ranges covering `lines` from `start` (where the block state must be clean), cut only
    where CommonMark's block state is clean."""
    previous_blank = True  # the first line starts a block too
    closer: str | None = None
    # An HTML block of kinds 6-7 or a reference definition may have begun: either runs to a
    # blank line at most, and a fence (or HTML or math) line in it opens nothing. Whether it
    # did begin is not known here, so such a line closes nothing we could trust: _NEVER.
    swallowing = False
    special = SPECIAL_START
    for index in range(start, len(lines)):
        line = lines[index]
        if closer is not None:
            closer = _still_open(line, closer)
            previous_blank = False
            continue
        first = line[:1]
        if first in special and not line.strip(" \t"):  # markdown-it's "empty line"
            previous_blank = True
            swallowing = False
            continue
        block_start = previous_blank
        if (previous_blank and first not in " \t" and index > start
                and not _may_go_on(lines, index)):
            yield start, index
            start = index
        previous_blank = False
        if first in special and not is_plain_line(line):
            closer = _closer(line, block_start)
            if closer is not None and swallowing:
                closer = _NEVER
            swallowing = swallowing or _may_swallow(line)
    if start < len(lines):
        yield start, len(lines)


def atx_heading(line: str) -> tuple[int, str, int] | None:
    """(level, text, 1-based column of the text) of an ATX heading in column 1."""
    match = _ATX.match(line)
    if match is None:
        return None
    level = begin = match.end(1)
    end = len(line.rstrip(" \t"))
    if end < begin:
        end = begin
    tail = end
    while tail > begin and line[tail - 1] == "#":
        tail -= 1
    if begin < tail < end and line[tail - 1] in " \t":
        end = tail  # drop the optional closing `###` sequence
    text = md_trim(line[begin:end])
    found = line.find(text, begin) if text else -1
    return level, text, (found + 1 if found >= 0 else begin + 1)


# A list item on one line: indentation (spaces), marker, 1-4 spaces, text. Five or more spaces
# after the marker make indented code, which the fast path leaves to markdown-it.
_ITEM = re.compile(r"( *)([-*+]|\d{1,9}[.)])( {1,4})(?! )(\S.*)$")
MAX_FAST_DEPTH = 8

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


def _list_item(line: str) -> tuple[int, str, int, bool] | None:
    """(indent, marker, text offset, whether it may interrupt a paragraph) of a one-line list
    item the fast path can take. Only an ordered list starting from 1 may interrupt one."""
    match = _ITEM.match(line)
    if match is None:
        return None
    start = match.start(4)
    if line[start] in SPECIAL_START:  # most item texts start with a letter: no copy to test
        text = line[start:]
        if not is_plain_line(text) or (text[0] == "#" and _ATX.match(text)):
            return None
    marker = match.group(2)
    if marker in "-*+":
        return len(match.group(1)), marker, start, True
    return len(match.group(1)), marker[-1], start, int(marker[:-1]) == 1


class _Bail(Exception):
    """The chunk holds something the fast path does not take: markdown-it parses it."""


Segment = tuple[int, int, "list[Event] | None"]


class _Planner:
    """Turns a note's body into events; each line kind has its own small method.

    `segments` collects what is done: runs of lines with their events, and runs left to
    markdown-it (None). `clean` is the last line where the block state was clean, and `mark`
    the number of events planned before it: a bail drops the events after it.
    """

    def __init__(self, lines: list[str], nested: bool = False) -> None:
        self.lines = lines
        self.nested = nested  # the text of a block quote (_quoted_events)
        self.end = len(lines)
        self.segments: list[Segment] = []
        self.events: list[Event] = []
        self.segment_start = 0  # first line of the segment `events` belong to
        self.clean = 0
        self.mark = 0
        self.paragraph: int | None = None  # first line of the open top-level paragraph
        self.open_items: list[int] = []  # text column of each open list item, outermost first
        self.item: OpenItem | None = None  # the last item opened

    def run(self) -> list[Segment]:
        index = 0
        while index < self.end:
            try:
                while index < self.end:
                    index = self.line(index)
            except _Bail:
                index = self.hand_over(index)
        self.close_blocks(self.end)
        self.close_segment(self.end)
        return self.segments

    def events_or_bail(self) -> list[Event]:
        """The events of every line, or _Bail at the first line the fast path does not take."""
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

    def close_paragraph(self, index: int) -> None:
        if self.paragraph is not None:
            self.events.append(Paragraph(self.paragraph, index))
            self.paragraph = None

    def close_blocks(self, index: int) -> None:
        if self.paragraph is not None:
            self.close_paragraph(index)
        while self.open_items:
            self.close_item()

    def close_item(self) -> None:
        """Close the innermost open item."""
        self.open_items.pop()
        last = self.events[-1]
        if type(last) is OpenItem and not last.closed:
            last.closed = True  # nothing came after its paragraph
        else:
            self.events.append(CLOSE_ITEM)

    def following(self, index: int) -> str:
        """The line after `index` ("" at the end): the delimiter row, if line `index` is a
        table's header row."""
        return self.lines[index + 1] if index + 1 < self.end else ""

    def plain(self, index: int) -> int:
        if self.open_items:
            raise _Bail  # lazy continuation of the item's paragraph
        if self.paragraph is None:
            self.paragraph = index
        return index + 1

    def blank(self, index: int) -> int:
        """Blank lines from `index`: they end a paragraph, and before a line in column 1 every
        block (the state is clean there)."""
        if self.paragraph is not None:
            self.close_paragraph(index)
        lines = self.lines
        index += 1
        while index < self.end and not lines[index].strip(" \t"):
            index += 1
        if index < self.end:
            line = lines[index]
            if line[0] not in " \t" or (self.open_items and _ends_list(line, self.open_items[0])):
                if self.open_items:
                    if _may_go_on(lines, index):
                        raise _Bail
                    self.close_blocks(index)
                self.clean = index
                self.mark = len(self.events)
            elif self.open_items:
                raise _Bail  # an indented line after a blank one in a list: loose items
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
        item = _list_item(line)
        if item is not None:
            return self.list_item(index, *item)
        if is_plain_line(line):
            return self.plain(index)
        return self.other_block(index, line)

    def table(self, index: int, line: str) -> int | None:
        """The end of the table whose header row is `line`, or None when no table opens here.

        A table may also interrupt a paragraph. The header and delimiter rows must start in
        column 1 (the planner bails on indented lines anyway), and body rows must start with
        `|`, `<` or a character no block rule looks at: any other row could end the table (a
        list, quote, heading, fence... interrupts it), and markdown-it decides those. Of the
        rules that end a table (the block quote's terminators) only html_block looks at `<`.
        """
        if index + 1 >= self.end or line[0] in " \t":
            return None
        columns = delimiter_columns(self.lines[index + 1])
        if not columns or columns != header_columns(line):
            return None
        if self.open_items:
            raise _Bail  # lazy continuation or a table in the item: markdown-it's call
        self.close_paragraph(index)
        end = index + 2
        while end < self.end:
            row = self.lines[end]
            first = row[:1]
            if first in SPECIAL_START and first != "|":
                if not row.strip(" \t"):
                    break  # a blank line ends the table
                if first != "<":
                    raise _Bail
                opened = _html_block(row)
                if opened is not None and opened[2]:
                    break  # an HTML block that may interrupt a paragraph (`<!--`) ends it
                # Any other line starting with `<` is a row.
            if not md_trim(row):
                raise _Bail  # Unicode spaces only: markdown-it ends the table on it
            end += 1
        if (end - index - 2) * columns > _MAX_FILLED_CELLS:
            raise _Bail  # markdown-it may stop filling short rows (and end the table) earlier
        self.events.append(Table(index, end))
        return end

    def list_item(self, index: int, indent: int, marker: str, text_start: int,
                  may_interrupt: bool) -> int:
        open_items = self.open_items
        innermost = open_items[-1] if open_items else None
        if innermost is not None and indent - innermost >= 4:
            # Indented code cannot interrupt a paragraph: a line of the item's paragraph.
            return self.item_line(index, self.lines[index])
        if not may_interrupt and (self.paragraph is not None
                                  or (innermost is not None and indent >= innermost)):
            raise _Bail  # it would be a line of the paragraph (the top one or the item's)
        if self.paragraph is not None:
            self.close_paragraph(index)
        while open_items and indent < open_items[-1]:
            self.close_item()
        parent = open_items[-1] if open_items else 0
        if indent - parent > 3 or len(open_items) >= MAX_FAST_DEPTH:
            raise _Bail  # indented code or a continuation line, or deep nesting
        open_items.append(text_start)
        self.item = OpenItem(index, indent + 1, marker, text_start, index + 1)
        self.events.append(self.item)
        return index + 1

    def item_line(self, index: int, line: str) -> int:
        """A line indented into the innermost item, continuing the paragraph of its line."""
        item = self.item
        if item is None or item.end != index or self.events[-1] is not item or item.closed:
            raise _Bail  # no paragraph of the item's own line open here
        text = line.lstrip(" ")
        width = len(line) - len(text)
        if width < item.text_start or text[0] == "\t":
            raise _Bail  # a lazy line, or tabs
        if width - item.text_start < 4 and not _is_paragraph_line(text, self.following(index)):
            raise _Bail  # it may start a block in the item
        item.end = index + 1
        return index + 1

    def other_block(self, index: int, line: str) -> int:
        """Thematic breaks, fenced code, HTML comments and text starting with `<`, in column 1."""
        end = index + 1
        verbatim = True
        if _THEMATIC_BREAK.match(line):
            if line[0] == "-" and self.paragraph is not None:
                raise _Bail  # a setext underline, not a break
            verbatim = False
        elif line.startswith("<!--"):
            end = self._html_comment_end(index)
        elif line[0] in "`~" and _FENCE_OPEN.match(line):
            end = self._fence_end(index, line)
        elif line[0] == "<" and self.is_html_text(line):
            return self.plain(index)
        elif line[0] == ">" or (not self.open_items and _QUOTE_MARKER.match(line)):
            return self.quote(index)
        elif line[0] == " " and self.open_items:
            return self.item_line(index, line)
        else:
            raise _Bail
        self.close_blocks(index)
        self.events.append(Block(index, end, verbatim))
        return end

    def code_block(self, index: int) -> int:
        """Indented code at the top level: it runs over blank lines up to the last line
        indented by four columns or more before a line that is not."""
        end = row = index + 1
        while row < self.end:
            line = self.lines[row]
            if line.strip(" \t"):
                if indent_width(line) < 4:
                    break
                end = row + 1
            row += 1
        self.events.append(Block(index, end))
        return end

    def quote(self, index: int) -> int:
        """A block quote at the top level (`>` in columns 1-4), ended by a blank line. Its text
        goes through a planner of its own (_quoted_events), unless lines without such a `>`
        go on with it: then see lazy_quote. markdown-it decides quotes in lists and quotes in
        quotes."""
        if self.open_items or self.nested:
            raise _Bail
        self.close_paragraph(index)
        end = index + 1
        while end < self.end and _QUOTE_MARKER.match(self.lines[end]):
            end += 1
        if end < self.end and self.lines[end].strip(" \t"):
            return self.lazy_quote(index)
        self.events.append(Quote(index, end, _quoted_events(self.lines, index, end)))
        return end

    def lazy_quote(self, index: int) -> int:
        """A block quote holding only paragraphs (with blank lines between), ended by a blank
        line. Of the lines without `>` only plain text continuing a paragraph is taken here;
        markdown-it decides the others."""
        paragraphs: list[Event] = []
        start: int | None = None  # first line of the open paragraph in the quote
        row = index
        while row < self.end:
            line = self.lines[row]
            if not _QUOTE_MARKER.match(line):
                if not line.strip(" \t"):
                    break
                if start is None or not _is_lazy_line(line):
                    raise _Bail  # it may end the quote, or start a block in it
                row += 1  # a lazy continuation line of the paragraph
                continue
            text = quoted_text(line)
            if not text.strip(" \t"):
                if start is not None:
                    paragraphs.append(QuotedParagraph(start, row))
                    start = None
            elif _is_paragraph_line(text, quoted_text(self.following(row))):
                start = row if start is None else start
            else:
                raise _Bail
            row += 1
        if start is not None:
            paragraphs.append(QuotedParagraph(start, row))
        self.events.append(Quote(index, row, paragraphs))
        return row

    def is_html_text(self, line: str) -> bool:
        """Is a line in column 1 starting with `<` paragraph text? It is when it opens no HTML
        block (markdown-it's own patterns decide), or continues a paragraph with a block that
        cannot interrupt one (a tag alone on its line)."""
        opened = _html_block(line)
        return opened is None or (not opened[2] and self.paragraph is not None)

    def _html_comment_end(self, index: int) -> int:
        for row in range(index, self.end):
            if "-->" in self.lines[row]:
                return row + 1
        raise _Bail  # unclosed: it runs to the end of the body

    def _fence_end(self, index: int, line: str) -> int:
        run = len(line) - len(line.lstrip(line[0]))
        if line[0] == "`" and "`" in line[run:]:
            raise _Bail  # not a fence: a code span in a paragraph
        closer = line[0] * run
        for row in range(index + 1, self.end):
            if _closes(self.lines[row], closer):
                return row + 1
        if self.nested:
            raise _Bail  # unclosed in a quote: where it ends there is markdown-it's call
        # Unclosed: it runs to the end of the body. markdown-it does not count a last line of
        # only spaces or tabs (or the "" after a final newline).
        last_blank = not self.lines[self.end - 1].strip(" \t")
        return self.end - 1 if self.end > index + 1 and last_blank else self.end


def _html_block(line: str) -> tuple[re.Pattern[str], re.Pattern[str], bool] | None:
    """The kind of HTML block `line` (in column 1) opens, as markdown-it-py's html_block rule
    finds it: (open pattern, close pattern, whether it may interrupt a paragraph)."""
    return next((sequence for sequence in _HTML_SEQUENCES if sequence[0].search(line)), None)


def indent_width(line: str) -> int:
    """The line's indentation in columns, tabs stopping every four (markdown-it's sCount)."""
    text = line.lstrip(" \t")
    return len(line[:len(line) - len(text)].expandtabs(4))


# The `>` of a quote's line, as the fast path takes it. markdown-it also takes a `>` after four
# columns or more on a quote's later lines (not on its first); the planner leaves those to it.
_QUOTE_MARKER = re.compile(r" {0,3}>")


def quoted_text(line: str) -> str:
    """A quote line's text as markdown-it's paragraph takes it: after `>` and one space (all
    of a lazy continuation line)."""
    if line[:1] == ">":  # most quote lines
        return line[2:] if line[1:2] == " " else line[1:]
    marker = _QUOTE_MARKER.match(line)
    if marker is None:
        return line
    start = marker.end()
    return line[start + 1:] if line[start:start + 1] == " " else line[start:]


def _quoted_events(lines: list[str], start: int, end: int) -> list[Event]:
    """The events of the block quote on lines start to end (each starting with `>`): its text,
    planned as a note of its own, and moved to the quote's lines and columns."""
    texts = [quoted_text(line) for line in lines[start:end]]
    if any("\t" in text[:len(text) - len(text.lstrip(" \t"))] for text in texts):
        raise _Bail  # a tab's width would depend on the column the quote's text starts at
    # How far each line's text is from its start in the file: the `>` and a space.
    shifts = [len(line) - len(text) for line, text in zip(lines[start:end], texts, strict=True)]
    moved: list[Event] = []
    for event in _Planner(texts, nested=True).events_or_bail():
        if type(event) is Paragraph:
            moved.append(QuotedParagraph(start + event.start, start + event.end))
            continue
        if type(event) is OpenItem:
            shift = shifts[event.index]
            if any(shifts[row] != shift for row in range(event.index + 1, event.end)):
                raise _Bail  # continuation lines must be cut at the same column
            event.col += shift
            event.text_start += shift
            event.index += start
            event.end += start
        elif type(event) is Heading:
            event.col += shifts[event.index]
            event.index += start
        elif type(event) is Block or type(event) is Table:
            event.start += start
            event.end += start
        moved.append(event)
    return moved


def _is_lazy_line(line: str) -> bool:
    """Does `line` (no `>` and not blank), after a line of a paragraph in a block quote, go on
    with that paragraph? It does when no rule that may end a quote claims it: indented by
    four columns or more (code cannot interrupt a paragraph), or plain text."""
    if line.lstrip(" \t")[:1] == ">":
        return False  # markdown-it takes it for a line of the quote, however far its `>` is
    text = line.lstrip(" ")
    if len(line) - len(text) >= 4:
        return True
    return text[0] != "\t" and is_plain_line(text) and not (text[0] == "#" and _ATX.match(text))


def _is_paragraph_line(text: str, following: str) -> bool:
    """Is the text of a line in a container (a quote, an item; not blank) a line of the
    paragraph there? Not when it is indented, may be a table's header row (`following`, the
    text of the next line, may be a delimiter row), or any block rule but `paragraph` may
    claim it."""
    return (text[0] not in " \t" and is_plain_line(text)
            and not (text[0] == "#" and _ATX.match(text))
            and not ("|" in text and _DELIMITER_ROW.match(following.lstrip(" \t"))))


_THEMATIC_BREAK = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")

# GFM tables as markdown-it-py's table rule reads them (rules_block/table.py), for a header and
# delimiter row in column 1. lineshapes.cells counts cells another way (for linkscan's hints);
# these follow markdown-it exactly because they decide whether a table opens at all.
_DELIMITER_CHARS = re.compile(r"[-|:][-|: \t]+")
_DELIMITER_CELL = re.compile(r":?-+:?")
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")  # escapedSplit: only a backslash right before escapes
_MAX_FILLED_CELLS: int = getattr(_md_table, "MAX_AUTOCOMPLETED_CELLS", 0x10000)


def delimiter_columns(line: str) -> int:
    """Columns of the table delimiter row `line` (`|:--|--:|`), 0 when it is none."""
    if not _DELIMITER_CHARS.fullmatch(line) or (line[0] == "-" and line[1] in " \t"):
        return 0  # a `- ` start is a list item
    columns = line.split("|")
    last = len(columns) - 1
    count = 0
    for index, column in enumerate(columns):
        cell = column.strip(" \t")
        if not cell:
            if 0 < index < last:
                return 0  # empty cells only before the first pipe and after the last
            continue
        if not _DELIMITER_CELL.fullmatch(cell):
            return 0
        count += 1
    return count


def header_columns(line: str) -> int:
    """Columns of `line` as a table's header row: cells between unescaped pipes, less an
    empty first and last one (outer pipes); 0 without any pipe (`\\|` counts as one here)."""
    text = md_trim(line)
    if "|" not in text:
        return 0
    separators = [match.start() for match in _CELL_SEPARATOR.finditer(text)]
    count = len(separators) + 1
    if separators:
        count -= (separators[0] == 0) + (separators[-1] == len(text) - 1)
    return count


def plan(lines: list[str]) -> list[Segment]:
    """The body as segments (first line, end, events), in order and covering every line but
    blank runs; events None where markdown-it must parse the lines."""
    return _Planner(lines).run()
