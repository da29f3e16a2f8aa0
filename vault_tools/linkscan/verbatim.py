"""The verbatim blocks the scan skips, as the parser gives them no headings or links: fenced and
indented code, `$$` math, HTML blocks: what opens one, and which lines it holds.
"""

from __future__ import annotations

import re

from vault_tools.lineshapes import (
    FENCE,
    HTML_BLOCK,
    HTML_RAW,
    HTML_TAG_LINE,
    MATH,
    WS,
    expand_indent,
    fence_run,
    html_closes,
    html_end,
    math_closers,
    math_end,
)
from vault_tools.linkscan.state import NeedsParser, Scan


def skipped(scan: Scan, line: str) -> bool:
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


def opens_block(scan: Scan, body: str, depth: int, column: int) -> bool:
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


def _quoted_math_end(scan: Scan, depth: int) -> int | None:
    """The line closing `$$` math opened `depth` quote markers deep, which must come before
    the quote ends (dollarmath looks no further): None at a blank line first. A line with
    fewer markers may be a lazy one the quote takes, or end it: the parser decides."""
    for index in range(scan.index + 1, len(scan.lines)):
        text = _unquote(expand_indent(scan.lines[index]), depth)
        if text is None:
            if not scan.lines[index].strip(WS):
                return None
            raise NeedsParser
        if text.strip().endswith("$$"):
            return index
    return None


def _free(scan: Scan, depth: int) -> bool:
    """Whether there is no paragraph (or table) that a line `depth` quote markers deep would
    have to interrupt."""
    if depth:  # a quote starts afresh, unless its paragraph goes on (or lazily, deeper)
        return not scan.quote_text or depth > scan.quote_depth
    return not (scan.paragraph or scan.quote_text or scan.in_table)


def _skip(scan: Scan, closer: str | None, fence: str, depth: int, column: int) -> bool:
    """Skip the block this line opens, until `closer` ("": a blank line; None: it ended)."""
    scan.closer, scan.fence, scan.block_depth, scan.block_col = closer, fence, depth, column
    return True
