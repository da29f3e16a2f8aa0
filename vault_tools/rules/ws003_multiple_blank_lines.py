"""More blank lines in a row than allowed.

One blank line separates blocks; more change nothing in reading view but spread the note out in
the editor and in diffs. Blank lines inside code, math and HTML blocks and in the frontmatter
are content and are left alone.

Options: `max-blank-lines` (default 1), the longest run of blank lines allowed.

Fixable (safe): the extra blank lines are removed.

Passes:

    Quota-driven.

    Ask Lan.

Fails:

    Quota-driven.


    Ask Lan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from vault_tools import frontmatter_text
from vault_tools.findings import Edit, Fix, Severity, Violation
from vault_tools.rules.base import NoteContext, Options

CODE = "WS003"
NAME = "multiple-blank-lines"
SEVERITY = Severity.WARNING
FIXABLE = "safe"
OPTIONS = {"max-blank-lines": 1}


def _blank_runs(ctx: NoteContext, skip: frozenset[int]) -> Iterator[tuple[int, int]]:
    """(first, last) 1-based lines of each run of blank lines after the frontmatter, lines in
    `skip` (verbatim blocks) excepted."""
    lines = ctx.lines
    if ctx.source.text.endswith("\n"):
        lines = lines[:-1]  # the "line" after the final newline is not a line
    end = frontmatter_text.find_block(lines)
    first_body = 1 if end is None else end + 2
    start = 0
    for number, line in enumerate(lines, start=1):
        blank = not line.strip(" \t") and number >= first_body and number not in skip
        if blank and not start:
            start = number
        elif not blank and start:
            yield start, number - 1
            start = 0
    if start:
        yield start, len(lines)


@lru_cache(maxsize=8)
def _blank_lines_in_a_row(count: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """`count` lines of nothing but spaces and tabs (the last may end the text): after a
    newline (to search for), and at the start of the text (to match there)."""
    # Written out, `[ \t]*\n` three times is searched a third faster than `(?:[ \t]*\n){3}`;
    # a long run in the option would make a long pattern, so that keeps the group.
    lines = r"[ \t]*\n" * (count - 1) if count <= 16 else rf"(?:[ \t]*\n){{{count - 1}}}"
    last = r"[ \t]*(?:\n|\Z)"
    return re.compile(r"\n" + lines + last), re.compile(lines + last)


def _may_fire(ctx: NoteContext, allowed: int) -> bool:
    """False when no `allowed + 1` lines in a row are blank: then no run is too long. One
    regular expression over the text costs less than looking at every line in Python."""
    after_newline, at_start = _blank_lines_in_a_row(allowed + 1)
    text = ctx.source.text
    return after_newline.search(text) is not None or at_start.match(text) is not None


def _removal(ctx: NoteContext, first: int, last: int) -> Edit:
    """Delete lines first..last whole, with their newlines (the last line may have none)."""
    end = ctx.offset(last + 1, 1) if last < len(ctx.lines) else len(ctx.source.text)
    return Edit(ctx.offset(first, 1), end, "")


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    allowed = max(0, int(options["max-blank-lines"]))
    if not _may_fire(ctx, allowed):
        return
    verbatim = frozenset(line for first, last in ctx.note.verbatim
                         for line in range(first, last + 1))
    for first, last in _blank_runs(ctx, verbatim):
        if last - first + 1 > allowed:
            extra = first + allowed
            yield Violation(extra, 1, f"{last - first + 1} blank lines (at most {allowed})",
                            Fix((_removal(ctx, extra, last),)), last, 1)
