"""The file contains NUL bytes.

A NUL byte has no place in a text note: the file is most likely binary data with a `.md` name,
or text damaged by a failed sync. Obsidian and Markdown parsers replace NULs with `�`, so
saving the note from Obsidian changes it silently. The finding is on the line of the first NUL.

Passes: a note with only text in it.

Fails: a note with a `\\x00` byte in it (for example `printf 'a\\0b' > Note.md`).
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.problems import problems_with_code

CODE = "VT003"
NAME = "nul-bytes"
SEVERITY = Severity.ERROR


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    yield from problems_with_code(ctx, CODE)
