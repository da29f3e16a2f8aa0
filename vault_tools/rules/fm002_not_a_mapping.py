"""The frontmatter is valid YAML but not a mapping of keys to values.

Obsidian's properties are `key: value` pairs; a frontmatter block that holds a list or a bare
string gives the note no properties at all (`vault-tools export` gives `{}` for it).

Passes:

    ---
    tags: [project]
    ---

Fails:

    ---
    - project
    - draft
    ---
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.problems import problems_with_code

CODE = "FM002"
NAME = "frontmatter-not-mapping"
SEVERITY = Severity.ERROR


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    yield from problems_with_code(ctx, CODE)
