"""Block quotes: the lines of their paragraphs, and the quoted lines that may make
what the scan leaves to the parser.
"""

from __future__ import annotations

from vault_tools.lineshapes import (
    BREAK,
    HTML_TAG_LINE,
    LIST_ITEM,
    MATH,
    UNDERLINE,
    WS,
    fence_run,
    opens_html_block,
)
from vault_tools.linkscan.paragraphs import close_paragraph, heading
from vault_tools.linkscan.state import NeedsParser, Scan
from vault_tools.linkscan.tables import delimiter


def in_quote(scan: Scan, body: str) -> None:
    """Raise NeedsParser where a quoted line may make what the scan does not follow: a table
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
        raise NeedsParser
    if "-" in text and scan.index and "|" in scan.lines[scan.index - 1] \
            and delimiter(body.lstrip(WS)):
        raise NeedsParser


def quoted_line(scan: Scan, body: str) -> None:
    """A line in a block quote: its paragraphs' text, their ends, their setext headings."""
    # (With fewer `>` than the paragraph's first line, a line goes on lazily: no underline.)
    underline = None
    if scan.quote_text and scan.line_depth >= scan.quote_depth:
        underline = UNDERLINE.match(body)
    if underline is not None:
        level = 1 if underline.group(1)[0] == "=" else 2
        heading(scan, level, "\n".join(scan.quote_lines))
        close_paragraph(scan)
        return
    plain = bool(body.strip(WS)) and not (LIST_ITEM.match(body) or BREAK.match(body))
    if plain and scan.quote_text:
        scan.continued = True  # the quote's paragraph goes on
    else:
        close_paragraph(scan)
    scan.quote_text = plain
    if plain:
        scan.quote_lines.append(body.strip())
