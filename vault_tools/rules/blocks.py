"""The Markdown block structure of a note, for rules that need more than the model keeps.

The model says what a note holds; some rules need to know where the parser saw it: list tokens
with their markers, which lines are verbatim (code, math, HTML), and each inline block's text
with file positions. This runs markdown-it over the whole body, as parse.py's reference route
does (frontmatter and `%%` comments blanked), once per note text however many rules ask. That
costs about as much as parsing the note again, so each rule first makes a cheap test of the raw
text or the model that rules out most notes, and asks for the blocks only when it might fire.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it.token import Token

from vault_tools import frontmatter_yaml
from vault_tools.model import Item, Note
from vault_tools.parse import markdown_parser
from vault_tools.rules.base import NoteContext
from vault_tools.syntax import comments, links, spans
from vault_tools.syntax.inline import Fragment

# Blocks whose lines are content taken as written: no inline syntax, blank lines significant.
VERBATIM = frozenset({"fence", "code_block", "math_block", "math_block_label", "html_block"})


@dataclass(frozen=True, slots=True)
class InlineBlock:
    """A paragraph, heading or table row: its text with positions, and the same text with code,
    math, HTML, escapes and links overwritten (same length), so scanners see only prose."""

    fragment: Fragment
    masked: str


@dataclass(frozen=True, slots=True)
class Blocks:
    lines: tuple[str, ...]  # the text markdown-it parsed: frontmatter and comments blanked
    tokens: tuple[Token, ...]
    first_body_line: int  # 1-based; after the frontmatter block when there is one


def blocks(ctx: NoteContext) -> Blocks:
    return _blocks(ctx.source.text)


def inline_blocks(ctx: NoteContext) -> tuple[InlineBlock, ...]:
    return _inline_blocks(ctx.source.text)


def verbatim_lines(ctx: NoteContext) -> frozenset[int]:
    """1-based lines inside code, math and HTML blocks (fences and delimiters included)."""
    return _verbatim_lines(ctx.source.text)


def iter_items(note: Note) -> Iterator[Item]:
    """Every list item of the note, nested ones included (from the model: no parsing)."""
    stack: list[Item] = []
    for section in (note.preamble, *note.iter_sections()):
        stack.extend(section.bullets)
    while stack:
        item = stack.pop()
        yield item
        stack.extend(item.children)


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
    lines = text.split("\n")
    end = frontmatter_yaml.find_block(lines)
    start = 0 if end is None else end + 1
    body, _ = comments.extract([""] * start + lines[start:])
    md = markdown_parser()
    tokens = md.block.parse("\n".join(body), md, {}, []) or []
    return Blocks(tuple(body), tuple(tokens), start + 1)


@lru_cache(maxsize=4)
def _inline_blocks(text: str) -> tuple[InlineBlock, ...]:
    parsed = _blocks(text)
    lines = list(parsed.lines)
    out: list[InlineBlock] = []
    in_table = False
    for token in parsed.tokens:
        if token.type in ("table_open", "table_close"):
            in_table = token.type == "table_open"
            if in_table and token.map is not None:
                out.extend(_block(frag) for frag in _table_rows(token.map, lines))
        elif token.type == "inline" and token.map is not None and not in_table:
            out.append(_block(_fragment(token, lines)))
    return tuple(out)


def _fragment(token: Token, lines: list[str]) -> Fragment:
    """An inline token's text with the file column where each of its lines starts."""
    assert token.map is not None
    first = token.map[0]
    cols = tuple(_column_of(lines[first + row] if first + row < len(lines) else "", piece)
                 for row, piece in enumerate(token.content.split("\n")))
    return Fragment(token.content, first + 1, cols)


def _column_of(source: str, piece: str) -> int:
    """Where `piece` (the line less container markers, indentation and `#`s) starts."""
    trimmed = source.rstrip()
    wanted = piece.rstrip()
    if wanted and trimmed.endswith(wanted):
        return len(trimmed) - len(wanted) + 1
    found = source.find(piece.strip())
    return found + 1 if found >= 0 else 1


def _table_rows(span: list[int], lines: list[str]) -> list[Fragment]:
    """Rows scanned whole, as parse.py does (cell borders mean nothing to inline syntax)."""
    rows = []
    for row in range(span[0], span[1]):
        if row != span[0] + 1:  # the |---|---| delimiter row
            text = lines[row]
            start = len(text) - len(text.lstrip())
            rows.append(Fragment(text[start:], row + 1, (start + 1,)))
    return rows


def _block(fragment: Fragment) -> InlineBlock:
    return InlineBlock(fragment, mask_prose(fragment.text))


def mask_prose(text: str) -> str:
    """`text` with code spans, math, HTML, escapes and links overwritten (same length)."""
    masked = spans.mask(text)
    # Links after code, as the parser's scan does: `[[a==b]]` or `https://x/#1` is not prose.
    for finder in (links.find_wikilinks, links.find_markdown_links, links.find_urls):
        found = finder(masked, text)
        if found:
            masked = spans.blank(masked, [(raw.start, raw.end) for raw in found])
    return masked


@lru_cache(maxsize=4)
def _verbatim_lines(text: str) -> frozenset[int]:
    found: set[int] = set()
    for token in _blocks(text).tokens:
        if token.type in VERBATIM and token.map is not None:
            found.update(range(token.map[0] + 1, token.map[1] + 1))
    return frozenset(found)
