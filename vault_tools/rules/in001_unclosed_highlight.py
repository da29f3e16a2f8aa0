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
from vault_tools.rules.blocks import position
from vault_tools.syntax import highlights, spans

CODE = "IN001"
NAME = "unclosed-highlight"
SEVERITY = Severity.WARNING


def _flanks_text(masked: str, start: int) -> bool:
    """Could this `==` open or close a highlight (non-space text on at least one side)?"""
    before = masked[start - 1] if start else " "
    after = masked[start + 2] if start + 2 < len(masked) else " "
    return not before.isspace() or not after.isspace()


def _unpaired(masked: str) -> Iterator[int]:
    """Offsets of the `==` that no highlight uses and that touch text."""
    paired = [match.span() for match in highlights.HIGHLIGHT.finditer(masked)]
    left = spans.blank(masked, paired)
    for match in highlights.DELIMITER.finditer(left):
        if _flanks_text(left, match.start()):
            yield match.start()


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    if "==" not in ctx.masked_text:
        return  # no paragraph holds one (93 notes in 100 on the benchmark)
    for inline in ctx.note.inline_texts:
        if "==" not in inline.masked:
            continue
        for offset in _unpaired(inline.masked):
            line, col = position(inline, offset)
            yield Violation(line, col, "`==` without a matching `==` in this paragraph")
