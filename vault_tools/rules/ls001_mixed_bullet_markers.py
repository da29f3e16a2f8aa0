"""One list mixes bullet markers (`-`, `*`, `+`).

Obsidian's editor shows them all as bullets, but Markdown starts a new list whenever the marker
changes, so `- a` / `* b` / `- c` is three lists: rendered or exported they come apart, with
gaps between them, and the source reads as if the marker meant something. The items count as
one list while they stand at the same level with only blank lines between them.

Reported once where the marker changes. Fixable (safe): the changed markers are replaced with
the list's first marker (except where that would turn an item into a thematic break).

Passes:

    - Owns the developer platform.
    - Talks to every team.

Fails:

    - Owns the developer platform.
    * Talks to every team.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from vault_tools.findings import Edit, Fix, Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.blocks import blocks, list_items, marker_col

if TYPE_CHECKING:
    from markdown_it.token import Token

CODE = "LS001"
NAME = "mixed-bullet-markers"
SEVERITY = Severity.WARNING
FIXABLE = "safe"


_THEMATIC_BREAK = re.compile(r"^[ \t>]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# First characters of a line that opens no top-level block of its own: none (a blank line),
# indentation, or `[` (a link reference definition may start so).
_NO_BLOCK_START = frozenset(("", " ", "\t", "["))


def _offending(tokens: tuple[Token, ...]) -> Iterator[tuple[int, str]]:
    """(index of a bullet list's open token, the marker of the list run it continues)."""
    run_marker: dict[int, str] = {}  # by nesting level: the first marker of the current run
    for index, token in enumerate(tokens):
        if token.type != "bullet_list_open":
            continue
        previous = tokens[index - 1] if index else None
        # Adjacent tokens: nothing but blank lines between the two lists, same container.
        continues = (previous is not None and previous.type == "bullet_list_close"
                     and previous.level == token.level)
        if not continues:
            run_marker[token.level] = token.markup
        elif token.markup != run_marker[token.level]:
            yield index, run_marker[token.level]


@dataclass(frozen=True, slots=True)
class _Separators:
    """Lines (1-based, ascending) that open a top-level block after a blank line, which closes
    every list above them and leaves the block's own tokens between those lists and any below:
    lists on the two sides of one are never adjacent. The block may not be a link reference
    definition (`[x]: url`, which leaves no token), nor a line a comment blanks."""

    lines: list[int]
    # `$$` math, alone of all blocks, runs on over blank and unindented lines from inside a
    # list item: a separator after a `$$` line may lie inside the item above.
    math: list[int]


def _separators(ctx: NoteContext) -> _Separators:
    hidden = {line for comment in ctx.note.comments
              for line in range(comment.line, comment.end_line + 1)}
    lines = ctx.lines
    return _Separators(
        [number for number in range(2, len(lines) + 1)
         if lines[number - 1][:1] not in _NO_BLOCK_START
         and not lines[number - 2].strip(" \t") and number not in hidden],
        [number for number, line in enumerate(lines, start=1) if "$$" in line])


def _separated(separators: _Separators, first: int, second: int) -> bool:
    """A separator stands between lines `first` and `second`, and no `$$` between `first`
    and it (math opened in an item that starts on `first` or after could swallow it)."""
    after = bisect_right(separators.lines, first)
    if after == len(separators.lines) or separators.lines[after] >= second:
        return False
    math = bisect_left(separators.math, first)
    return math == len(separators.math) or separators.math[math] >= separators.lines[after]


def _candidates(ctx: NoteContext) -> list[tuple[int, int]]:
    """From the model: the lines of each two neighbouring items of one parent with different
    bullet markers and no separator line between them. Lists that follow each other are
    neighbours there too, so none means it cannot fire; and since a run of lists never crosses
    the start of a part (rules/blocks.py), each finding lies in the part of such a pair."""
    separators: _Separators | None = None  # only for the few notes with such neighbours
    found: list[tuple[int, int]] = []
    for group in ctx.sibling_groups:
        for a, b in pairwise(group):
            if a.marker != b.marker and a.marker in "-*+" and b.marker in "-*+":
                if separators is None:
                    separators = _separators(ctx)
                if not _separated(separators, a.line, b.line):
                    found.append((a.line, b.line))
    return found


def check(ctx: NoteContext, options: Options, whole: bool = False) -> Iterator[Violation]:
    """`whole=True` parses the whole note, not only the parts around the candidates (the
    reference route the tests compare with)."""
    candidates = _candidates(ctx)
    if not candidates:
        return
    parsed = blocks(ctx) if whole else blocks(ctx, candidates)
    for index, first in _offending(parsed.tokens):
        # One finding per change of marker, at its first item; the fix takes every item.
        places = [(item.map[0] + 1, marker_col(parsed.lines[item.map[0]], item.markup))
                  for item in list_items(parsed.tokens, index) if item.map is not None]
        if not places:
            continue
        marker = parsed.tokens[index].markup
        more = f" (and {len(places) - 1} more)" if len(places) > 1 else ""
        yield Violation(*places[0], f"bullet marker {marker!r}{more} in a list that uses "
                                    f"{first!r}", _fix(ctx, places, first))


def _fix(ctx: NoteContext, places: list[tuple[int, int]], marker: str) -> Fix | None:
    edits = []
    for line, col in places:
        text = ctx.lines[line - 1]
        if _THEMATIC_BREAK.match(text[: col - 1] + marker + text[col:]):
            return None  # `* ---` is an item holding a rule; `- ---` is only a rule
        edits.append(Edit(ctx.offset(line, col), ctx.offset(line, col) + 1, marker))
    return Fix(tuple(edits))
