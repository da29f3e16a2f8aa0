"""What the lines of text yield: a paragraph's text, its lines held until it closes and
their links then read together (as the parser masks them), block ids, headings' text.
"""

from __future__ import annotations

from vault_tools.blocklines import md_trim
from vault_tools.linkscan.state import NeedsParser, Scan
from vault_tools.model import Link, new_link
from vault_tools.syntax import blockids, links, spans


def heading(scan: Scan, level: int, text: str) -> None:
    # A comment that opened the line left MASK in its place; the parser drops it from texts.
    scan.headings.append((level, text.replace(spans.MASK, "").strip()))


def paragraph_text(scan: Scan, text: str, column: int = 0) -> bool:
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


def inline(scan: Scan, hold: bool) -> None:
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
                raise NeedsParser  # only the trim finds it, and the line may head a table
            scan.pending = found[0]


def row_links(scan: Scan, index: int) -> None:
    """The links of one line, masked on its own."""
    row = scan.lines[index]
    if "[" in row:
        scan.links.extend(_links_in(spans.mask(row), row, index + 1))


def close_paragraph(scan: Scan) -> None:
    flush(scan)
    scan.paragraph, scan.quote_lines = [], []
    scan.in_table = scan.quote_text = False
    scan.paragraph_col = 0


def flush(scan: Scan) -> None:
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
