"""A `[[` with no `]]` after it on the same line.

Wikilinks do not span lines: `[[Skills` shows as literal brackets, links nowhere, and does not
appear in the graph or in backlinks. Code and math are not checked.

Passes:

    See [[Skills]] for the list.

Fails:

    See [[Skills for the list.
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.blocks import inline_blocks, mask_prose

CODE = "IN004"
NAME = "unclosed-link"
SEVERITY = Severity.WARNING


def _unclosed(masked: str) -> Iterator[int]:
    """Offsets of `[[` with no `]]` later on their line (links already masked away)."""
    start = masked.find("[[")
    while start != -1:
        line_end = masked.find("\n", start)
        if masked.find("]]", start + 2, None if line_end < 0 else line_end) < 0:
            yield start
        start = masked.find("[[", start + 2)


# Masking a line on its own matches masking its whole block, except where a code span, math
# or an HTML comment runs in from another line: those need one of these characters here.
_MULTILINE_MASKS = frozenset("`$<")


def _may_be_unclosed(line: str) -> bool:
    """A cheap test of the raw line: False means the rule cannot fire on it."""
    if "[[" not in line:
        return False
    if not _MULTILINE_MASKS.isdisjoint(line):
        return True
    return next(_unclosed(mask_prose(line)), None) is not None


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    if not any(_may_be_unclosed(line) for line in ctx.lines):
        return
    for block in inline_blocks(ctx):
        if "[[" not in block.masked:
            continue
        for offset in _unclosed(block.masked):
            line, col = block.fragment.position(offset)
            yield Violation(line, col, "`[[` is not closed by `]]` on the same line")
