"""A heading with no text.

`##` alone renders as an empty gap in reading view, shows as a blank entry in the Outline pane
and cannot be linked to. It is usually a heading started and never finished. (A `#tag` at the
start of a line is a tag, not a heading: headings need a space after the `#`s.)

Passes:

    ## Developer advocacy

Fails:

    ##
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options

CODE = "HD003"
NAME = "empty-heading"
SEVERITY = Severity.WARNING


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    for section in ctx.sections:
        if (section.heading or "").strip():
            continue
        line = ctx.lines[section.line - 1]
        col = line.find("#") + 1 or 1  # a setext heading always has text, so this is ATX
        yield Violation(section.line, col, f"empty level {section.level} heading")
