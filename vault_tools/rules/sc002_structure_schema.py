"""The note's structure does not match its schema.

Notes matched by a `[[schemas]]` entry with a `structure` schema are checked against it; the
schema sees the note as `vault-tools export` writes it (one NOTE of docs/export-format.md:
sections with their bullets, paragraphs and highlights, links, tags...). Each violation is
reported at the section, bullet or highlight it is about, with a message such as
"section 'Not' > 'Data Engineer' has no bullets"; violations about the whole note (a missing
top-level section) at its first heading. Writing schemas: docs/schemas.md.

With `[[schemas]] tag = "Work"` and the shipped `role-note.schema.json`:

Passes:

    # Yes
    ## Data Engineer
    - Builds the pipelines.

Fails (`section 'Yes' > 'Data Engineer' has no bullets or paragraphs`):

    # Yes
    ## Data Engineer
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.schemas import BODY

CODE = "SC002"
NAME = "structure-schema"
SEVERITY = Severity.WARNING


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    if ctx.schemas is None or not ctx.schemas.entries:
        return
    for found in ctx.schemas.part(BODY):
        yield Violation(found.line, found.col, found.message)
