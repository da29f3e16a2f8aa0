"""The file is not valid UTF-8.

Obsidian reads notes as UTF-8; other bytes show as replacement characters and are lost on the
next save. The message gives the byte offset of the first bad byte. Convert the file (for
example `iconv -f latin1 -t utf-8`) after checking which encoding it really is.

Passes: a note saved as UTF-8.

Fails: a note saved as Latin-1 with `é` in it.
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.problems import problems_with_code

CODE = "VT001"
NAME = "not-utf8"
SEVERITY = Severity.ERROR


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    yield from problems_with_code(ctx, CODE)
