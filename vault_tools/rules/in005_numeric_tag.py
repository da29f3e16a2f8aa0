"""`#123`: text that looks like a tag but is not one.

Obsidian tags need at least one character that is not a digit, so `#123` stays plain text: it
is not in the tag pane, search by tag misses it, and the note lacks the tag it seems to have.
Give the tag a non-digit (`#y2024`, `#issue-123`), or write `\\#123` when the number is only
text. Code, links (`[[Note#123]]`), URLs and `issue#123` (no space before the `#`) are not
checked.

Passes:

    Filed as #issue-123.

Fails:

    Filed as #123.
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.blocks import position
from vault_tools.syntax import tags

CODE = "IN005"
NAME = "numeric-tag"
SEVERITY = Severity.INFO


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    if "#" not in ctx.masked_text:
        return  # no paragraph holds one (57 notes in 100 on the benchmark)
    for inline in ctx.note.inline_texts:
        if "#" not in inline.masked:
            continue
        for match in tags.TAG.finditer(inline.masked):
            name = match.group(1)
            if name.isdigit():
                line, col = position(inline, match.start())
                yield Violation(line, col, f"`#{name}` is not a tag: tags need a non-digit")
