"""A `[[` with no `]]` after it on the same line.

Wikilinks do not span lines: `[[Skills` shows as literal brackets, links nowhere, and does not
appear in the graph or in backlinks. Code and math are not checked.

Passes:

    See [[Skills]] for the list.

Fails:

    See [[Skills for the list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.blocks import inline_blocks

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


# A wikilink with none of these inside cannot be cut by masking (every masked span starts
# with one of them), so it is a link in the block pass too, and its `[[` is closed.
_PLAIN_WIKILINK = re.compile(r"\[\[[^\[\]\n`$<\\]+?\]\]")


def _may_be_unclosed(line: str) -> bool:
    """A cheap test of the raw line: False means the rule cannot fire on it."""
    return "[[" in line and "[[" in _PLAIN_WIKILINK.sub("", line)


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    if not any(_may_be_unclosed(line) for line in ctx.lines):
        return
    for block in inline_blocks(ctx):
        if "[[" not in block.masked:
            continue
        for offset in _unclosed(block.masked):
            line, col = block.fragment.position(offset)
            yield Violation(line, col, "`[[` is not closed by `]]` on the same line")
