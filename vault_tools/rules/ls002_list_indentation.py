"""Nested bullets are indented inconsistently within one list.

Sibling items at different indentation (2 spaces here, 3 there), or a list indented partly with
tabs and partly with spaces, nest one way in Obsidian's editor and another in other Markdown
tools: a tab counts as up to four spaces, so the same-looking items can change parents when the
note is rendered elsewhere, or when it is edited with a different tab setting.

Passes:

    - Platform
      - CI runners
      - Base images

Fails:

    - Platform
      - CI runners
       - Base images
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.blocks import Blocks, blocks, list_items, marker_col

if TYPE_CHECKING:
    from markdown_it.token import Token

CODE = "LS002"
NAME = "list-indentation"
SEVERITY = Severity.WARNING


def _indent(line: str, col: int) -> str | None:
    """The whitespace before the marker, or None when the marker follows other text."""
    before = line[: col - 1]
    if before.strip(" \t>"):
        return None  # `- * x`: a list that opens on its parent item's line
    quote = before.rfind(">")
    if quote < 0:
        return before
    indent = before[quote + 1 :]
    return indent[1:] if indent.startswith(" ") else indent  # `> ` belongs to the quote


def _kind(indent: str) -> str:
    if not indent:
        return ""
    return {frozenset(" "): "spaces", frozenset("\t"): "tabs"}.get(frozenset(indent), "mixed")


def _items(parsed: Blocks, index: int) -> Iterator[tuple[int, int, str]]:
    """(line, col, indentation) of each item of the bullet list opened at `index`."""
    for item in list_items(parsed.tokens, index):
        if item.map is None:
            continue
        line = parsed.lines[item.map[0]]
        col = marker_col(line, item.markup)
        indent = _indent(line, col)
        if indent is not None:
            yield item.map[0] + 1, col, indent


def _outermost_lists(tokens: tuple[Token, ...]) -> Iterator[tuple[int, int]]:
    """(open, close) indices of each list that is not inside another list."""
    depth = 0
    start = 0
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            if depth == 0:
                start = index
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0:
                yield start, index


def _check_tree(parsed: Blocks, start: int, end: int) -> Iterator[Violation]:
    style = ""  # tabs or spaces: set by the first indented item of the tree
    for index in range(start, end):
        if parsed.tokens[index].type != "bullet_list_open":
            continue
        first: str | None = None
        for line, col, indent in _items(parsed, index):
            kind = _kind(indent)
            if kind and not style:
                style = kind
            if kind and kind != style:
                yield Violation(line, col, f"indented with {kind} in a list indented with {style}")
            elif first is not None and indent != first:
                yield Violation(line, col, f"indented {len(indent)} characters, its first "
                                           f"sibling {len(first)}")
            if first is None:
                first = indent


def _may_fire(ctx: NoteContext) -> bool:
    """From the model and the raw lines: some siblings differ in indentation, or the note's
    indented items mix tabs and spaces. False means the rule cannot fire."""
    kinds: set[str] = set()
    lines = ctx.lines
    for group in ctx.sibling_groups:
        # A marker in column 1 has nothing before it: most items, known without their line.
        indents = {"" if item.col == 1 else _indent(lines[item.line - 1], item.col)
                   for item in group}
        if len(indents) > 1 or None in indents:
            return True
        kinds.update(_kind(indent) for indent in indents if indent)
    return len(kinds) > 1


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    if not _may_fire(ctx):
        return
    parsed = blocks(ctx)
    for start, end in _outermost_lists(parsed.tokens):
        yield from _check_tree(parsed, start, end)
