"""Tables: whether a line with `|` heads one (a delimiter row follows), and what a
delimiter row under a paragraph's last line makes of it.
"""

from __future__ import annotations

from vault_tools.lineshapes import (
    DELIMITER_ROW,
    QUOTE_ON,
    cells,
    expand_indent,
    interrupts_paragraph,
)
from vault_tools.linkscan.paragraphs import close_paragraph, inline, paragraph_text, row_links
from vault_tools.linkscan.state import Scan

TABLE, SPLIT = "table", "split"  # what a delimiter row under a header row makes (under_header)


def under_header(scan: Scan, body: str, quoted: bool, column: int) -> str | None:
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


def open_table(scan: Scan, column: int) -> None:
    """This line, a delimiter row, makes the paragraph's last line a table's header row."""
    if scan.dropped is not None:  # the header row ended the paragraph above it after all
        scan.block_ids.append(scan.dropped)
    # The header row is no part of the paragraph either: a code span opened above it cannot
    # close in it, so its links are read alone, after the paragraph's.
    # (No quote markers to blank: a table does not start in a block quote here.)
    header = scan.held.pop() if scan.held and scan.held[-1][0] == scan.index - 1 else None
    outer = _lazy_header(scan, column)
    close_paragraph(scan)
    if outer is not None:
        scan.list_indents = [col for col in scan.list_indents if col <= outer]
    if header is not None:
        row_links(scan, header[0])
    scan.in_table = True
    inline(scan, hold=False)


def split_item(scan: Scan, column: int) -> None:
    """The header row above ends the item's paragraph and its items; this row goes on with
    the paragraph the header row starts outside them (see under_header)."""
    if scan.dropped is not None:  # the header row ended the paragraph above it after all
        scan.block_ids.append(scan.dropped)
    outer = _lazy_header(scan, column) or 0
    header, text = scan.held.pop(), scan.paragraph[-1]
    close_paragraph(scan)
    scan.list_indents = [col for col in scan.list_indents if col <= outer]
    scan.paragraph, scan.paragraph_col = [text], outer
    scan.held.append(header)
    paragraph_text(scan, scan.lines[scan.index], outer)
    inline(scan, hold=True)


def _header_above(scan: Scan, body: str, quoted: bool, column: int) -> bool:
    """A delimiter row under a paragraph's header row with as many cells, in its container."""
    if quoted or not scan.paragraph or column != scan.paragraph_col or not delimiter(body):
        return False
    if _indent(scan, scan.index - 1) - column >= 4:
        return False  # as markdown-it: a header row indented like code is paragraph text
    header = scan.paragraph[-1]
    return "|" in header and 0 < cells(header) == cells(body)


def _lazy_header(scan: Scan, column: int) -> int | None:
    """When the header row above lies left of the item's text (a lazy line: the table rule
    then ends the item's paragraph, and the items right of it), the text column of the
    container holding it; else None."""
    indent = _indent(scan, scan.index - 1)
    if indent >= column or scan.opened_at == scan.index - 1:
        return None  # (the line that opened the item holds its text at the item's column)
    return max((col for col in scan.list_indents if col <= indent), default=0)


def _indent(scan: Scan, index: int) -> int:
    line = expand_indent(scan.lines[index])
    return len(line) - len(line.lstrip(" "))


def delimiter(row: str) -> bool:
    if "-" not in row or not DELIMITER_ROW.match(row):
        return False
    text = row.lstrip(" ")
    if len(row) - len(text) > 3:
        return False  # indented like code (DELIMITER_ROW lets spaces follow its ` {0,3}`)
    # As markdown-it: `-` alone, or `- ...` (a list item), is no delimiter.
    return len(text) > 1 and not (text[0] == "-" and text[1] in " \t")


def heads_table(scan: Scan, line: str, body: str, column: int, goes_on: bool) -> bool:
    """markdown-it tries its table rule first wherever a block may start, and where one may
    interrupt a paragraph: there a line with `|` heads a table when a delimiter row follows,
    whatever it starts with (`# a | b`, `> a | b`, `- a | b`, a fence). `goes_on`: the line
    is the next item of an open list (lists.next_item)."""
    if not delimiter_below(scan, body, column) or under_header(scan, body, False, column):
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
        return interrupts_paragraph(body) or delimiter_below(
            scan, body.lstrip(" "), scan.paragraph_col)
    return True


def delimiter_below(scan: Scan, header: str, column: int) -> bool:
    """Whether the next line is a delimiter row of as many cells as `header`, both in the
    container whose text starts at `column` and neither indented like code in it."""
    below = scan.lines[scan.index + 1] if scan.index + 1 < len(scan.lines) else ""
    if "-" not in below or len(header) - len(header.lstrip(" ")) > 3:
        return False
    below = expand_indent(below)
    if not column <= len(below) - len(below.lstrip(" ")) <= column + 3:
        return False
    row = below[column:]
    return delimiter(row) and 0 < cells(header) == cells(row)
