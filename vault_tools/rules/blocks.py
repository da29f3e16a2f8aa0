"""List structure for the LS rules, and positions in the model's inline texts.

The model keeps each list item, but not which items markdown-it grouped into one list, nor where
one list ends and the next begins: the LS rules need the block tokens for that. This runs
markdown-it over the body, as parse.py's reference route does (frontmatter and `%%` comments
blanked). That costs about as much as parsing the note again, so each LS rule first tests the
model cheaply and asks for the tokens only when it might fire (a few notes in a hundred).

A rule that knows where it might fire may ask for the tokens of the parts of the note around
those lines only. Parts are cut at vault_tools/chunks.py's chunk starts (a line in column 1
after a blank one, outside fenced code, `$$` math and multi-line HTML blocks), where every block
markdown-it took has ended but a list, which an item of its kind goes on with. A part starts only
at a chunk whose first line can be no item and leaves a token (unlike `[x]: url`): there the
whole note's tokens go on with a block that is no list. So a part tokenized alone gives the
whole note's tokens for its lines, and no list in it neighbours one outside it
(tests/test_ls001_parts.py checks both on every note it has).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
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


def blocks(ctx: NoteContext, near: Iterable[tuple[int, int]] | None = None) -> Blocks:
    """The block tokens of the whole note; with `near`, pairs of 1-based lines, only those of
    the parts holding the lines of a pair and any between them. Tokens of the other parts are
    left out, which joins no lists: a part after a gap starts with a token of no list."""
    if near is None:
        return _blocks(ctx.source.text)
    body = _body(ctx.source.text)
    pairs = sorted((min(pair), max(pair)) for pair in near)
    starts = _part_starts(body, max(second for _, second in pairs) - 1) if pairs else [0]
    tokens: list[Token] = []
    for start, end in _spans(starts, len(body), pairs):
        tokens += _parse(body, start, end)
    return Blocks(body, tuple(tokens))


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
    body = _body(text)
    return Blocks(body, tuple(_parse(body, 0, len(body))))


@lru_cache(maxsize=4)
def _body(text: str) -> tuple[str, ...]:
    """The text markdown-it parses: frontmatter and comments blanked, as parse.py does."""
    lines = text.split("\n")
    end = frontmatter_text.find_block(lines)
    start = 0 if end is None else end + 1
    body, _ = comments.extract([""] * start + lines[start:])
    return tuple(body)


def _parse(body: tuple[str, ...], start: int, end: int) -> list[Token]:
    """Block tokens of body lines start to end (a clean start), their maps in body lines."""
    # Imported here: the registry imports every rule, and a warm run parses nothing.
    from vault_tools.parse import markdown_parser

    md = markdown_parser()
    # The text of those lines as the whole note has it: with the newline after the last one
    # (blank lines there would not count without it, and blocks end on them).
    text = "\n".join(body[start:end]) + ("\n" if end < len(body) else "")
    tokens = md.block.parse(text, md, {}, []) or []
    if start:
        for token in tokens:
            if token.map is not None:
                token.map = [token.map[0] + start, token.map[1] + start]
    return tokens


# First characters of a chunk's first line that may go on with the list before the chunk (an
# item: bullet or ordered) or leave no token (`[x]: url`): the part goes on over such a chunk.
# Any other line in column 1 after a blank one opens a block that leaves a token.
_MAY_CONTINUE = frozenset("-*+[0123456789")


def _part_starts(body: tuple[str, ...], until: int) -> list[int]:
    """The first line of each part (0-based, ascending, 0 first), up to the first after line
    `until`: the chunks are found from the note's start (the one line sure to be clean), and
    no further than needed."""
    # Imported here: vault_tools.chunks imports markdown-it (through blocklines), which a warm
    # run never loads.
    from vault_tools.chunks import iter_chunks

    starts: list[int] = []
    for start, _ in iter_chunks(body):
        if start == 0 or body[start][0] not in _MAY_CONTINUE:
            starts.append(start)
            if start > until:
                break
    return starts


def _spans(starts: list[int], total: int, near: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Body line ranges (0-based, end excluded) covering the parts from the one holding each
    pair's first line to the one holding its second (pairs in order), ranges that meet
    merged."""
    spans: list[tuple[int, int]] = []
    for first, second in near:
        low = starts[bisect_right(starts, first - 1) - 1]
        after = bisect_right(starts, second - 1)
        high = starts[after] if after < len(starts) else total
        if spans and low <= spans[-1][1]:
            low = spans[-1][0]
            high = max(high, spans.pop()[1])
        spans.append((low, high))
    return spans
