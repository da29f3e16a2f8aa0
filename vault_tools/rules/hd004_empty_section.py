"""A heading with nothing under it: no text, no list, no code, no sub-heading.

An empty section is usually a placeholder that was never filled in, or a heading typed at the
wrong level (it was meant to hold the sections that follow it). A `%% comment %%` under the
heading counts as content, so a section can be kept on purpose with a note to self. A heading
with no text at all is reported by HD003 instead.

Passes:

    ## Sales Engineer
    %% ask Lan about this %%
    ## Account Manager
    Quota-driven.

Fails:

    ## Sales Engineer
    ## Account Manager
    Quota-driven.
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.model import Comment, Section
from vault_tools.rules.base import NoteContext, Options

CODE = "HD004"
NAME = "empty-section"
SEVERITY = Severity.WARNING


def _has_comment(section: Section, found: tuple[Comment, ...]) -> bool:
    # Lines after the heading's own line up to the section's last line.
    return any(c.end_line > section.line and c.line <= section.end_line for c in found)


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    for section in ctx.sections:
        if section.has_content or section.sections or not (section.heading or "").strip():
            continue
        if _has_comment(section, ctx.note.comments):
            continue
        yield Violation(section.line, section.col, f"section {section.heading!r} is empty")
