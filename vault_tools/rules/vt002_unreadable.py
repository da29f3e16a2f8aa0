"""The file cannot be read.

A file without read permission, or a note named on the command line that is a broken symbolic
link: Obsidian cannot show it either, and no other rule can check it. The message gives the
reason (the operating system's words).

Passes: a note file that the user running vault-tools may read.

Fails: a note file with no read permission (`chmod 000 Note.md`).
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.problems import problems_with_code

CODE = "VT002"
NAME = "unreadable"
SEVERITY = Severity.ERROR


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    yield from problems_with_code(ctx, CODE)
