"""Shared by the rules that report the model's own read/parse problems (VT*, FM001, ...)."""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Violation
from vault_tools.rules.base import NoteContext


def problems_with_code(ctx: NoteContext, code: str) -> Iterator[Violation]:
    for problem in ctx.note.errors:
        if problem.code == code:
            yield Violation(problem.line, problem.col, problem.message)
