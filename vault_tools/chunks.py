"""Where a note's body may be cut: points where CommonMark's block state is clean.

The fast path (blocks.py) hands a chunk it does not take to markdown-it-py from the last clean
point it knows to the next one iter_chunks finds: a blank line followed by a line in column 1,
outside any fenced code, `$$` math or multi-line HTML block (those may run past blank lines).
Cutting more cautiously than needed only costs speed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from vault_tools.blocklines import (
    FENCE_OPEN,
    LIST_ITEM,
    MAYBE_DELIMITER_ROW,
    SPECIAL_START,
    html_block_kind,
    is_plain_line,
)

_NEVER = "\x00never"  # a closer no line matches: the chunk runs to the end of the note
# What ends an open block: a fence's run of backticks or tildes, MATH or MATH_MAYBE, _NEVER, or
# the end pattern of an HTML block.
Closer = str | re.Pattern[str]
# `$$` math (mdit-py-plugins' dollarmath, blank lines allowed) runs to the next line ending with
# `$$`, whatever stands between. MATH: the opener is certain; MATH_MAYBE: the line may not open
# a block at all, and then the line we take for its end may open one itself.
MATH = "$$"
MATH_MAYBE = "$$?"
# A line that may open a `$$` block spanning lines: container markers (indentation, quotes,
# list markers, footnote labels) before `$$`, and no other `$$` after it (that would close the
# block on this line, or make the line text).
_MATH_OPENER = re.compile(r"(?:[ \t>*+\-.)0-9]|\[\^[^\]]*\]:)*\$\$(?:(?!\$\$).)*$")


def _closer(line: str, block_start: bool) -> Closer | None:
    """The end marker of a block that may run past blank lines, if `line` opens one.

    Fenced code and HTML blocks of kinds 1-5 do: in column 1 they always open at the top level;
    indented, they may belong to a list item and end with it, so no later line can be trusted
    to close them: _NEVER. So does `$$` math; `block_start`: the line follows a blank line.
    """
    fence = FENCE_OPEN.match(line)
    if fence is not None:
        run = fence.group(1)
        if run[0] == "`" and "`" in line[fence.end():]:
            return None  # "``` `x`" opens nothing (a backtick fence's info has no backtick)
        return run if line[0] in "`~" else _NEVER
    html = _html_end(line)
    if html is not None:
        if html.search(line.lstrip(" ")):
            return None  # it ends on its own line (`<!-- x -->`)
        return html if line[0] == "<" else _NEVER
    if "$$" in line and _MATH_OPENER.match(line):
        # Math cannot interrupt a paragraph: only after a blank line is column 1 sure to open.
        return MATH if block_start and line[0] == "$" else MATH_MAYBE
    return None


def _html_end(line: str) -> re.Pattern[str] | None:
    """The end pattern of the HTML block `line` opens, when it is one of CommonMark's kinds 1-5
    (`<script>`, `<!--`, `<?`, `<!X`, `<![CDATA[`), which run past blank lines to their end
    marker: markdown-it-py's own patterns (blocklines.html_block_kind), up to three spaces in."""
    body = line.lstrip(" ")
    if body[:1] != "<" or len(line) - len(body) > 3:
        return None
    kind = html_block_kind(body)
    if kind is None or kind[1].match(""):
        return None  # no HTML block, or one of kinds 6-7, which a blank line ends
    return kind[1]


def _still_open(line: str, closer: Closer) -> Closer | None:
    """The closer still awaited after `line`, inside a block awaiting `closer`."""
    if not isinstance(closer, str):
        return None if closer.search(line) else closer  # an HTML block's end
    if closer == _NEVER:
        return closer
    if closer[0] in "`~":
        stripped = line.lstrip(" ")
        run = len(stripped) - len(stripped.lstrip(closer[0]))
        closes = (len(line) - len(stripped) < 4 and run >= len(closer)
                  and not stripped[run:].strip(" \t"))
        return None if closes else closer
    if closer[0] == "$":
        if not line.rstrip().endswith("$$"):
            if closer == MATH_MAYBE and _closer(line, False) not in (None, MATH_MAYBE):
                # Had the opener been none, this line opens a fence or HTML block, which may
                # run past the line the math would end on: no later line can be trusted.
                return _NEVER
            return closer
        # Had the opener been none, this line may open a block of its own.
        return MATH_MAYBE if closer == MATH_MAYBE and _MATH_OPENER.match(line) else None
    return None


def _may_swallow(line: str) -> bool:
    """May `line` begin an HTML block of kinds 6-7 or a link reference definition? Not when
    it is an HTML block of kinds 1-5 that ends on it (`<!-- x -->`): markdown-it tries those
    kinds first, and the next line starts afresh."""
    first = line.lstrip(" \t")[:1]
    if first != "<":
        return first == "["
    html = _html_end(line)
    return html is None or not html.search(line.lstrip(" "))


def closes(line: str, closer: Closer) -> bool:
    return _still_open(line, closer) is None


def may_go_on(lines: Sequence[str], index: int) -> bool:
    """May line `index`, after a blank line, go on with a list where markdown-it's state is
    not clean? A list item of the same kind continues the list, and the list rule tries no
    table where a fresh block would (`- a|b` over `-|-` is an item there, a table here)."""
    line = lines[index]
    if "|" not in line or LIST_ITEM.match(line) is None:
        return False
    following = lines[index + 1].lstrip(" \t") if index + 1 < len(lines) else ""
    return MAYBE_DELIMITER_ROW.match(following) is not None  # it may be a table's delimiter row


def iter_chunks(lines: Sequence[str], start: int = 0) -> Iterator[tuple[int, int]]:
    """Line ranges covering `lines` from `start` (where the block state must be clean), cut only
    where CommonMark's block state is clean."""
    previous_blank = True  # the first line starts a block too
    closer: Closer | None = None
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
                and not may_go_on(lines, index)):
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
