"""Heading levels go up one at a time.

A heading that skips a level (`#` then `###`) breaks the outline in Obsidian's Outline pane and
makes the note's structure depend on the reader guessing the missing level.

Fixable (unsafe, it changes the outline): the heading is re-levelled to one below its parent.

Passes:

    # Yes
    ## Data Engineer

Fails:

    # Not
    ### Data Engineer
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Edit, Fix, Severity, Violation
from vault_tools.model import Section
from vault_tools.rules.base import NoteContext, Options

CODE = "HD001"
NAME = "heading-increment"
SEVERITY = Severity.WARNING
FIXABLE = "unsafe"


def _walk(ctx: NoteContext, sections: tuple[Section, ...], parent_level: int
          ) -> Iterator[Violation]:
    for section in sections:
        expected = parent_level + 1
        if section.level > expected:
            yield Violation(section.line, 1,
                            f"heading level {section.level} follows level {parent_level}; "
                            f"expected level {expected}", _relevel(ctx, section, expected))
        yield from _walk(ctx, section.sections, section.level)


def _relevel(ctx: NoteContext, section: Section, level: int) -> Fix | None:
    line = ctx.lines[section.line - 1]
    stripped = line.lstrip(" ")
    if not stripped.startswith("#" * section.level):
        return None  # setext heading: nothing to re-level safely
    start = ctx.offset(section.line, len(line) - len(stripped) + 1)
    return Fix((Edit(start, start + section.level, "#" * level),), safe=False)


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    # The first heading may be any level (many notes start at ##); skips are relative.
    for top in ctx.note.sections:
        yield from _walk(ctx, top.sections, top.level)
