"""`#123`: text that looks like a tag but is not one.

Obsidian tags need at least one character that is not a digit, so `#123` stays plain text: it
is not in the tag pane, search by tag misses it, and the note lacks the tag it seems to have.
Write `#y2024`, `#issue-123`, or `\\#123` when the number is meant as text. Code, links
(`[[Note#123]]`), URLs and `issue#123` (no space before the `#`) are not checked.

Passes:

    Filed as #issue-123.

Fails:

    Filed as #123.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.blocks import inline_blocks, mask_prose
from vault_tools.syntax import tags

CODE = "IN005"
NAME = "numeric-tag"
SEVERITY = Severity.INFO


# What a `#123` found in a block's text looks like in its line, the line masked on its own
# (after a space, a line start, or the `>` of a quote).
_CANDIDATE = re.compile(r"(?:^|[\s>])#\d+(?![\w/-])")
# Masking a line alone agrees with masking its block unless a code span, math or HTML runs
# across lines, which needs one of these characters on the line.
_CROSS_LINE = frozenset("`$<")


def _may_fire(line: str) -> bool:
    """A cheap test of the raw line: False means the rule cannot fire on it."""
    if _CANDIDATE.search(line) is None:
        return False
    return not _CROSS_LINE.isdisjoint(line) or _CANDIDATE.search(mask_prose(line)) is not None


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    if not any(_may_fire(line) for line in ctx.lines if "#" in line):
        return
    for block in inline_blocks(ctx):
        if "#" not in block.masked:
            continue
        for match in tags.TAG.finditer(block.masked):
            name = match.group(1)
            if name.isdigit():
                line, col = block.fragment.position(match.start())
                yield Violation(line, col, f"`#{name}` is not a tag: tags need a non-digit")
