"""What a line is to the fast path's planner (blocks.py), read from the line alone (or with
the next one): plain text, an ATX heading, a one-line list item, a quote's marker, a table's
rows. Each follows the markdown-it-py block rule it stands for, and answers "not sure" (not
plain, no item...) whenever that rule might see the line another way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.common import utils as _md_utils
from markdown_it.rules_block import table as _md_table
from markdown_it.rules_block.html_block import HTML_SEQUENCES as _HTML_SEQUENCES

# Trim exactly as the installed markdown-it-py trims paragraph and heading text (older
# releases used str.strip, newer ones strip only CommonMark whitespace).
md_trim: Callable[[str], str] = getattr(_md_utils, "mdTrim", str.strip)
# The characters md_trim removes, for `str.strip(MD_SPACE)` and `rstrip`: None (Python's
# whitespace) where md_trim is str.strip. Python's own set is larger (U+001C-U+001F, U+0085):
# trimmed with it, a paragraph holding only U+001D looked empty and was put on the wrong line.
MD_SPACE: str | None = getattr(_md_utils, "MD_TRIM_CHARS", None) \
    if hasattr(_md_utils, "mdTrim") else None

ATX = re.compile(r"(#{1,6})(?:[ \t]|$)")
# A line starting with none of these (or empty) can only be paragraph text.
SPECIAL_START = frozenset([*" \t><-*+_=`~$|:[#0123456789", ""])
# Lines that some block rule other than `heading` and `paragraph` may claim, by first character:
# list markers, thematic breaks and setext underlines, fences, `$$` math, table delimiter rows,
# ordered list markers. Anything else starting with these characters is plain text.
_BULLET = re.compile(r"[-*+](?:[ \t]|$)")
_BREAK_OR_UNDERLINE = re.compile(r"(?:([-*_])(?:[ \t]*\1){2,}|-+|=+)[ \t]*$")
_ORDERED = re.compile(r"\d{1,9}[.)](?:[ \t]|$)")
# Only what a delimiter row is made of: a line that may be one (delimiter_columns decides).
MAYBE_DELIMITER_ROW = re.compile(r"[|:\- \t]+$")
FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ALWAYS_UNSAFE = frozenset(" \t><")  # indentation, block quotes, HTML blocks


def is_plain_line(line: str) -> bool:
    """True when no block rule but `heading` or `paragraph` can apply to this line."""
    first = line[0]
    if first not in SPECIAL_START:
        return True  # most item texts: no need to go through every case below
    if first in _ALWAYS_UNSAFE:
        return False
    if first in "-|:" and MAYBE_DELIMITER_ROW.match(line):
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


def atx_heading(line: str) -> tuple[int, str, int] | None:
    """(level, text, 1-based column of the text) of an ATX heading in column 1."""
    match = ATX.match(line)
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


# A setext heading's underline (markdown-it's lheading: spaces or tabs after the run).
SETEXT_UNDERLINE = re.compile(r" {0,3}(?:-+|=+)[ \t]*$")
# A footnote definition's label, in column 1 (mdit-py-plugins' footnote_def; no blank in it).
FOOTNOTE_LABEL = re.compile(r"\[\^[^\]\s]+\]:")
# A line that opens a list item of any shape: a marker up to three spaces in, then a blank or
# the line's end.
LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|(\d{1,9})[.)])(?:[ \t]|$)")
# A list item with nothing on its line (markdown-it's list rule: spaces or tabs after the marker).
EMPTY_ITEM = re.compile(r" {0,3}([-*+]|\d{1,9}[.)])[ \t]*$")
# A list item on one line: indentation (spaces), marker, 1-4 spaces, text. Five or more spaces
# after the marker make indented code, which the fast path leaves to markdown-it.
ITEM = re.compile(r"( *)([-*+]|\d{1,9}[.)])( {1,4})(?! )(\S.*)$")


def item_shape(line: str) -> tuple[int, str, int, bool] | None:
    """(indent, marker, text offset, whether it may interrupt a paragraph) of a one-line list
    item the fast path can take. Only an ordered list starting from 1 may interrupt one."""
    match = ITEM.match(line)
    if match is None:
        return None
    start = match.start(4)
    if line[start] in SPECIAL_START:  # most item texts start with a letter: no copy to test
        text = line[start:]
        if not is_plain_line(text) or (text[0] == "#" and ATX.match(text)):
            return None
    marker = match.group(2)
    if marker in "-*+":
        return len(match.group(1)), marker, start, True
    return len(match.group(1)), marker[-1], start, int(marker[:-1]) == 1


# An HTML block's kind: (open pattern, close pattern, whether it may interrupt a paragraph).
HtmlKind = tuple[re.Pattern[str], re.Pattern[str], bool]


def html_block_kind(line: str) -> HtmlKind | None:
    """The kind of HTML block `line` (in column 1) opens, as markdown-it-py's html_block rule
    finds it: (open pattern, close pattern, whether it may interrupt a paragraph)."""
    return next((sequence for sequence in _HTML_SEQUENCES if sequence[0].search(line)), None)


# The kind a line starting with `<!--` opens (no earlier kind can match it): most HTML blocks
# in notes are comments.
HTML_COMMENT: HtmlKind = next(kind for kind in _HTML_SEQUENCES if kind[0].search("<!--"))


def indent_width(line: str) -> int:
    """The line's indentation in columns, tabs stopping every four (markdown-it's sCount)."""
    text = line.lstrip(" \t")
    return len(line[:len(line) - len(text)].expandtabs(4))


# The `>` of a quote's line, as the fast path takes it. markdown-it also takes a `>` after four
# columns or more on a quote's later lines (not on its first); the planner leaves those to it.
QUOTE_MARKER = re.compile(r" {0,3}>")


def quoted_text(line: str) -> str:
    """A quote line's text as markdown-it's paragraph takes it: after `>` and one space (all
    of a lazy continuation line)."""
    if line[:1] == ">":  # most quote lines
        return line[2:] if line[1:2] == " " else line[1:]
    marker = QUOTE_MARKER.match(line)
    if marker is None:
        return line
    start = marker.end()
    return line[start + 1:] if line[start:start + 1] == " " else line[start:]


def is_lazy_line(line: str) -> bool:
    """Does `line` (no `>` and not blank), after a line of a paragraph in a block quote, go on
    with that paragraph? It does when no rule that may end a quote claims it: indented by
    four columns or more (code cannot interrupt a paragraph), or plain text."""
    if line.lstrip(" \t")[:1] == ">":
        return False  # markdown-it takes it for a line of the quote, however far its `>` is
    text = line.lstrip(" ")
    if len(line) - len(text) >= 4:
        return True
    return text[0] != "\t" and is_plain_line(text) and not (text[0] == "#" and ATX.match(text))


def is_paragraph_line(text: str, following: str) -> bool:
    """Is the text of a line in a container (a quote, an item; not blank) a line of the
    paragraph there? Not when it is indented, may be a table's header row (`following`, the
    text of the next line, may be a delimiter row), or any block rule but `paragraph` may
    claim it."""
    return (text[0] not in " \t" and is_plain_line(text)
            and not (text[0] == "#" and ATX.match(text))
            and not ("|" in text and MAYBE_DELIMITER_ROW.match(following.lstrip(" \t"))))


def ends_list(line: str, outermost: int) -> bool:
    """Does `line`, indented and after a blank line, end a list whose outermost item's text
    starts at column `outermost` + 1? It does when it is indented less (with spaces only):
    it belongs to no item, and at most goes on with the list as an item of its own. After
    it the block state is as clean as before a line in column 1."""
    text = line.lstrip(" ")
    return len(line) - len(text) < outermost and text[:1] != "\t"


THEMATIC_BREAK = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")

# GFM tables as markdown-it-py's table rule reads them (rules_block/table.py), for a header and
# delimiter row in column 1. They follow markdown-it exactly because they decide whether a
# table opens at all.
_DELIMITER_CHARS = re.compile(r"[-|:][-|: \t]+")
_DELIMITER_CELL = re.compile(r":?-+:?")
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")  # escapedSplit: only a backslash right before escapes
MAX_FILLED_CELLS: int = getattr(_md_table, "MAX_AUTOCOMPLETED_CELLS", 0x10000)


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
