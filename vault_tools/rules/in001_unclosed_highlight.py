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

import re
from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.blocks import inline_blocks
from vault_tools.syntax import highlights, spans

CODE = "IN001"
NAME = "unclosed-highlight"
SEVERITY = Severity.WARNING


# Every `==` left after masking is a run of exactly two `=` in the raw text too, unless an
# escaped `\=` stood next to it (code, math, HTML and links end in other characters). Most
# notes have neither, and need no block pass.
_CANDIDATE = re.compile(r"(?<!=)==(?!=)|\\=")


def _flanks_text(masked: str, start: int) -> bool:
    """Could this `==` open or close a highlight (non-space text on at least one side)?"""
    before = masked[start - 1] if start else " "
    after = masked[start + 2] if start + 2 < len(masked) else " "
    return not before.isspace() or not after.isspace()


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    if _CANDIDATE.search(ctx.source.text) is None:
        return
    for block in inline_blocks(ctx):
        if "==" not in block.masked:
            continue
        paired = [m.span() for m in highlights.HIGHLIGHT.finditer(block.masked)]
        left = spans.blank(block.masked, paired)
        for match in highlights.DELIMITER.finditer(left):
            if _flanks_text(left, match.start()):
                line, col = block.fragment.position(match.start())
                yield Violation(line, col, "`==` without a matching `==` in this paragraph")
