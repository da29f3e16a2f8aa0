"""A `%%` comment that is never closed.

Obsidian hides everything from an unclosed `%%` to the end of the note: the rest of the note
disappears from reading view, search previews and exports. `%%` in code is not a comment.

Passes:

    %% ask Lan about this %%
    Quota-driven.

Fails:

    %% ask Lan about this
    Quota-driven.
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.model import Comment
from vault_tools.rules.base import NoteContext, Options

CODE = "IN003"
NAME = "unclosed-comment"
SEVERITY = Severity.WARNING


def _hint(found: tuple[Comment, ...], index: int) -> str:
    """`%%` pair up in order, so a stray `%%` further up can turn a line's well-formed
    `%% note %%` into one closer and one unclosed opener: point at the likely culprit."""
    here = found[index]
    before = found[index - 1] if index else None
    if before is not None and before.end_line == here.line and before.line < here.line:
        return (f" (the `%%` on line {before.line} may be the stray one: it pairs with the "
                f"first `%%` on this line)")
    return ""


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    found = ctx.note.comments
    for index, comment in enumerate(found):
        if not comment.closed:
            yield Violation(comment.line, comment.col, "`%%` comment is never closed: it "
                            f"hides the rest of the note{_hint(found, index)}")
