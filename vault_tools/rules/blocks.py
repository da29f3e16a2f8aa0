"""List structure for the LS rules, and positions in the model's inline texts.

The model keeps each list item, but not which items markdown-it grouped into one list, nor where
one list ends and the next begins: the LS rules need the block tokens for that. This runs
markdown-it over the whole body, as parse.py's reference route does (frontmatter and `%%`
comments blanked), once per note text however many rules ask. That costs about as much as
parsing the note again, so each LS rule first tests the model cheaply and asks for the tokens
only when it might fire (a few notes in a hundred).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from vault_tools import frontmatter_text
from vault_tools.model import InlineText
from vault_tools.rules.base import NoteContext
from vault_tools.syntax import comments
from vault_tools.syntax.inline import Fragment

if TYPE_CHECKING:
    from markdown_it.token import Token


@dataclass(frozen=True, slots=True)
class Blocks:
    lines: tuple[str, ...]  # the text markdown-it parsed: frontmatter and comments blanked
    tokens: tuple[Token, ...]


def blocks(ctx: NoteContext) -> Blocks:
    return _blocks(ctx.source.text)


def position(inline: InlineText, offset: int) -> tuple[int, int]:
    """File line and column of an offset into one of the model's inline texts."""
    return Fragment(inline.text, inline.line, inline.cols).position(offset)


def marker_col(line: str, marker: str) -> int:
    """1-based column of a list item's marker on its first line (after any `>` and indent)."""
    start = len(line) - len(line.lstrip(" \t>"))
    if line[start : start + 1] == marker:
        return start + 1
    found = line.find(marker, start)  # `- * x`: a list that opens inside an item's first line
    return found + 1 if found >= 0 else start + 1


def list_items(tokens: Sequence[Token], open_index: int) -> list[Token]:
    """The item tokens of the list opened at `open_index` (its own items, not nested ones)."""
    level = tokens[open_index].level
    items: list[Token] = []
    for token in tokens[open_index + 1 :]:
        if token.level == level:
            break  # the list's close token
        if token.type == "list_item_open" and token.level == level + 1:
            items.append(token)
    return items


# The engine runs every rule on one note before the next, so a small cache serves them all.
@lru_cache(maxsize=4)
def _blocks(text: str) -> Blocks:
    # Imported here: the registry imports every rule, and a warm run parses nothing.
    from vault_tools.parse import markdown_parser

    lines = text.split("\n")
    end = frontmatter_text.find_block(lines)
    start = 0 if end is None else end + 1
    body, _ = comments.extract([""] * start + lines[start:])
    md = markdown_parser()
    tokens = md.block.parse("\n".join(body), md, {}, []) or []
    return Blocks(tuple(body), tuple(tokens))
