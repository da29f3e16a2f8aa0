"""The frontmatter is not valid YAML.

Obsidian shows such a note's frontmatter as plain text: its tags, aliases and properties are
lost, and `vault-tools export` gives `{}` for it. The finding points at the line and column
where the YAML parser gave up. Template notes with unquoted placeholders (`date: {{date}}`) are
the usual cause: quote the placeholder (`date: "{{date}}"`), or exclude the templates folder.

Passes:

    ---
    title: "Roles: an overview"
    ---

Fails:

    ---
    title: Roles: an overview
    ---
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.problems import problems_with_code

CODE = "FM001"
NAME = "invalid-yaml"
SEVERITY = Severity.ERROR


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    for violation in problems_with_code(ctx, CODE):
        line = ctx.lines[violation.line - 1] if violation.line <= len(ctx.lines) else ""
        if "{{" in line:  # the usual cause, and YAML's own words do not say so
            hint = "; quote template placeholders such as {{date}}"
            violation = dataclasses.replace(violation, message=violation.message + hint)
        yield violation
