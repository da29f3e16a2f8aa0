"""What the per-family rule tests share: run one rule module on a note text, apply its fixes,
and read the examples of its docstring (which are its documentation, so they are tested)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from vault_tools.findings import Violation
from vault_tools.parse import parse_note
from vault_tools.rules import RULES, NoteContext
from vault_tools.source import decode

Position = tuple[int, int, str]


def context(text: str) -> NoteContext:
    return NoteContext(parse_note(text), decode(text.encode()), frozenset(RULES))


def violations(module: ModuleType, text: str, **options: Any) -> list[Violation]:
    return list(module.check(context(text), {**RULES[module.CODE].options, **options}))


def positions(module: ModuleType, text: str, **options: Any) -> list[Position]:
    return sorted((v.line, v.col, module.CODE) for v in violations(module, text, **options))


def fixed(text: str, violation: Violation) -> str:
    """`text` with one violation's fix applied."""
    assert violation.fix is not None
    for edit in sorted(violation.fix.edits, reverse=True):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


def fix_all(module: ModuleType, text: str, **options: Any) -> str:
    """`text` with every fix of one rule applied (their edits do not overlap)."""
    edits = [edit for v in violations(module, text, **options) if v.fix for edit in v.fix.edits]
    for edit in sorted(edits, reverse=True):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


def example(doc: str, label: str) -> str:
    """The indented block after the docstring line starting with `label`; `␠` is a space, and
    a doc that marks line ends with `⏎` marks all of them (no final newline of its own)."""
    lines = doc.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(label))
    block: list[str] = []
    for line in lines[start + 1:]:
        if line.startswith("    "):
            block.append(line[4:])
        elif line.strip() and block:
            break
        elif block:
            block.append("")
    text = "\n".join(block).strip("\n").replace("␠", " ")
    return text.replace("⏎", "\n") if "⏎" in doc else text + "\n"
