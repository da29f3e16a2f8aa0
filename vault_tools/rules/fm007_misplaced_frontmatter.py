"""A `---` block that looks like frontmatter but that Obsidian does not read as frontmatter.

Obsidian takes frontmatter only from a `---` line that is the very first line of the file, up
to the next `---` line. A blank line or spaces before the opening `---`, or a block that is
never closed, turn the would-be properties into text: a horizontal rule and, often, a heading
(`title: Roles` followed by `---` is a setext heading). The note silently loses its tags,
aliases and properties. Only blocks whose lines look like `key: value` (or list items and
indented lines under a key) are reported, at the opening `---`; for a block that is never
closed, the lines right after it (up to the first blank or other line) are judged.

Passes:

    ---
    tags: [project]
    ---

Fails (never closed; a blank first line before `---` fails too):

    ---
    tags: [project]
    # Roles
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options

CODE = "FM007"
NAME = "misplaced-frontmatter"
SEVERITY = Severity.WARNING

KEY_LINE = re.compile(r"[\w\"'][^:]{0,80}:(?:[ \t]|$)")
UNDER_KEY = re.compile(r"[ \t]+\S|-[ \t]")  # indented, or a `- item` at the margin
CLOSER = re.compile(r"\s*(?:-{3,}|\.{3})\s*")  # `---`, and the near misses `----`, `...`


def _in_block(line: str) -> bool:
    return bool(KEY_LINE.match(line) or UNDER_KEY.match(line))


def looks_like_frontmatter(lines: list[str]) -> bool:
    body = [line for line in lines if line.strip()]
    return bool(body) and KEY_LINE.match(body[0]) is not None and all(map(_in_block, body))


def _closer(lines: list[str], start: int) -> int | None:
    """Index of the first closing-looking line after `start`."""
    return next((i for i in range(start + 1, len(lines)) if CLOSER.fullmatch(lines[i])), None)


def _unclosed(lines: list[str]) -> Violation | None:
    """`---` on line 1 and no `---` line after it: judge the run of lines that follow."""
    end = next((i for i in range(1, len(lines)) if not _in_block(lines[i])), len(lines))
    if not looks_like_frontmatter(lines[1:end]):
        return None
    return Violation(1, 1, "frontmatter opened on line 1 is never closed with a `---` line; "
                     "Obsidian shows it as text")


def _late(lines: list[str]) -> Violation | None:
    """The first non-blank line is `---` but it is not line 1 as written."""
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].strip() != "---":
        return None
    end = _closer(lines, start)
    if end is None or not looks_like_frontmatter(lines[start + 1:end]):
        return None
    where = "blank lines" if start else "spaces"
    return Violation(start + 1, len(lines[start]) - len(lines[start].lstrip()) + 1,
                     f"this `---` block is not frontmatter for Obsidian because of the {where} "
                     "before it; frontmatter must start on line 1")


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    if ctx.note.frontmatter is not None or any(e.code == "FM001" for e in ctx.note.errors):
        return  # a frontmatter block was found (broken or not): this rule has nothing to add
    lines = ctx.lines
    found = _unclosed(lines) if lines[0].rstrip() == "---" else _late(lines)
    if found is not None:
        yield found
