"""The state of one note's scan, and its way out to the parser: the bottom of linkscan,
which every other module of it imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vault_tools.model import Link


@dataclass
class Scan:
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


class NeedsParser(Exception):
    """The note holds what the scan does not follow: the parser reads it (see quotes.in_quote)."""
