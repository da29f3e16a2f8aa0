"""Trailing whitespace at the end of a line.

Invisible in Obsidian, noisy in diffs. Two trailing spaces are a Markdown hard line break, but
Obsidian breaks lines without them, so they are flagged too; inside fenced code they are kept.

Fixable (safe): the whitespace is removed.

Passes:

    A line that ends cleanly.

Fails:

    A line that ends with spaces.␠␠
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Edit, Fix, Severity, Violation
from vault_tools.rules.base import NoteContext, Options

CODE = "WS001"
NAME = "trailing-whitespace"
SEVERITY = Severity.WARNING
FIXABLE = "safe"


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    for number, line in enumerate(ctx.lines, start=1):
        if not line or line[-1] not in " \t":
            continue
        kept = len(line.rstrip(" \t"))
        start = ctx.offset(number, kept + 1)
        fix = Fix((Edit(start, start + len(line) - kept, ""),))
        yield Violation(number, kept + 1, "trailing whitespace", fix, number, len(line) + 1)
