"""Lists and footnote definitions: which item a line belongs to, whether a marker starts
an item, and opening one.
"""

from __future__ import annotations

import re

from vault_tools.lineshapes import FOOTNOTE, LIST_ITEM, WS, interrupts_paragraph
from vault_tools.linkscan.paragraphs import close_paragraph
from vault_tools.linkscan.state import NeedsParser, Scan
from vault_tools.parse import MAX_NESTING


def next_item(scan: Scan, line: str) -> bool:
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


def interrupts(scan: Scan, body: str, item: re.Match[str], column: int) -> bool:
    """Whether a list marker starts an item here: the first item of a list may interrupt a
    paragraph of its container only if it has text and, when ordered, starts at 1
    (CommonMark). A paragraph of a deeper item ends anyway."""
    if not scan.paragraph or scan.paragraph_col > column:
        return True
    number = item.group(1)
    return bool(body[item.end():].strip(WS)) and (number is None or int(number) == 1)


def in_list(scan: Scan, line: str) -> tuple[str, int]:
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
            close_paragraph(scan)  # the paragraph of its last item with it
        return line, 0
    return line[max(holding):], max(holding)


def _ends_lazily(scan: Scan, text: str, indent: int) -> bool:
    """Whether a line outdented from every open item, `text` after its `indent`, ends their
    paragraph. Indented four columns or more it is no code there (markdown-it measures from
    the item's column), so `# x` ends it; but the list rule takes an item four columns past a
    list's own indent for no terminator: `- x` goes on lazily, unless it ends a quote in a
    quote (then both quotes and the item end, see dispatch._line). A footnote definition ends an
    item's paragraph, not a quote's (see dispatch._content)."""
    if not (interrupts_paragraph(text) or (FOOTNOTE.match(text) and not scan.quote_text)):
        return False
    if indent < 4 or len(scan.list_indents) > 1 or not LIST_ITEM.match(text):
        return True
    return scan.quote_text and scan.quote_depth > 1


def open_item(scan: Scan, line: str, body: str, marker_end: int) -> tuple[int, str, bool]:
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
        raise NeedsParser
    column = offset + marker_end + (0 if code else gap)
    if not text:  # `-` alone: its text would start one space after the marker
        column = offset + len(body[:marker_end].rstrip()) + 1
    # (Past the parser's nesting limit, only the innermost items are followed: bounded work.)
    scan.list_indents = [col for col in scan.list_indents[-MAX_NESTING:] if col <= marker]
    scan.list_indents.append(column)
    scan.list_markers[column], scan.opened_at = _marker(body, marker_end), scan.index
    close_paragraph(scan)
    scan.empty_item, scan.paragraph_col = not text, column
    return column, text, code


def _columns(line: str, start: int, end: int) -> int:
    """How many columns `line[start:end]` spans, tabs expanded as CommonMark expands them."""
    return len(line[:end].expandtabs(4)) - len(line[:start].expandtabs(4))


def footnote(scan: Scan, line: str, body: str, label_end: int) -> None:
    """`[^1]: text` holds its text as an item does: what follows indented by 4 is in it."""
    close_paragraph(scan)
    offset = len(line) - len(body)
    scan.list_indents = [col for col in scan.list_indents if col <= offset]
    scan.list_indents.append(offset + 4)
    scan.list_markers[offset + 4] = "^"  # (no item continues a footnote's list)
    scan.opened_at = scan.index
    text = body[label_end:].strip()
    scan.paragraph, scan.paragraph_col = ([text] if text else []), offset + 4
