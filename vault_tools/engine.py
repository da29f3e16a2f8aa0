"""Lint notes: run the selected rules, stamp code, name and severity, apply suppressions.

The engine never prints; it returns findings sorted by path and position. A rule that raises
on some odd note becomes a VT000 finding on that note and the run goes on. What runs is the
plan's (lintplan); how a note's path is shown, notepaths'.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from vault_tools.discover import NotePath
from vault_tools.findings import Finding, Severity, Violation
from vault_tools.lintplan import ActiveRule, LintPlan, matches
from vault_tools.model import INTERNAL_ERROR as INTERNAL_ERROR  # the engine's, for callers
from vault_tools.notepaths import display_path, relative_to_root
from vault_tools.rules import NoteContext
from vault_tools.suppressions import Suppressions

if TYPE_CHECKING:
    from vault_tools.linkindex import VaultIndex
    from vault_tools.notefacts import NoteFacts
    from vault_tools.notes import LoadedNote
    from vault_tools.schemas import NoteSchemas


def _ignored_here(plan: LintPlan, rel: str) -> tuple[str, ...]:
    return tuple(code for glob, codes in plan.per_file_ignores
                 if fnmatch.fnmatchcase(rel, glob) for code in codes)


T = TypeVar("T")


def _run_rule(active: ActiveRule, check: Callable[..., Iterable[T]], *args: Any
              ) -> tuple[list[T], str | None]:
    """`check(*args)`'s violations, and a message if it crashed part-way (what it found is
    kept)."""
    collected: list[T] = []
    try:
        collected.extend(check(*args))
    except Exception as exc:  # one odd note must not stop the vault
        return collected, _crash_message(active, exc)
    return collected, None


def _crash_message(active: ActiveRule, exc: Exception) -> str:
    return (f"internal error in rule {active.rule.code} ({active.rule.name}): "
            f"{type(exc).__name__}: {exc} (please report)")


# A finding keeps its source line (for the text report's caret, baselines and fingerprints);
# a 5 MB line with 100,000 findings must not become 500 GB of cache, so it is cut here.
MAX_CONTEXT = 500


def _context(lines: Sequence[str], line: int) -> str:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text if len(text) <= MAX_CONTEXT else text[:MAX_CONTEXT]


# Not suppressible and always an error: a crashed rule's silence must not read as a pass.
_INTERNAL_ERROR_NAME, _INTERNAL_ERROR_SEVERITY = "internal-error", Severity.ERROR


def _internal_error(shown: str, message: str, lines: Sequence[str]) -> Finding:
    return Finding(shown, 1, 1, INTERNAL_ERROR, message, _INTERNAL_ERROR_NAME,
                   _INTERNAL_ERROR_SEVERITY, context=_context(lines, 1))


def rule_names(plan: LintPlan) -> dict[str, tuple[str, Severity]]:
    """Every code the plan's findings can have, with the name and severity they carry."""
    names = {active.rule.code: (active.rule.name, active.severity)
             for active in (*plan.rules, *plan.vault_rules)}
    names[INTERNAL_ERROR] = (_INTERNAL_ERROR_NAME, _INTERNAL_ERROR_SEVERITY)
    return names


def _stamp(shown: str, active: ActiveRule, violations: Iterable[Violation],
           suppressions: Suppressions, lines: Sequence[str]) -> Iterator[Finding]:
    """Violations -> findings: code, name and severity stamped, suppressed ones left out."""
    code = active.rule.code
    directives = suppressions.directives  # most notes have none: no call per violation
    for violation in violations:
        if directives and suppressions.suppressed(code, violation.line):
            continue
        context = _context(lines, violation.line)
        yield Finding(shown, violation.line, violation.col, code, violation.message,
                      active.rule.name, active.severity, violation.fix, context,
                      violation.end_line, violation.end_col)


def lint_note(loaded: LoadedNote, plan: LintPlan, path: str | None = None) -> list[Finding]:
    shown = path if path is not None else display_path(loaded.location)
    note = loaded.note
    schemas: NoteSchemas | None = None
    ignored: tuple[str, ...] = ()
    if plan.schemas is not None or plan.per_file_ignores:  # most runs have neither
        rel = relative_to_root(loaded.location, plan.root)
        schemas = plan.schemas.for_note(note, rel) if plan.schemas is not None else None
        ignored = _ignored_here(plan, rel)
    ctx = NoteContext(note, loaded.source, plan.known_codes, schemas)
    suppressions = Suppressions(ctx.directives)
    lines = ctx.lines
    findings: list[Finding] = []
    # _run_rule's steps written out: this loop runs 28 times per note, and the call with its
    # argument tuple cost more than most rules do on most notes.
    for active in plan.rules:
        if ignored and matches(active.rule.code, ignored):
            continue
        violations: list[Violation] = []
        try:
            violations.extend(active.rule.check(ctx, active.options))
        except Exception as exc:  # one odd note must not stop the vault; what it found is kept
            findings.append(_internal_error(shown, _crash_message(active, exc), lines))
        if violations:  # most rules find nothing in most notes
            findings.extend(_stamp(shown, active, violations, suppressions, lines))
    for problem in note.errors:  # the parser crashed: no rule reports that
        if problem.code == INTERNAL_ERROR:
            findings.append(_internal_error(shown, problem.message, lines))
    if len(findings) > 1:
        findings.sort(key=lambda finding: finding.order)
    return findings


@dataclass(frozen=True)
class VaultTarget:
    """A linted note as vault rules see it: where it is, its link facts, its suppressions."""

    location: NotePath
    facts: NoteFacts
    suppressions: Suppressions


def lint_vault(plan: LintPlan, index: VaultIndex, targets: Sequence[VaultTarget],
               read_lines: Callable[[NotePath], Sequence[str]],
               listed: Collection[str] = frozenset()) -> list[Finding]:
    """The vault rules' findings on `targets` (the notes being linted), ignored per file and
    suppressed as a note rule's are; `read_lines` gives a note's lines, for the context.
    Listing-only rules skip the targets whose facts' paths are `listed` (a lint worker ran
    them already)."""
    notes = tuple(target.facts for target in targets)  # one tuple: the index keeps its walk
    unlisted = tuple(facts for facts in notes if facts.path not in listed) if listed else notes
    found: dict[str, list[tuple[ActiveRule, Violation]]] = {}
    findings = []
    for active in plan.vault_rules:
        check = active.rule.check_vault
        assert check is not None, "vault rules have check_vault (Rule.from_module)"
        given = unlisted if active.rule.listing_only else notes
        if not given:
            continue
        located, crash = _run_rule(active, check, index, given, active.options)
        if crash is not None and targets:
            first = targets[0].location
            findings.append(_internal_error(display_path(first), crash, read_lines(first)))
        for path, violation in located:
            found.setdefault(path, []).append((active, violation))
    for target in targets:
        pairs = found.get(target.facts.path)
        if not pairs:
            continue
        ignored = _ignored_here(plan, relative_to_root(target.location, plan.root)) \
            if plan.per_file_ignores else ()
        kept = [(a, v) for a, v in pairs if not (ignored and matches(a.rule.code, ignored))]
        if kept:
            shown, lines = display_path(target.location), read_lines(target.location)
            for active, violation in kept:
                findings.extend(_stamp(shown, active, (violation,), target.suppressions, lines))
    findings.sort(key=lambda finding: finding.order)
    return findings
