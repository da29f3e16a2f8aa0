"""A block's text as both of parse.py's routes hand it to the outline: the file column where
each of its lines starts, a table's rows, a quote's opening (a callout or not).

The markdown-it route (tokenwalk.py) and the fast path's replay (replay.py) must give identical
notes; computing these with the same functions, imported by both, keeps them from drifting.
"""

from __future__ import annotations

from vault_tools.blocklines import MD_SPACE
from vault_tools.outline import OutlineBuilder, TextAt
from vault_tools.syntax import callouts


def text_at(content: str, first: int, end: int, lines: list[str]) -> TextAt:
    """A block's trimmed text, taken from lines `first` to `end`, with the file column where
    each of its lines starts."""
    pieces = content.split("\n")
    # The trim may have dropped whole first lines (Unicode spaces such as U+00A0 or U+2003):
    # start at the source line that really holds the text's first line.
    extra = end - first - len(pieces)
    if extra > 0 and pieces[0].strip(MD_SPACE):
        first += next((k for k in range(extra + 1) if lines[first + k].rstrip(MD_SPACE)
                       .endswith(pieces[0].rstrip(MD_SPACE))), 0)
    cols: list[int] = []
    for row, piece in enumerate(pieces):
        source = lines[first + row] if first + row < len(lines) else ""
        cols.append(column_of(source, piece))
    return content, first + 1, tuple(cols)


def column_of(source: str, piece: str) -> int:
    """Where `piece` (a suffix of the line, less container markers) starts in `source`."""
    trimmed = source.rstrip(MD_SPACE)
    wanted = piece.rstrip(MD_SPACE)
    if wanted and trimmed.endswith(wanted):
        return len(trimmed) - len(wanted) + 1
    stripped = piece.strip(MD_SPACE)
    found = source.find(stripped) if stripped else -1
    if found < 0:
        return 1
    # Not a suffix: the piece starts with what markdown-it left of a tab it expanded, blanks
    # that are not in the file. Its text starts at `found`; the blanks come before it.
    return found + 1 - (len(piece) - len(piece.lstrip(MD_SPACE)))


def open_quote(builder: OutlineBuilder, first_paragraph: str | None, line: int) -> None:
    """A block quote opens at `line`: a callout when its first block is a paragraph whose
    first line is `[!type] Title`."""
    builder.content()
    if first_paragraph is None:
        return
    found = callouts.parse_callout(first_paragraph.split("\n", 1)[0])
    if found is not None:
        builder.callout(*found, line=line)


def add_table(first: int, end: int, lines: list[str], builder: OutlineBuilder) -> None:
    """Table rows are scanned whole: cell borders mean nothing to links, tags or highlights."""
    builder.content()
    for row in range(first, end):
        if row == first + 1:
            continue  # the |---|---| delimiter row
        text = lines[row]
        start = len(text) - len(text.lstrip())
        builder.inline_only(text[start:], row + 1, (start + 1,))
