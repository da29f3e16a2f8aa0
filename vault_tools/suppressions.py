"""Inline suppressions, read from Obsidian comments so they stay invisible in reading view.

    %% vault-tools: disable HD001 %%            from here to the end (or to `enable`)
    %% vault-tools: enable HD001 %%
    %% vault-tools: disable-next-line IN001 %%  only the line after the comment
    vault-tools-disable: [WS001]                (frontmatter) the whole note

Without codes, `disable` means every rule. Applied once, centrally, by the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from vault_tools.model import Note

DIRECTIVE = re.compile(
    r"vault-tools:\s*(disable-next-line|disable|enable)\b([^%]*)", re.IGNORECASE
)
FRONTMATTER_KEY = "vault-tools-disable"
ALL = "ALL"


@dataclass(frozen=True, slots=True)
class Directive:
    action: str  # disable | enable | disable-next-line | file
    codes: tuple[str, ...]  # empty: every rule
    line: int
    col: int
    end_line: int


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.upper() for code in re.split(r"[\s,]+", text.strip()) if code)


def iter_directives(note: Note) -> Iterable[Directive]:
    value = note.frontmatter_data.get(FRONTMATTER_KEY)
    items = value if isinstance(value, list) else [] if value is None or value is False else [value]
    # "WS001, HD001" as one string means two codes, as in a comment; an empty list disables
    # nothing (only `ALL` disables every rule from frontmatter).
    codes = tuple(code for item in items for code in _codes(str(item)))
    if codes:
        line = next((key.line for key in note.frontmatter.keys if key.name == FRONTMATTER_KEY),
                    1) if note.frontmatter else 1
        yield Directive("file", codes, line, 1, line)
    for comment in note.comments:
        for match in DIRECTIVE.finditer(comment.text):
            yield Directive(match.group(1).lower(), _codes(match.group(2)), comment.line,
                            comment.col, comment.end_line)


def directives_of(note: Note) -> tuple[Directive, ...]:
    if not note.comments and FRONTMATTER_KEY not in note.frontmatter_data:
        return ()  # nowhere a directive could be (two notes in five on the benchmark)
    return tuple(iter_directives(note))


def _matches(code: str, codes: tuple[str, ...]) -> bool:
    return not codes or any(code.startswith(prefix) or prefix == ALL for prefix in codes)


@dataclass(frozen=True)
class Suppressions:
    directives: tuple[Directive, ...]

    @classmethod
    def of(cls, note: Note) -> Suppressions:
        return cls(directives_of(note))

    def suppressed(self, code: str, line: int) -> bool:
        disabled = False
        for directive in self.directives:
            if not _matches(code, directive.codes):
                continue
            if directive.action == "file":
                return True
            if directive.action == "disable-next-line" and line == directive.end_line + 1:
                return True
            if directive.line <= line:
                if directive.action == "disable":
                    disabled = True
                elif directive.action == "enable":
                    disabled = False
        return disabled
