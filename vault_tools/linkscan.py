"""A fast scan of a note's headings, block ids and links, for the notes the parser does not read.

Checking the links of a few notes (pre-commit) or exporting backlinks needs other notes of the
vault: their headings, block ids and links. The parser costs about 1.5 ms a note; this line scan
reads the same facts for a fraction of that, with the parser's own link finders on each line.
It skips what the parser does not treat as content: frontmatter, fenced and indented code,
`$$` math, HTML blocks and `%% comments %%`, and follows lists and block quotes far enough to
know what is code and what is a heading. A note that may define link targets (`[label]: url`,
which may run over lines and end where only markdown-it's rule knows) is parsed instead.
tests/test_links.py checks that both agree, on the corpora and on notes written to trip it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vault_tools.blocklines import md_trim
from vault_tools.frontmatter_text import find_block
from vault_tools.lineshapes import (
    ATX,
    BREAK,
    CLOSING_HASHES,
    DELIMITER_ROW,
    FENCE,
    FOOTNOTE,
    HTML_BLOCK,
    HTML_RAW,
    HTML_TAG_LINE,
    ITEM_UNSURE,
    LIST_ITEM,
    MATH,
    QUOTE,
    QUOTE_ON,
    SPECIAL_START,
    UNDERLINE,
    WS,
    cells,
    expand_indent,
    fence_run,
    html_closes,
    html_end,
    interrupts_paragraph,
    math_closers,
    math_end,
    opens_html_block,
)
from vault_tools.linkindex import NoteFacts, facts_of
from vault_tools.model import Link, new_link
from vault_tools.parse import MAX_NESTING, parse_note
from vault_tools.syntax import blockids, comments, links, spans


@dataclass
class _Scan:
    """State of one note's scan: the block being skipped, the open paragraph, the list."""

    closer: str | None = None  # what ends the block being skipped ("" = a blank line)
    fence: str = ""
    block_depth: int = 0  # the quote markers before its opener: its lines must have as many
    block_col: int = 0  # the text column of the item holding the block being skipped
    paragraph: list[str] = field(default_factory=list)
    paragraph_col: int = 0  # the text column of the item holding the open paragraph (0: none)
    after_blank: bool = True
    list_indents: list[int] = field(default_factory=list)  # text columns of the open items
    # The marker (`-`, `*`, `+`, `.`, `)`) of the item whose text starts at a column; an item of
    # another kind ends that item's list.
    list_markers: dict[int, str] = field(default_factory=dict)
    opened_at: int = -1  # the line that opened the innermost item or footnote (its text there)
    empty_item: bool = False  # the last line was a list marker with no text
    quote_text: bool = False  # the last line was paragraph text in a block quote
    quote_lines: list[str] = field(default_factory=list)  # that paragraph's text
    quote_depth: int = 0  # how many `>` the line opening that paragraph had
    quote_list: bool = False  # a quoted line held a list item since the last blank line
    line_depth: int = 0  # how many `>` this line has (when in_quote)
    in_quote: bool = False  # this line is in a block quote
    after_quote: bool = False  # the last line was: `>` may then follow any indentation
    pending: str | None = None  # a block id that counts if the next line starts a new block
    continued: bool = False  # this line continues the last line's paragraph
    dropped: str | None = None  # the block id the last line's continuing dropped
    lines: list[str] = field(default_factory=list)
    index: int = 0  # of the line being read
    math_end: int = 0  # the line that closes the `$$` block being skipped
    math_closers: list[int] | None = None  # lines ending with `$$` (found when first needed)
    body: str | None = None  # the line being read less its quote markers, when it has some
    in_table: bool = False  # rows hold links but are not paragraph text
    # The open paragraph's lines, for its links: (index, length of the quote markers before
    # its text, which are no part of the paragraph).
    held: list[tuple[int, int]] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    block_ids: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


# A line where a link reference definition may start: after any container markers (quotes,
# list items, footnote labels), `[` and a label ending with `]:` or running on to the next
# line, unless it is a footnote's label. A definition may run over several lines (its label,
# url or title); markdown-it-py's reference rule alone knows where it ends.
_DEFINITION_START = re.compile(
    r"(?:[ \t>]|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)|\[\^[^\]\n]*\]:)*"
    r"\[(?!\^[^\]\s]+\]:)(?:[^\[\]\\\n]|\\.)*(?:\]:|\\?$)", re.MULTILINE)
_ESCAPED = re.compile(r"\\.")


def may_define(text: str) -> bool:
    """Whether a link reference definition may start on some line of `text`. Each holds `]:`
    where its label ends, on its first line or on one its label ran on to."""
    at = text.find("]:")
    while at >= 0:
        if _label_starts(text, at):
            return True
        at = text.find("]:", at + 2)
    return False


def _label_starts(text: str, at: int) -> bool:
    """Whether a definition may start on the line holding `]:` at `at`, or on one above it
    from which its label runs on over lines with no bracket (but escaped ones) and no blank."""
    end, start = at, text.rfind("\n", 0, at) + 1
    while not _DEFINITION_START.match(text, start):
        line = _ESCAPED.sub("", text[start:end])
        if not start or "[" in line or "]" in line:
            return False
        end, start = start - 1, text.rfind("\n", 0, start - 1) + 1
        if not text[start:end].strip(" \t"):
            return False
    return True


class _NeedsParser(Exception):
    """The note holds what the scan does not follow: the parser reads it (see _in_quote)."""


def scan_text(text: str, path: str) -> NoteFacts:
    """The headings, block ids and links of a note's text, without parsing it, unless it may
    define link targets (`[label]: url`) or holds a table, or a fence in a list, in a block
    quote: few notes do, and those are parsed."""
    if not may_define(text):
        try:
            return _scan(text, path)
        except _NeedsParser:
            pass
    return facts_of(parse_note(text, path))


def _scan(text: str, path: str) -> NoteFacts:
    lines = text.split("\n")
    end = find_block(lines)
    start = 0 if end is None else end + 1
    if "%%" in text:
        lines = comments.extract([""] * start + lines[start:])[0]
    scan = _Scan(lines=lines)
    for index in range(start, len(lines)):
        pending, scan.pending, scan.continued = scan.pending, None, False
        scan.index, scan.body = index, None
        scan.after_quote, scan.in_quote = scan.in_quote, False
        _line(scan, lines, index)
        if pending is not None and scan.continued and scan.pending is None \
                and not md_trim(lines[index] if scan.body is None else scan.body):
            # Only Unicode spaces (U+00A0): the paragraph goes on, but the trim takes them off
            # its end, so the id may still end it: the next line decides.
            scan.pending = pending
        elif pending is not None and not scan.continued:
            scan.block_ids.append(pending)  # `text ^id` ended its block: the id counts
        scan.dropped = pending if scan.continued and scan.pending is not pending else None
    if scan.pending is not None:
        scan.block_ids.append(scan.pending)
    _flush(scan)
    return NoteFacts(path, tuple(scan.headings), tuple(scan.block_ids), tuple(scan.links))


def _line(scan: _Scan, lines: list[str], index: int) -> None:
    line = lines[index]
    if scan.closer is None:  # the common lines, each decided by a lookup or two
        first = line[:1]
        if first not in SPECIAL_START:
            _plain(scan, lines, index)
            return
        if not first:
            _blank(scan)
            return
        if first in "-*+" and line[1:2] == " " and line[2:3] not in ITEM_UNSURE \
                and "|" not in line:  # (a line with `|` may head a table: see _heads_table)
            scan.empty_item = False
            hold = _list_item(scan, line, line, 2)
            if hold is not None:
                _inline(scan, hold)
            scan.after_blank = False
            return
    if line[:1] in " \t" and "\t" in line[:len(line) - len(line.lstrip(WS))]:
        line = expand_indent(line)  # tabs count to the next multiple of 4, as CommonMark says
    if scan.closer is not None and _skipped(scan, line):
        return
    if not line.strip(WS):
        _blank(scan)
        return
    scan.empty_item = False
    # (Before _in_list ends any list.)
    goes_on = bool(scan.list_indents) and "|" in line and _next_item(scan, line)
    body, column = _in_list(scan, line) if scan.list_indents else (line, 0)
    # (A row starting with `|` is paragraph text anyway: _starts_table reads it as a header.)
    if "|" in body and body[:1] != "|" and _heads_table(scan, line, body, column, goes_on):
        _close_paragraph(scan)  # the table interrupts it, and ends the items right of it
        scan.list_indents = [col for col in scan.list_indents if col <= column]
        scan.body = body
        _paragraph_text(scan, body, column)  # until the delimiter row makes it a header row
        _inline(scan, hold=True)
        scan.after_blank = False
        return
    # After a lazy line the quote is still open: `>` may still follow any indentation.
    quote = (QUOTE_ON if scan.after_quote or scan.quote_text else QUOTE).match(body)
    if quote is not None:
        scan.line_depth = depth = quote.group().count(">")
        if scan.quote_text and depth > scan.quote_depth:
            _close_paragraph(scan)  # a quote in the quote interrupts its paragraph
        if not scan.quote_text:
            scan.quote_depth = depth
        body = body[quote.end():]
        scan.in_quote = True
        _in_quote(scan, body)
    elif scan.quote_text and scan.quote_depth > 1 and not scan.list_indents \
            and body.startswith("    ") and interrupts_paragraph(body.lstrip(" ")):
        # markdown-it: the outer quote takes a line indented like code for a lazy one, but
        # marks its indent unknown (-1), so an inner quote sees `- x`, `# x`, a fence... that
        # ends it, and both quotes end there: the line is read again at the margin, as code.
        _close_paragraph(scan)
    scan.body = body
    if _opens_block(scan, body, 0 if quote is None else quote.group().count(">"), column):
        _close_paragraph(scan)
    else:
        _content(scan, line, body, quote is not None, column)
    scan.after_blank = False


def _blank(scan: _Scan) -> None:
    scan.quote_text = scan.quote_list = False
    if scan.empty_item:  # an item may start with one blank line, not two: it is empty
        scan.list_indents.pop()
        scan.empty_item = False
    _close_paragraph(scan)
    scan.after_blank = True


def _plain(scan: _Scan, lines: list[str], index: int) -> None:
    """A line that only a paragraph can hold: it opens one, or continues the open one."""
    scan.empty_item = False
    if scan.in_table and not lines[index].strip():
        _close_paragraph(scan)  # see _content: a row of Unicode spaces ends the table
    if scan.list_indents and (scan.after_blank or not (scan.paragraph or scan.quote_text)):
        scan.list_indents = []  # at the margin, and no lazy continuation: the list ended,
        if scan.in_table:
            _close_paragraph(scan)  # and a table in its item (a table takes no lazy line)
    if not scan.in_table:
        scan.quote_text = not _paragraph_text(scan, lines[index])
    _inline(scan, hold=not scan.in_table)
    scan.after_blank = False


def _skipped(scan: _Scan, line: str) -> bool:
    """True when `line` belongs to the code, math or HTML block being skipped."""
    column = scan.block_col  # (its lines count columns from there)
    if column and scan.closer != "$$" and line[:column].strip(" ") and line.strip(WS):
        # The item holding the block ended, and the block with it (`$$` math runs on).
        scan.closer = None
        return False
    text = _unquote(line, scan.block_depth) if scan.block_depth else line
    if text is None:
        # The block quote holding the block ended, or this is a lazy line of its paragraph:
        # markdown-it ends a fence or an HTML block in the quote there.
        scan.closer = None
        return False
    scan.in_quote = scan.block_depth > 0
    if scan.closer == "":  # indented code and HTML kinds 6-7 end at a blank line
        if not text.strip(WS):
            scan.closer = None
            if scan.block_depth:
                return False  # a blank line of the quote (`>`): read as one
            scan.after_blank = True
            return True
        if scan.fence == "    " and not line.startswith("    ", column):
            scan.closer = None  # indented code also ends at a line that is not indented
            return False
        return True
    if scan.fence:
        match = FENCE.match(text)
        inside = 0 if scan.block_depth else column  # (a quote's text starts after its markers)
        if (match and not text.startswith("    ", inside)  # (one indented like code is text)
                and match.group(1)[0] == scan.fence[0]
                and len(match.group(1)) >= len(scan.fence) and not text[match.end():].strip()):
            scan.closer = None
        return True
    if scan.closer == "$$":
        if scan.index >= scan.math_end:
            scan.closer = None
    elif scan.closer is not None and html_closes(text, scan.closer):
        scan.closer = None
    return True


_QUOTE_MARKER = re.compile(r"[ \t]*>[ \t]?")


def _unquote(line: str, depth: int) -> str | None:
    """`line` less `depth` block quote markers, or None when it has fewer. Any indentation may
    come before each: markdown-it reads a quote's next line so (see QUOTE_ON)."""
    for _ in range(depth):
        marker = _QUOTE_MARKER.match(line)
        if marker is None:
            return None
        line = line[marker.end():]
    return line


def _opens_block(scan: _Scan, body: str, depth: int, column: int) -> bool:
    """True when `body` opens fenced code, math, an HTML or indented code block (skipped).
    `depth`: the quote markers before it; `column`: the text column of the item holding it
    (or holding its quote; 0 for none)."""
    indented = body.startswith(("    ", "\t"))  # like code: no fence or `$$` opens there
    run = None if indented else fence_run(body)
    if run is not None:
        return _skip(scan, run, run, depth, column)
    if not indented and MATH.match(body) and _free(scan, depth):
        if scan.math_closers is None:
            scan.math_closers = math_closers(scan.lines)
        last = math_end(scan.math_closers, scan.index, body)
        if depth and last is not None and last > scan.index:
            last = _quoted_math_end(scan, depth)
        if last is not None:
            scan.math_end = last  # (its lines end it, quoted or not: depth 0)
            return _skip(scan, None if last == scan.index else "$$", "", 0, column)
    raw = HTML_RAW.match(body)
    end = None if raw is None else html_end(raw.group(1))
    if raw is not None and end is not None:
        closer = None if html_closes(body[raw.start(1):], end) else end
        return _skip(scan, closer, "", depth, column)
    if HTML_BLOCK.match(body) or (_free(scan, depth) and HTML_TAG_LINE.match(body)):
        return _skip(scan, "", "", depth, column)
    if indented and not depth and (scan.in_table or _free(scan, 0)):  # (code ends a table)
        return _skip(scan, "", "    ", 0, column)
    return False


def _quoted_math_end(scan: _Scan, depth: int) -> int | None:
    """The line closing `$$` math opened `depth` quote markers deep, which must come before
    the quote ends (dollarmath looks no further): None at a blank line first. A line with
    fewer markers may be a lazy one the quote takes, or end it: the parser decides."""
    for index in range(scan.index + 1, len(scan.lines)):
        text = _unquote(expand_indent(scan.lines[index]), depth)
        if text is None:
            if not scan.lines[index].strip(WS):
                return None
            raise _NeedsParser
        if text.strip().endswith("$$"):
            return index
    return None


def _free(scan: _Scan, depth: int) -> bool:
    """Whether there is no paragraph (or table) that a line `depth` quote markers deep would
    have to interrupt."""
    if depth:  # a quote starts afresh, unless its paragraph goes on (or lazily, deeper)
        return not scan.quote_text or depth > scan.quote_depth
    return not (scan.paragraph or scan.quote_text or scan.in_table)


def _skip(scan: _Scan, closer: str | None, fence: str, depth: int, column: int) -> bool:
    """Skip the block this line opens, until `closer` ("": a blank line; None: it ended)."""
    scan.closer, scan.fence, scan.block_depth, scan.block_col = closer, fence, depth, column
    return True


def _content(scan: _Scan, line: str, body: str, quoted: bool, column: int) -> None:
    """A line of text (not in code): a heading, an underline, a list item, paragraph text."""
    if scan.in_table and not body.strip():
        # markdown-it-py's table rule ends the table at a row that str.strip() empties, such
        # as one of no-break spaces, which is paragraph text for CommonMark.
        _close_paragraph(scan)
    atx = ATX.match(body)
    item = LIST_ITEM.match(body)
    if scan.in_table and not (atx or item or quoted or BREAK.match(body)):
        _inline(scan, hold=False)  # a table row: its cells are read line by line
        return
    if scan.paragraph and "-" in body:  # (a delimiter row holds `-`)
        made = _under_header(scan, body, quoted, column)
        if made is not None:
            (_open_table if made == TABLE else _split_item)(scan, column)
            return
    hold = True
    underline = None
    if scan.paragraph and not quoted and column == scan.paragraph_col:
        underline = UNDERLINE.match(body)  # (an underline is in its paragraph's container)
    if atx is not None:
        _close_paragraph(scan)
        text = CLOSING_HASHES.sub("", atx.group(2) or "")
        _heading(scan, len(atx.group(1)), text)
        hold = False
    elif underline is not None:
        level = 1 if underline.group(1)[0] == "=" else 2
        _heading(scan, level, "\n".join(scan.paragraph))
        _close_paragraph(scan)  # (the heading's text: its links are the paragraph's)
        return
    elif quoted:
        _quoted(scan, body)
    elif BREAK.match(body):
        _close_paragraph(scan)
    elif item is not None and _interrupts(scan, body, item, column):
        item_hold = _list_item(scan, line, body, item.end())
        if item_hold is None:
            return
        hold = item_hold
    elif (note := FOOTNOTE.match(body)) is not None and not scan.quote_text:
        _footnote(scan, line, body, note.end())
    else:
        if not scan.paragraph and not column and scan.after_blank:
            scan.list_indents = []  # a paragraph at the margin after a blank: the list ended
        scan.quote_text = not _paragraph_text(scan, body, column)
    _inline(scan, hold)


TABLE, SPLIT = "table", "split"  # what a delimiter row under a header row makes (_under_header)


def _under_header(scan: _Scan, body: str, quoted: bool, column: int) -> str | None:
    """What `body` makes as a delimiter row (`|---|:--:|`) under a header row of as many cells:
    TABLE; or SPLIT, under a lazy header row that cannot head a table outside the item, this
    row being indented like code there: the header row still ends the item's paragraph (the
    table rule found a table in the item), and this row goes on with the header's paragraph."""
    if not _header_above(scan, body, quoted, column):
        return None
    outer = _lazy_header(scan, column)
    if outer is None:
        return TABLE
    if _indent(scan, scan.index - 1) >= outer + 4:
        return None  # (neither row may be indented like code outside the item)
    return TABLE if _indent(scan, scan.index) < outer + 4 else SPLIT


def _open_table(scan: _Scan, column: int) -> None:
    """This line, a delimiter row, makes the paragraph's last line a table's header row."""
    if scan.dropped is not None:  # the header row ended the paragraph above it after all
        scan.block_ids.append(scan.dropped)
    # The header row is no part of the paragraph either: a code span opened above it cannot
    # close in it, so its links are read alone, after the paragraph's.
    # (No quote markers to blank: a table does not start in a block quote here.)
    header = scan.held.pop() if scan.held and scan.held[-1][0] == scan.index - 1 else None
    outer = _lazy_header(scan, column)
    _close_paragraph(scan)
    if outer is not None:
        scan.list_indents = [col for col in scan.list_indents if col <= outer]
    if header is not None:
        _row_links(scan, header[0])
    scan.in_table = True
    _inline(scan, hold=False)


def _split_item(scan: _Scan, column: int) -> None:
    """The header row above ends the item's paragraph and its items; this row goes on with
    the paragraph the header row starts outside them (see _under_header)."""
    if scan.dropped is not None:  # the header row ended the paragraph above it after all
        scan.block_ids.append(scan.dropped)
    outer = _lazy_header(scan, column) or 0
    header, text = scan.held.pop(), scan.paragraph[-1]
    _close_paragraph(scan)
    scan.list_indents = [col for col in scan.list_indents if col <= outer]
    scan.paragraph, scan.paragraph_col = [text], outer
    scan.held.append(header)
    _paragraph_text(scan, scan.lines[scan.index], outer)
    _inline(scan, hold=True)


def _header_above(scan: _Scan, body: str, quoted: bool, column: int) -> bool:
    """A delimiter row under a paragraph's header row with as many cells, in its container."""
    if quoted or not scan.paragraph or column != scan.paragraph_col or not _delimiter(body):
        return False
    if _indent(scan, scan.index - 1) - column >= 4:
        return False  # as markdown-it: a header row indented like code is paragraph text
    header = scan.paragraph[-1]
    return "|" in header and 0 < cells(header) == cells(body)


def _lazy_header(scan: _Scan, column: int) -> int | None:
    """When the header row above lies left of the item's text (a lazy line: the table rule
    then ends the item's paragraph, and the items right of it), the text column of the
    container holding it; else None."""
    indent = _indent(scan, scan.index - 1)
    if indent >= column or scan.opened_at == scan.index - 1:
        return None  # (the line that opened the item holds its text at the item's column)
    return max((col for col in scan.list_indents if col <= indent), default=0)


def _indent(scan: _Scan, index: int) -> int:
    line = expand_indent(scan.lines[index])
    return len(line) - len(line.lstrip(" "))


def _delimiter(row: str) -> bool:
    if "-" not in row or not DELIMITER_ROW.match(row):
        return False
    text = row.lstrip(" ")
    if len(row) - len(text) > 3:
        return False  # indented like code (DELIMITER_ROW lets spaces follow its ` {0,3}`)
    # As markdown-it: `-` alone, or `- ...` (a list item), is no delimiter.
    return len(text) > 1 and not (text[0] == "-" and text[1] in " \t")


def _heads_table(scan: _Scan, line: str, body: str, column: int, goes_on: bool) -> bool:
    """markdown-it tries its table rule first wherever a block may start, and where one may
    interrupt a paragraph: there a line with `|` heads a table when a delimiter row follows,
    whatever it starts with (`# a | b`, `> a | b`, `- a | b`, a fence). `goes_on`: the line
    is the next item of an open list (_next_item)."""
    if not _delimiter_below(scan, body, column) or _under_header(scan, body, False, column):
        return False  # (or this line is the delimiter row of a table the line above heads)
    if (scan.after_quote or scan.quote_text) and QUOTE_ON.match(body):
        return False  # a line of the block quote: the table would have to be in it
    if goes_on:
        return False  # the next item of an open list: the list rule reads it first
    if scan.in_table or scan.quote_text:
        return interrupts_paragraph(body)  # (a table row, a quote's lazy line: unless ended)
    if scan.paragraph and scan.paragraph_col > column:
        # A lazy line of an item's paragraph: the table rule ends that paragraph when the
        # delimiter row is in the item (markdown-it lets the header row lie outside it).
        return interrupts_paragraph(body) or _delimiter_below(
            scan, body.lstrip(" "), scan.paragraph_col)
    return True


def _next_item(scan: _Scan, line: str) -> bool:
    """Whether `line` is the next item of an open list: the list of the outermost item whose
    text starts right of the line's indentation, when the line's marker is of its kind (`*`
    after `-`, or `1)` after `1.`, ends that list and starts afresh)."""
    item = LIST_ITEM.match(line)
    if item is None:
        return False
    indent = len(line) - len(line.lstrip(" "))
    deeper = next((col for col in scan.list_indents if col > indent), None)
    return deeper is not None and scan.list_markers.get(deeper) == _marker(line, item.end())


def _marker(body: str, marker_end: int) -> str:
    """The bullet, or the ordered marker's `.` or `)`, of the item LIST_ITEM found."""
    last = body[marker_end - 1]  # (the space or tab after it, unless the line ends there)
    return body[marker_end - 2] if last in WS else last


def _delimiter_below(scan: _Scan, header: str, column: int) -> bool:
    """Whether the next line is a delimiter row of as many cells as `header`, both in the
    container whose text starts at `column` and neither indented like code in it."""
    below = scan.lines[scan.index + 1] if scan.index + 1 < len(scan.lines) else ""
    if "-" not in below or len(header) - len(header.lstrip(" ")) > 3:
        return False
    below = expand_indent(below)
    if not column <= len(below) - len(below.lstrip(" ")) <= column + 3:
        return False
    row = below[column:]
    return _delimiter(row) and 0 < cells(header) == cells(row)


def _heading(scan: _Scan, level: int, text: str) -> None:
    # A comment that opened the line left MASK in its place; the parser drops it from texts.
    scan.headings.append((level, text.replace(spans.MASK, "").strip()))


def _paragraph_text(scan: _Scan, text: str, column: int = 0) -> bool:
    """Add a line to the open paragraph, or open one; False for a lazy line of a quote's."""
    if scan.quote_text:
        scan.continued = True  # `> text` then `more`: the quote's paragraph goes on
        scan.quote_lines.append(text.strip())
        return False
    if scan.paragraph:
        scan.continued = True
    else:
        scan.paragraph_col = column
    scan.paragraph.append(text.strip())
    return True


def _in_quote(scan: _Scan, body: str) -> None:
    """Raise _NeedsParser where a quoted line may make what the scan does not follow: a table
    in the quote (a delimiter row under a line with `|`), or a fence, `$$` math or HTML in a
    list in the quote (which ends with an item the scan does not know of)."""
    text = body.lstrip(WS)
    item = LIST_ITEM.match(text)
    if item is not None:
        scan.quote_list = True
        text = text[item.end():].lstrip(WS)
    if scan.quote_list and text[:1] in ("`", "~", "$", "<") and (
            fence_run(text) is not None or MATH.match(text) or opens_html_block(text)
            or HTML_TAG_LINE.match(text)):
        raise _NeedsParser
    if "-" in text and scan.index and "|" in scan.lines[scan.index - 1] \
            and _delimiter(body.lstrip(WS)):
        raise _NeedsParser


def _quoted(scan: _Scan, body: str) -> None:
    """A line in a block quote: its paragraphs' text, their ends, their setext headings."""
    # (With fewer `>` than the paragraph's first line, a line goes on lazily: no underline.)
    underline = None
    if scan.quote_text and scan.line_depth >= scan.quote_depth:
        underline = UNDERLINE.match(body)
    if underline is not None:
        level = 1 if underline.group(1)[0] == "=" else 2
        _heading(scan, level, "\n".join(scan.quote_lines))
        _close_paragraph(scan)
        return
    plain = bool(body.strip(WS)) and not (LIST_ITEM.match(body) or BREAK.match(body))
    if plain and scan.quote_text:
        scan.continued = True  # the quote's paragraph goes on
    else:
        _close_paragraph(scan)
    scan.quote_text = plain
    if plain:
        scan.quote_lines.append(body.strip())


def _interrupts(scan: _Scan, body: str, item: re.Match[str], column: int) -> bool:
    """Whether a list marker starts an item here: the first item of a list may interrupt a
    paragraph of its container only if it has text and, when ordered, starts at 1
    (CommonMark). A paragraph of a deeper item ends anyway."""
    if not scan.paragraph or scan.paragraph_col > column:
        return True
    number = item.group(1)
    return bool(body[item.end():].strip(WS)) and (number is None or int(number) == 1)


def _inline(scan: _Scan, hold: bool) -> None:
    """Links and block id of the line; a paragraph's lines are held, to be read together
    (a code span or `$$` math may run over several of them)."""
    line = scan.lines[scan.index]  # the line as written: link columns count its characters
    body = line if scan.body is None else scan.body
    if hold:
        # (A quoted line's text is the end of the line as written: tabs expand before `>`.)
        scan.held.append((scan.index, len(line) - len(body) if scan.in_quote else 0))
    elif "[" in line:
        scan.links.extend(_links_in(spans.mask(line), line, scan.index + 1))
    if "^" in body:
        # A paragraph's text is trimmed as the parser trims it (an nbsp after the id may go);
        # a table row is read as written.
        found = blockids.find_block_id(spans.mask(body if scan.in_table else md_trim(body)))
        if found is not None:
            if "|" in body and not scan.in_table \
                    and blockids.find_block_id(spans.mask(body)) is None:
                raise _NeedsParser  # only the trim finds it, and the line may head a table
            scan.pending = found[0]


def _row_links(scan: _Scan, index: int) -> None:
    """The links of one line, masked on its own."""
    row = scan.lines[index]
    if "[" in row:
        scan.links.extend(_links_in(spans.mask(row), row, index + 1))


def _in_list(scan: _Scan, line: str) -> tuple[str, int]:
    """A line in a list, dedented to the text of the item it belongs to, and that item's text
    column (0 when it belongs to none)."""
    indent = len(line) - len(line.lstrip(" "))
    if scan.after_blank:  # after a blank line, items indented deeper than this line ended
        scan.list_indents = [col for col in scan.list_indents if col <= indent]
    holding = [col for col in scan.list_indents if col <= indent]
    if not holding:
        if scan.after_blank or not (scan.paragraph or scan.quote_text) \
                or _ends_lazily(scan, line[indent:], indent):
            scan.list_indents = []  # not a lazy continuation line: the list ended, and
            _close_paragraph(scan)  # the paragraph of its last item with it
        return line, 0
    return line[max(holding):], max(holding)


def _ends_lazily(scan: _Scan, text: str, indent: int) -> bool:
    """Whether a line outdented from every open item, `text` after its `indent`, ends their
    paragraph. Indented four columns or more it is no code there (markdown-it measures from
    the item's column), so `# x` ends it; but the list rule takes an item four columns past a
    list's own indent for no terminator: `- x` goes on lazily, unless it ends a quote in a
    quote (then both quotes and the item end, see _line). A footnote definition ends an
    item's paragraph, not a quote's (see _content)."""
    if not (interrupts_paragraph(text) or (FOOTNOTE.match(text) and not scan.quote_text)):
        return False
    if indent < 4 or len(scan.list_indents) > 1 or not LIST_ITEM.match(text):
        return True
    return scan.quote_text and scan.quote_depth > 1


def _list_item(scan: _Scan, line: str, body: str, marker_end: int) -> bool | None:
    """Open a list item (and the items opened on the same line: `- - item`). Then, for its
    first line: True when it is paragraph text (its links are held), False when it is to be
    read alone (a heading), None when it holds nothing to read (code, or too deep)."""
    # markdown-it counts a list and its item as two levels, and the paragraph in it as one.
    for _ in range(MAX_NESTING // 2 - 1):
        column, text, code = _open_item(scan, line, body, marker_end)
        if code:
            return None
        if not text:
            return True
        body = line[column:]  # the item's text, read as a line of its own
        if "|" in body and _delimiter_below(scan, body, column):
            scan.paragraph = [text]  # a table's header row, in the item (see _heads_table)
            return True
        inner = LIST_ITEM.match(body)
        if inner is None:
            break
        marker_end = inner.end()
    else:
        return None  # the parser does not descend this deep either
    atx = ATX.match(body)
    if atx is not None:
        _heading(scan, len(atx.group(1)), CLOSING_HASHES.sub("", atx.group(2) or ""))
        return False
    quote = QUOTE.match(body)
    if quote is not None:  # `- > text`: the item holds a block quote, read as a quoted line
        scan.in_quote = True
        scan.quote_depth = scan.line_depth = quote.group().count(">")
        scan.body = rest = body[quote.end():]
        _in_quote(scan, rest)
        if _opens_block(scan, rest, scan.quote_depth, column):
            _close_paragraph(scan)
        else:
            _content(scan, line, rest, True, column)
        return None
    if _opens_block(scan, body, 0, column):
        return None
    scan.paragraph = [text]
    return True


def _open_item(scan: _Scan, line: str, body: str, marker_end: int) -> tuple[int, str, bool]:
    """(the item's text column, its text on this line, whether that text is code)."""
    content = body[marker_end:]
    text = content.strip(WS)
    offset = len(line) - len(body)
    marker = offset + len(body) - len(body.lstrip(" "))
    # Where the item's text starts in the line: its continuation lines are indented to there
    # (five columns or more after the marker: one, and the rest is indented code; a tab counts
    # to the next multiple of 4 from the line's start, so `-<tab><tab>x` is code).
    gap = len(content) - len(content.lstrip(WS)) if text else 0
    code = bool(text) and _columns(line, offset + len(body[:marker_end].rstrip(WS)),
                                   offset + marker_end + gap) >= 5
    if text and not code and "\t" in body[marker_end - 1:marker_end + gap]:
        # A tab before the text: the text's column is no longer its offset in the line, and
        # the scan slices lines by column. Rare enough to leave to the parser.
        raise _NeedsParser
    column = offset + marker_end + (0 if code else gap)
    if not text:  # `-` alone: its text would start one space after the marker
        column = offset + len(body[:marker_end].rstrip()) + 1
    # (Past the parser's nesting limit, only the innermost items are followed: bounded work.)
    scan.list_indents = [col for col in scan.list_indents[-MAX_NESTING:] if col <= marker]
    scan.list_indents.append(column)
    scan.list_markers[column], scan.opened_at = _marker(body, marker_end), scan.index
    _close_paragraph(scan)
    scan.empty_item, scan.paragraph_col = not text, column
    return column, text, code


def _columns(line: str, start: int, end: int) -> int:
    """How many columns `line[start:end]` spans, tabs expanded as CommonMark expands them."""
    return len(line[:end].expandtabs(4)) - len(line[:start].expandtabs(4))


def _footnote(scan: _Scan, line: str, body: str, label_end: int) -> None:
    """`[^1]: text` holds its text as an item does: what follows indented by 4 is in it."""
    _close_paragraph(scan)
    offset = len(line) - len(body)
    scan.list_indents = [col for col in scan.list_indents if col <= offset]
    scan.list_indents.append(offset + 4)
    scan.list_markers[offset + 4] = "^"  # (no item continues a footnote's list)
    scan.opened_at = scan.index
    text = body[label_end:].strip()
    scan.paragraph, scan.paragraph_col = ([text] if text else []), offset + 4


def _close_paragraph(scan: _Scan) -> None:
    _flush(scan)
    scan.paragraph, scan.quote_lines = [], []
    scan.in_table = scan.quote_text = False
    scan.paragraph_col = 0


def _flush(scan: _Scan) -> None:
    """The links of the held paragraph lines, masked together as the parser masks them."""
    held, scan.held = scan.held, []
    # Quote markers blanked: the `>` that starts a line would close a `<tag` of the line above.
    rows = [" " * cut + scan.lines[index][cut:] for index, cut in held]
    if not any("[" in row for row in rows):
        return
    masked = spans.mask("\n".join(rows)).split("\n")
    for (index, _), row, masked_row in zip(held, rows, masked, strict=True):
        if "[" in row:
            scan.links.extend(_links_in(masked_row, row, index + 1))


def _links_in(masked: str, line: str, number: int) -> list[Link]:
    """Wikilinks, embeds and Markdown links of one line, as the parser finds them."""
    found: list[links.RawLink] = []
    if "[[" in masked:
        found = links.find_wikilinks(masked, line)
        if found:
            masked = spans.blank(masked, [(raw.start, raw.end) for raw in found])
    if "](" in masked:
        found.extend(links.find_markdown_links(masked, line))
    found.sort(key=lambda raw: raw.start)
    return [new_link(raw.kind, raw.target, raw.heading, raw.block, raw.alias, number,
                     raw.start + 1) for raw in found]
