"""A `==` that opens or closes no highlight.

`==text==` highlights; a lone `==` (its partner forgotten, or on the far side of a paragraph
break) shows as two literal equals signs, and the text meant to stand out does not. Code, math,
links and `a == b` with spaces on both sides are not checked.

Passes:

    After the sale. ==Lots of travel==, apparently.

Fails:

    After the sale. ==Lots of travel, apparently.
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.blocks import inline_blocks, mask_prose
from vault_tools.syntax import highlights, spans

CODE = "IN001"
NAME = "unclosed-highlight"
SEVERITY = Severity.WARNING


# Masking a line alone agrees with masking its block unless a code span, math or HTML runs
# across lines, which needs one of these characters on the line.
_CROSS_LINE = frozenset("`$<")


def _flanks_text(masked: str, start: int) -> bool:
    """Could this `==` open or close a highlight (non-space text on at least one side)?"""
    before = masked[start - 1] if start else " "
    after = masked[start + 2] if start + 2 < len(masked) else " "
    return not before.isspace() or not after.isspace()


def _unpaired(masked: str) -> Iterator[int]:
    """Offsets of the `==` that no highlight uses and that touch text."""
    if "==" not in masked:
        return
    paired = [match.span() for match in highlights.HIGHLIGHT.finditer(masked)]
    left = spans.blank(masked, paired)
    for match in highlights.DELIMITER.finditer(left):
        if _flanks_text(left, match.start()):
            yield match.start()


def _may_fire(line: str) -> bool:
    """A cheap test of the raw line. When every line pairs its own `==`, every block pairs
    them the same way (a highlight's closer is the nearest one), so the rule cannot fire."""
    if highlights.DELIMITER.search(line) is None and "\\=" not in line:
        return False  # masking removes text, so it can only make `==` out of `\==`
    return not _CROSS_LINE.isdisjoint(line) or next(_unpaired(mask_prose(line)), None) is not None


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    if not any(_may_fire(line) for line in ctx.lines):
        return
    for block in inline_blocks(ctx):
        for offset in _unpaired(block.masked):
            line, col = block.fragment.position(offset)
            yield Violation(line, col, "`==` without a matching `==` in this paragraph")
