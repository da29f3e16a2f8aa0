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


def _relevel(ctx: NoteContext, section: Section, level: int, line_start: int) -> Fix | None:
    line = ctx.lines[section.line - 1]
    stripped = line.lstrip(" ")
    if not stripped.startswith("#" * section.level):
        return None  # setext heading: nothing to re-level safely
    start = line_start + len(line) - len(stripped)
    return Fix((Edit(start, start + section.level, "#" * level),), safe=False)


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    # The first heading may be any level (many notes start at ##); skips are relative: each
    # heading below a top-level one is checked against its parent, met once in ctx.sections.
    skips = [(section, parent.level) for parent in ctx.sections for section in parent.sections
             if section.level > parent.level + 1]
    if not skips:
        return
    skips.sort(key=lambda skip: skip[0].line)  # children come after all their siblings
    starts = ctx.starts_of([section.line for section, _ in skips])
    for (section, parent_level), line_start in zip(skips, starts, strict=True):
        expected = parent_level + 1
        yield Violation(section.line, 1,
                        f"heading level {section.level} follows level {parent_level}; "
                        f"expected level {expected}", _relevel(ctx, section, expected, line_start))
