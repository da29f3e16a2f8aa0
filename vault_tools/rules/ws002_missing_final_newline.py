"""The file does not end with a newline.

Without it the last line is not a complete line to Git and to most Unix tools: diffs show
`\\ No newline at end of file`, and text appended by scripts or sync tools runs into the last
line. Empty files are fine.

Fixable (safe): a newline is added.

Passes:

    The last line.⏎

Fails:

    The last line.
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Edit, Fix, Severity, Violation
from vault_tools.rules.base import NoteContext, Options

CODE = "WS002"
NAME = "missing-final-newline"
SEVERITY = Severity.WARNING
FIXABLE = "safe"


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    text = ctx.source.text
    if not text or text.endswith("\n"):
        return
    lines = ctx.lines
    end = len(text)
    yield Violation(len(lines), len(lines[-1]) + 1, "no newline at end of file",
                    Fix((Edit(end, end, "\n"),)))
