"""What every rule module provides, and the context a rule sees.

A rule module defines CODE, NAME, SEVERITY, FIXABLE ("safe", "unsafe" or None), optionally
DEFAULT_ENABLED (False for opt-in rules) and OPTIONS (defaults), and `check(ctx, options)`
yielding Violations. Its docstring is its user documentation (`vault-tools rules CODE`).
Rules are pure: they read the context and never print, open files or change anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import ModuleType
from typing import Any

from vault_tools.findings import Severity, Violation
from vault_tools.model import Note
from vault_tools.source import SourceText

Options = Mapping[str, Any]
CheckFunction = Callable[["NoteContext", Options], Iterator[Violation]]


@dataclass
class NoteContext:
    """One note as rules see it: the parsed model and the exact text it came from."""

    note: Note
    source: SourceText
    known_codes: frozenset[str] = frozenset()  # every registered code, for VT004

    @cached_property
    def lines(self) -> list[str]:
        return self.source.text.split("\n")

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        for line in self.lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        return starts

    def offset(self, line: int, col: int) -> int:
        """Offset into the text of a 1-based line and column (for building Edits)."""
        return self.line_starts[line - 1] + col - 1


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: CheckFunction
    doc: str
    fixable: str | None = None
    default_enabled: bool = True
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def family(self) -> str:
        return self.code[:2]

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        doc = module.__doc__ or ""
        if not doc.strip():
            raise ValueError(f"rule module {module.__name__} has no docstring")
        return cls(
            code=module.CODE,
            name=module.NAME,
            severity=module.SEVERITY,
            check=module.check,
            doc=doc,
            fixable=getattr(module, "FIXABLE", None),
            default_enabled=getattr(module, "DEFAULT_ENABLED", True),
            options=getattr(module, "OPTIONS", {}),
        )
