"""A frontmatter key that Obsidian no longer reads: `tag`, `alias` or `cssclass`.

Obsidian 1.9 dropped these singular spellings: a note with `tag: project` has no tag there any
more. Use `tags`, `aliases` and `cssclasses`, which take a list.

Fixable (safe) when the note has no key of the new name yet: the key is renamed. When both are
present (or the old key is repeated), merge the values by hand.

Passes:

    ---
    aliases: [Roles]
    ---

Fails:

    ---
    alias: Roles
    ---
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Edit, Fix, Severity, Violation
from vault_tools.model import FrontmatterKey
from vault_tools.rules.base import NoteContext, Options

CODE = "FM005"
NAME = "deprecated-key"
SEVERITY = Severity.WARNING
FIXABLE = "safe"

REPLACEMENT_BY_KEY = {"tag": "tags", "alias": "aliases", "cssclass": "cssclasses"}


def _rename(ctx: NoteContext, key: FrontmatterKey, new: str) -> Fix | None:
    line = ctx.lines[key.line - 1]
    after = line[key.col - 1 + len(key.name):]
    if not line.startswith(key.name, key.col - 1) or not after.lstrip(" \t").startswith(":"):
        return None  # a quoted or otherwise unusual key: leave it to the user
    start = ctx.offset(key.line, key.col)
    return Fix((Edit(start, start + len(key.name), new),))


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    matter = ctx.note.frontmatter
    if matter is None:
        return
    names = [key.name for key in matter.keys]
    for key in matter.keys:
        new = REPLACEMENT_BY_KEY.get(key.name)
        if new is None:
            continue
        if new in names or names.count(key.name) > 1:  # renaming would repeat a key (FM003)
            yield Violation(key.line, key.col, f"{key.name!r} is no longer read by Obsidian; "
                            f"merge its value into {new!r}")
        else:
            yield Violation(key.line, key.col, f"{key.name!r} is no longer read by Obsidian; "
                            f"rename it to {new!r}", _rename(ctx, key, new))
