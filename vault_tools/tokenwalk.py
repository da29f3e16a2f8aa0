"""markdown-it-py's block tokens, fed to the outline: the reference route of parse.py.

parse.py runs markdown-it's block pass on the chunks the fast path does not take (or on the
whole body) and hands the tokens here; replay.py feeds the fast path's events to the builder in
the same calls, with the same text and columns (the helpers both use are in blocktext.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vault_tools.blocktext import add_table, open_quote, text_at
from vault_tools.outline import OutlineBuilder, TextAt

if TYPE_CHECKING:
    from markdown_it.token import Token


def walk(tokens: list[Token], lines: list[str], offset: int, builder: OutlineBuilder) -> None:
    """Feed markdown-it's tokens to the builder; token maps count from line `offset`."""
    index = 0
    count = len(tokens)
    while index < count:
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            inline = tokens[index + 1]
            builder.heading(int(token.tag[1]),
                            *_heading_text(inline, lines, offset, token.markup))
            index += 3
            continue
        if kind == "inline" and token.map is not None:
            builder.paragraph(*_inline_text(token, lines, offset))
        elif kind == "list_item_open" and token.map is not None:
            first = offset + token.map[0]
            builder.open_item(first + 1, _marker_col(lines[first]), _marker(token))
        elif kind == "list_item_close":
            builder.close_item()
        elif kind == "blockquote_open" and token.map is not None:
            _maybe_callout(tokens, index, offset, builder)
        elif kind == "table_open" and token.map is not None:
            add_table(offset + token.map[0], offset + token.map[1], lines, builder)
            index = _skip_to(tokens, index, "table_close")
        elif kind in _VERBATIM_BLOCKS and token.map is not None:
            builder.content((offset + token.map[0] + 1, offset + token.map[1]))
        elif kind in _CONTENT_BLOCKS:
            builder.content()
        index += 1


# Blocks that make a section non-empty though they hold no text we extract; the verbatim ones
# hold text where no Markdown applies (rules skip their lines).
_VERBATIM_BLOCKS = frozenset({"fence", "code_block", "math_block", "math_block_label",
                              "html_block"})
_CONTENT_BLOCKS = frozenset({"hr", "footnote_reference_open"})


def _marker(token: Token) -> str:
    return token.markup or "-"


def _marker_col(line: str) -> int:
    return len(line) - len(line.lstrip(" \t>")) + 1


def _skip_to(tokens: list[Token], index: int, kind: str) -> int:
    while index < len(tokens) and tokens[index].type != kind:
        index += 1
    return index


def _inline_text(token: Token, lines: list[str], offset: int) -> TextAt:
    """The inline token's text with the file column where each of its lines starts."""
    assert token.map is not None
    return text_at(token.content, offset + token.map[0], offset + token.map[1], lines)


def _heading_text(inline: Token, lines: list[str], offset: int, markup: str) -> TextAt:
    assert inline.map is not None
    first = offset + inline.map[0]
    if markup.startswith("#"):
        source = lines[first]
        start = source.find("#") + len(markup)
        found = source.find(inline.content, start) if inline.content else -1
        col = found + 1 if found >= 0 else start + 1
        return inline.content, first + 1, (col,)
    return _inline_text(inline, lines, offset)  # setext heading: text lines above the underline


def _maybe_callout(tokens: list[Token], index: int, offset: int, builder: OutlineBuilder
                   ) -> None:
    following = tokens[index + 1 : index + 3]
    opens_with_text = len(following) == 2 and following[0].type == "paragraph_open"
    line = offset + tokens[index].map[0] + 1  # type: ignore[index]
    open_quote(builder, following[1].content if opens_with_text else None, line)
