"""Frontmatter does not match the note's schema.

Notes matched by a `[[schemas]]` entry of the configuration (by tag, nested tags included, or
by glob) are checked against its `frontmatter` schema, and against the `frontmatter` part of
its `structure` schema. Each violation is reported at the offending key or value (a list item
when the value is a block list); a missing key at the frontmatter's first line. Notes whose
frontmatter is not valid YAML are left to FM001. Writing schemas: docs/schemas.md.

With `[[schemas]] tag = "Work"` and a frontmatter schema that wants `status` to be one of
`open` and `done`:

Passes:

    ---
    tags: [Work]
    status: open
    ---

Fails (`'status' is 'later', expected one of 'open', 'done'`):

    ---
    tags: [Work]
    status: later
    ---
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.schemas import FRONTMATTER

CODE = "SC001"
NAME = "frontmatter-schema"
SEVERITY = Severity.WARNING


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    if ctx.schemas is None or not ctx.schemas.entries:
        return
    for found in ctx.schemas.part(FRONTMATTER):
        yield Violation(found.line, found.col, found.message)
