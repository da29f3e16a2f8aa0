"""The scan of a note: each line read for what it may be, and handed to the module of
that concern; the top of linkscan, which imports the others.
"""

from __future__ import annotations

from vault_tools.blocklines import md_trim
from vault_tools.frontmatter_text import find_block
from vault_tools.lineshapes import (
    ATX,
    BREAK,
    CLOSING_HASHES,
    FOOTNOTE,
    ITEM_UNSURE,
    LIST_ITEM,
    QUOTE,
    QUOTE_ON,
    SPECIAL_START,
    UNDERLINE,
    WS,
    expand_indent,
    interrupts_paragraph,
)
from vault_tools.linkscan.defines import may_define
from vault_tools.linkscan.lists import footnote, in_list, interrupts, next_item, open_item
from vault_tools.linkscan.paragraphs import close_paragraph, flush, heading, inline, paragraph_text
from vault_tools.linkscan.quotes import in_quote, quoted_line
from vault_tools.linkscan.state import NeedsParser, Scan
from vault_tools.linkscan.tables import (
    TABLE,
    delimiter_below,
    heads_table,
    open_table,
    split_item,
    under_header,
)
from vault_tools.linkscan.verbatim import opens_block, skipped
from vault_tools.notefacts import NoteFacts, facts_of
from vault_tools.parse import MAX_NESTING, parse_note
from vault_tools.syntax import comments


def scan_text(text: str, path: str) -> NoteFacts:
    """The headings, block ids and links of a note's text, without parsing it, unless it may
    define link targets (`[label]: url`) or holds a table, or a fence in a list, in a block
    quote: few notes do, and those are parsed."""
    if not may_define(text):
        try:
            return _scan(text, path)
        except NeedsParser:
            pass
    return facts_of(parse_note(text, path))


def _scan(text: str, path: str) -> NoteFacts:
    lines = text.split("\n")
    end = find_block(lines)
    start = 0 if end is None else end + 1
    if "%%" in text:
        lines = comments.extract([""] * start + lines[start:])[0]
    scan = Scan(lines=lines)
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
    flush(scan)
    return NoteFacts(path, tuple(scan.headings), tuple(scan.block_ids), tuple(scan.links))


def _line(scan: Scan, lines: list[str], index: int) -> None:
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
                and "|" not in line:  # (a line with `|` may head a table: see heads_table)
            scan.empty_item = False
            hold = _list_item(scan, line, line, 2)
            if hold is not None:
                inline(scan, hold)
            scan.after_blank = False
            return
    if line[:1] in " \t" and "\t" in line[:len(line) - len(line.lstrip(WS))]:
        line = expand_indent(line)  # tabs count to the next multiple of 4, as CommonMark says
    if scan.closer is not None and skipped(scan, line):
        return
    if not line.strip(WS):
        _blank(scan)
        return
    scan.empty_item = False
    # (Before in_list ends any list.)
    goes_on = bool(scan.list_indents) and "|" in line and next_item(scan, line)
    body, column = in_list(scan, line) if scan.list_indents else (line, 0)
    # (A row starting with `|` is paragraph text anyway: under_header reads it as a header.)
    if "|" in body and body[:1] != "|" and heads_table(scan, line, body, column, goes_on):
        close_paragraph(scan)  # the table interrupts it, and ends the items right of it
        scan.list_indents = [col for col in scan.list_indents if col <= column]
        scan.body = body
        paragraph_text(scan, body, column)  # until the delimiter row makes it a header row
        inline(scan, hold=True)
        scan.after_blank = False
        return
    # After a lazy line the quote is still open: `>` may still follow any indentation.
    quote = (QUOTE_ON if scan.after_quote or scan.quote_text else QUOTE).match(body)
    if quote is not None:
        scan.line_depth = depth = quote.group().count(">")
        if scan.quote_text and depth > scan.quote_depth:
            close_paragraph(scan)  # a quote in the quote interrupts its paragraph
        if not scan.quote_text:
            scan.quote_depth = depth
        body = body[quote.end():]
        scan.in_quote = True
        in_quote(scan, body)
    elif scan.quote_text and scan.quote_depth > 1 and not scan.list_indents \
            and body.startswith("    ") and interrupts_paragraph(body.lstrip(" ")):
        # markdown-it: the outer quote takes a line indented like code for a lazy one, but
        # marks its indent unknown (-1), so an inner quote sees `- x`, `# x`, a fence... that
        # ends it, and both quotes end there: the line is read again at the margin, as code.
        close_paragraph(scan)
    scan.body = body
    if opens_block(scan, body, 0 if quote is None else quote.group().count(">"), column):
        close_paragraph(scan)
    else:
        _content(scan, line, body, quote is not None, column)
    scan.after_blank = False


def _blank(scan: Scan) -> None:
    scan.quote_text = scan.quote_list = False
    if scan.empty_item:  # an item may start with one blank line, not two: it is empty
        scan.list_indents.pop()
        scan.empty_item = False
    close_paragraph(scan)
    scan.after_blank = True


def _plain(scan: Scan, lines: list[str], index: int) -> None:
    """A line that only a paragraph can hold: it opens one, or continues the open one."""
    scan.empty_item = False
    if scan.in_table and not lines[index].strip():
        close_paragraph(scan)  # see _content: a row of Unicode spaces ends the table
    if scan.list_indents and (scan.after_blank or not (scan.paragraph or scan.quote_text)):
        scan.list_indents = []  # at the margin, and no lazy continuation: the list ended,
        if scan.in_table:
            close_paragraph(scan)  # and a table in its item (a table takes no lazy line)
    if not scan.in_table:
        scan.quote_text = not paragraph_text(scan, lines[index])
    inline(scan, hold=not scan.in_table)
    scan.after_blank = False


def _content(scan: Scan, line: str, body: str, quoted: bool, column: int) -> None:
    """A line of text (not in code): a heading, an underline, a list item, paragraph text."""
    if scan.in_table and not body.strip():
        # markdown-it-py's table rule ends the table at a row that str.strip() empties, such
        # as one of no-break spaces, which is paragraph text for CommonMark.
        close_paragraph(scan)
    atx = ATX.match(body)
    item = LIST_ITEM.match(body)
    if scan.in_table and not (atx or item or quoted or BREAK.match(body)):
        inline(scan, hold=False)  # a table row: its cells are read line by line
        return
    if scan.paragraph and "-" in body:  # (a delimiter row holds `-`)
        made = under_header(scan, body, quoted, column)
        if made is not None:
            (open_table if made == TABLE else split_item)(scan, column)
            return
    hold = True
    underline = None
    if scan.paragraph and not quoted and column == scan.paragraph_col:
        underline = UNDERLINE.match(body)  # (an underline is in its paragraph's container)
    if atx is not None:
        close_paragraph(scan)
        text = CLOSING_HASHES.sub("", atx.group(2) or "")
        heading(scan, len(atx.group(1)), text)
        hold = False
    elif underline is not None:
        level = 1 if underline.group(1)[0] == "=" else 2
        heading(scan, level, "\n".join(scan.paragraph))
        close_paragraph(scan)  # (the heading's text: its links are the paragraph's)
        return
    elif quoted:
        quoted_line(scan, body)
    elif BREAK.match(body):
        close_paragraph(scan)
    elif item is not None and interrupts(scan, body, item, column):
        item_hold = _list_item(scan, line, body, item.end())
        if item_hold is None:
            return
        hold = item_hold
    elif (note := FOOTNOTE.match(body)) is not None and not scan.quote_text:
        footnote(scan, line, body, note.end())
    else:
        if not scan.paragraph and not column and scan.after_blank:
            scan.list_indents = []  # a paragraph at the margin after a blank: the list ended
        scan.quote_text = not paragraph_text(scan, body, column)
    inline(scan, hold)


def _list_item(scan: Scan, line: str, body: str, marker_end: int) -> bool | None:
    """Open a list item (and the items opened on the same line: `- - item`). Then, for its
    first line: True when it is paragraph text (its links are held), False when it is to be
    read alone (a heading), None when it holds nothing to read (code, or too deep)."""
    # markdown-it counts a list and its item as two levels, and the paragraph in it as one.
    for _ in range(MAX_NESTING // 2 - 1):
        column, text, code = open_item(scan, line, body, marker_end)
        if code:
            return None
        if not text:
            return True
        body = line[column:]  # the item's text, read as a line of its own
        if "|" in body and delimiter_below(scan, body, column):
            scan.paragraph = [text]  # a table's header row, in the item (see heads_table)
            return True
        inner = LIST_ITEM.match(body)
        if inner is None:
            break
        marker_end = inner.end()
    else:
        return None  # the parser does not descend this deep either
    atx = ATX.match(body)
    if atx is not None:
        heading(scan, len(atx.group(1)), CLOSING_HASHES.sub("", atx.group(2) or ""))
        return False
    quote = QUOTE.match(body)
    if quote is not None:  # `- > text`: the item holds a block quote, read as a quoted line
        scan.in_quote = True
        scan.quote_depth = scan.line_depth = quote.group().count(">")
        scan.body = rest = body[quote.end():]
        in_quote(scan, rest)
        if opens_block(scan, rest, scan.quote_depth, column):
            close_paragraph(scan)
        else:
            _content(scan, line, rest, True, column)
        return None
    if opens_block(scan, body, 0, column):
        return None
    scan.paragraph = [text]
    return True
