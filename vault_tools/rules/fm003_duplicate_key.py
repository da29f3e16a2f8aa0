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
from vault_tools.model import Frontmatter
from vault_tools.rules.base import NoteContext, Options

CODE = "FM003"
NAME = "duplicate-key"
SEVERITY = Severity.ERROR


def _first_lines(matter: Frontmatter) -> tuple[dict[str, int], set[tuple[int, int]]]:
    """The first line of each top-level key name, and where every top-level key stands (built
    once: a note may repeat a key 40,000 times)."""
    first: dict[str, int] = {}
    for key in matter.keys:
        first.setdefault(key.name, key.line)
    return first, {(key.line, key.col) for key in matter.keys}


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    matter = ctx.note.frontmatter
    if matter is None or not matter.duplicates:
        return  # nearly every note: the key positions need not be gathered
    first_lines, top_level = _first_lines(matter)
    for duplicate in matter.duplicates:
        # A nested key: the model keeps no position for its first spelling.
        top = (duplicate.line, duplicate.col) in top_level
        first = first_lines.get(duplicate.name) if top else None
        where = f" (first at line {first})" if first is not None else ""
        yield Violation(duplicate.line, duplicate.col,
                        f"duplicate key {duplicate.name!r}{where}; Obsidian refuses the "
                        "frontmatter, other tools keep the last value")
