"""What every rule module provides, and the context a rule sees.

A rule module defines CODE, NAME, SEVERITY, FIXABLE ("safe", "unsafe" or None), optionally
DEFAULT_ENABLED (False for opt-in rules) and OPTIONS (defaults), and `check(ctx, options)`
yielding Violations. A vault-scope rule (SCOPE = "vault": it needs other notes, like links)
defines `check_vault(index, notes, options)` instead, yielding (note path, Violation) for the
notes being linted, and LINKS_ONLY = True when a note's findings depend only on its own links
and the notes they lead to; LISTING_ONLY = True when they depend only on its own links and the
vault's file listing (never on what other notes hold), so the lint worker that parses the note
can run it there; PARTS_ONLY = True when it reads only the links that name a heading or block
(`[[Note#Heading]]`, `[[Note#^id]]`), so the other links need not reach it. Its docstring is
its user documentation (`vault-tools rules CODE`). Rules are pure: they read the context and
never print, open files or change anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from types import ModuleType
from typing import TYPE_CHECKING, Any

from vault_tools.findings import Severity, Violation
from vault_tools.model import Item, Note, Section
from vault_tools.source import SourceText
from vault_tools.suppressions import Directive, directives_of

if TYPE_CHECKING:
    from vault_tools.linkindex import VaultIndex
    from vault_tools.notefacts import NoteFacts
    from vault_tools.schemas import NoteSchemas

Options = Mapping[str, Any]
CheckFunction = Callable[["NoteContext", Options], Iterator[Violation]]
VaultCheckFunction = Callable[["VaultIndex", Sequence["NoteFacts"], Options],
                              Iterator[tuple[str, Violation]]]
SCOPES = ("note", "vault")


@dataclass
class NoteContext:
    """One note as rules see it: the parsed model and the exact text it came from."""

    note: Note
    source: SourceText
    known_codes: frozenset[str] = frozenset()  # every registered code, for VT004
    schemas: NoteSchemas | None = None  # the schemas that apply to this note, for SC rules

    @cached_property
    def lines(self) -> list[str]:
        return self.source.text.split("\n")

    @cached_property
    def line_starts(self) -> list[int]:
        # Summed in C: the fixes of a few rules ask for these, and a loop adding one line at
        # a time was 0.05 s over half the benchmark vault's notes (HD001 uses starts_of now).
        return list(accumulate([len(line) + 1 for line in self.lines[:-1]], initial=0))

    @cached_property
    def sections(self) -> list[Section]:
        """`note.iter_sections()`, walked once for all the rules that read the heading tree."""
        return self.note.iter_sections()

    @cached_property
    def directives(self) -> tuple[Directive, ...]:
        """The note's suppression directives, read once for the engine and VT004."""
        return directives_of(self.note)

    @cached_property
    def sibling_groups(self) -> list[tuple[Item, ...]]:
        """The items of each parent, for the LS rules: every section's top-level items, then
        the children of every item that has some, each group after its parent's (groups
        without items left out). From the model: no parsing."""
        groups = [section.bullets for section in (self.note.preamble, *self.sections)
                  if section.bullets]
        for group in groups:  # the loop reaches the groups appended as it goes
            groups.extend([item.children for item in group if item.children])
        return groups

    @cached_property
    def masked_text(self) -> str:
        """Every inline text's `masked` joined by newlines: the IN rules look here once for
        the delimiter they need (`==`, `[[`, `#`) instead of once per paragraph. A newline
        is part of no delimiter, so the join makes none that a paragraph does not hold."""
        return "\n".join([inline.masked for inline in self.note.inline_texts])

    def starts_of(self, numbers: Iterable[int]) -> list[int]:
        """The offset where each of the ascending line `numbers` starts. For a rule that needs
        a few lines' (WS001, HD001), summing the lines between them costs less than every
        line's start."""
        lines = self.lines
        starts, offset, index = [], 0, 0
        for number in numbers:
            offset += sum(map(len, lines[index : number - 1])) + number - 1 - index
            index = number - 1
            starts.append(offset)
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
    scope: str = "note"
    check_vault: VaultCheckFunction | None = None  # vault-scope rules only
    # A vault rule whose findings on a note depend only on that note's links and the notes
    # they lead to (not on the rest of the vault): its findings are kept note by note.
    links_only: bool = False
    # Narrower still: findings depend on the note's links and the vault's file listing alone,
    # so lint workers run the rule on the notes they parse (vaultstage.lint_listed).
    listing_only: bool = False
    # It reads only the links that name a heading or block: when every vault rule is this or
    # listing-only, workers send the vault stage no other links (vaultstage.parts_suffice).
    parts_only: bool = False

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
        scope = getattr(module, "SCOPE", "note")
        if scope not in SCOPES:
            raise ValueError(f"rule module {module.__name__}: SCOPE must be one of {SCOPES}")
        links_only = getattr(module, "LINKS_ONLY", False)
        listing_only = getattr(module, "LISTING_ONLY", False)
        parts_only = getattr(module, "PARTS_ONLY", False)
        for flag, value in (("LISTING_ONLY", listing_only), ("PARTS_ONLY", parts_only)):
            if value and not (scope == "vault" and links_only):
                raise ValueError(f"rule module {module.__name__}: {flag} needs SCOPE "
                                 "'vault' and LINKS_ONLY")
        return cls(
            code=module.CODE,
            name=module.NAME,
            severity=module.SEVERITY,
            check=module.check if scope == "note" else _no_note_check,
            doc=doc,
            fixable=getattr(module, "FIXABLE", None),
            default_enabled=getattr(module, "DEFAULT_ENABLED", True),
            options=getattr(module, "OPTIONS", {}),
            scope=scope,
            check_vault=module.check_vault if scope == "vault" else None,
            links_only=links_only,
            listing_only=listing_only,
            parts_only=parts_only,
        )


def _no_note_check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    return iter(())  # a vault-scope rule finds nothing in one note alone
