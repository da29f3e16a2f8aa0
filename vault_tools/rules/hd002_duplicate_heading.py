"""Two sibling headings have the same text.

Under one parent, two headings with the same text make `[[Note#Heading]]` links ambiguous
(a link can reach only one of them) and usually mean a section was pasted twice or should be
merged. The same text under different parents is fine (`## Notes` under each day).

Passes:

    ## Solutions Architect
    ## Sales Engineer

Fails:

    ## Solutions Architect
    ## Solutions Architect
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.model import Section
from vault_tools.rules.base import NoteContext, Options

CODE = "HD002"
NAME = "duplicate-heading"
SEVERITY = Severity.WARNING


def _key(heading: str | None) -> str:
    return " ".join((heading or "").split())


def _siblings(sections: tuple[Section, ...]) -> Iterator[Violation]:
    first_line: dict[str, int] = {}
    for section in sections:
        key = _key(section.heading)
        if not key:
            continue  # empty headings are HD003's
        if key in first_line:
            yield Violation(section.line, section.col,
                            f"heading {key!r} repeats the sibling heading on line "
                            f"{first_line[key]}")
        else:
            first_line[key] = section.line


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    # Every group of siblings once: the top-level headings, then each heading's children
    # (ctx.sections holds every heading); one heading alone repeats nothing.
    for sections in (ctx.note.sections, *(parent.sections for parent in ctx.sections)):
        if len(sections) > 1:
            yield from _siblings(sections)
