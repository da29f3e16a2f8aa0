"""One list mixes bullet markers (`-`, `*`, `+`).

Obsidian draws them all as bullets, but Markdown starts a new list whenever the marker changes,
so `- a` / `* b` / `- c` is three lists: other tools render them apart, and list-aware
features (folding, moving items, renumbering) stop at each change. The items count as one list
while they stand at the same indentation with only blank lines between them.

Reported once where the marker changes. Fixable (safe): the changed markers are replaced with
the list's first marker.

Passes:

    - Owns the developer platform.
    - Talks to every team.

Fails:

    - Owns the developer platform.
    * Talks to every team.
"""

from __future__ import annotations

from collections.abc import Iterator

from markdown_it.token import Token

from vault_tools.findings import Edit, Fix, Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.blocks import blocks, iter_items, list_items, marker_col

CODE = "LS001"
NAME = "mixed-bullet-markers"
SEVERITY = Severity.WARNING
FIXABLE = "safe"


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


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    if len({item.marker for item in iter_items(ctx.note)} & set("-*+")) < 2:
        return
    parsed = blocks(ctx)
    for index, first in _offending(parsed.tokens):
        # One finding per change of marker, at its first item; the fix takes every item.
        places = [(item.map[0] + 1, marker_col(parsed.lines[item.map[0]], item.markup))
                  for item in list_items(parsed.tokens, index) if item.map is not None]
        if not places:
            continue
        edits = tuple(Edit(ctx.offset(line, col), ctx.offset(line, col) + 1, first)
                      for line, col in places)
        marker = parsed.tokens[index].markup
        more = f" (and {len(places) - 1} more)" if len(places) > 1 else ""
        yield Violation(*places[0], f"bullet marker {marker!r}{more} in a list that uses "
                                    f"{first!r}", Fix(edits))
