"""An empty highlight: `====` standing alone in a sentence.

`====` highlights nothing and shows as four equals signs; it is what is left when the
highlighted text was deleted or never typed. A longer run (`=====`) and a line of only `====`
(an underline, or a setext heading's) are not reported, nor is anything in code or links.

Passes:

    I meant to highlight ==this== here.

Fails:

    I meant to highlight something here ==== and forgot what.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.blocks import position
from vault_tools.syntax import highlights

CODE = "IN002"
NAME = "empty-highlight"
SEVERITY = Severity.WARNING

# `====` as its own word: `a====b` or `<====` is some other notation.
_ALONE = re.compile(r"(?:(?<=\s)|^)(?:" + highlights.EMPTY.pattern + r")(?=\s|$)", re.MULTILINE)


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    if "====" not in ctx.masked_text:
        return  # no paragraph holds one (almost every note)
    for inline in ctx.note.inline_texts:
        masked = inline.masked
        if "====" not in masked:
            continue
        for match in _ALONE.finditer(masked):
            line_start = masked.rfind("\n", 0, match.start()) + 1
            line_end = masked.find("\n", match.end())
            if masked[line_start : None if line_end < 0 else line_end].strip() == "====":
                continue
            line, col = position(inline, match.start())
            yield Violation(line, col, "empty highlight `====`")
