"""A frontmatter key appears twice in the same mapping.

YAML parsers disagree on what that means: most keep the last value silently, Obsidian refuses
the whole frontmatter (no properties, tags or aliases for the note). Merge the two values under
one key. Nested mappings are checked too. The finding is on the repeated key.

Passes:

    ---
    tags: [project, draft]
    ---

Fails:

    ---
    tags: [project]
    tags: [draft]
    ---
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.model import Frontmatter, FrontmatterKey
from vault_tools.rules.base import NoteContext, Options

CODE = "FM003"
NAME = "duplicate-key"
SEVERITY = Severity.ERROR


def _first_line(matter: Frontmatter, duplicate: FrontmatterKey) -> int | None:
    """Line of the first top-level key of that name, when the duplicate is a top-level key."""
    top = [key for key in matter.keys if key.name == duplicate.name]
    at = (duplicate.line, duplicate.col)
    if not any((key.line, key.col) == at for key in top):
        return None  # a nested key: the model keeps no position for its first spelling
    return top[0].line


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    matter = ctx.note.frontmatter
    if matter is None:
        return
    for duplicate in matter.duplicates:
        first = _first_line(matter, duplicate)
        where = f" (first at line {first})" if first is not None else ""
        yield Violation(duplicate.line, duplicate.col,
                        f"duplicate key {duplicate.name!r}{where}; Obsidian refuses the "
                        "frontmatter, other tools keep the last value")
