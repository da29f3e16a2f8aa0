"""Lint notes: run the selected rules, stamp code, name and severity, apply suppressions.

The engine never prints; it returns findings sorted by path and position. A rule that raises
on some odd note becomes a VT000 finding on that note and the run goes on.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vault_tools.config import Config
from vault_tools.errors import UsageError
from vault_tools.findings import Finding, Severity, Violation
from vault_tools.notes import LoadedNote
from vault_tools.rules import RULES, NoteContext, Rule
from vault_tools.suppressions import ALL, Suppressions


@dataclass(frozen=True)
class ActiveRule:
    rule: Rule
    severity: Severity
    options: Mapping[str, Any]


@dataclass(frozen=True)
class LintPlan:
    rules: tuple[ActiveRule, ...]
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    known_codes: frozenset[str] = frozenset()


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(pattern == ALL or code.startswith(pattern) for pattern in patterns)


def check_codes(patterns: Iterable[str], where: str) -> None:
    for pattern in patterns:
        if pattern != ALL and not any(code.startswith(pattern) for code in RULES):
            raise UsageError(f"{where}: {pattern!r} matches no rule (see `vault-tools rules`)")


def select_rules(config: Config) -> list[Rule]:
    check_codes(config.select, "select")
    check_codes(config.extend_select, "extend-select")
    check_codes(config.ignore, "ignore")
    chosen = []
    for code, rule in RULES.items():
        base = _matches(code, config.select) if config.select else rule.default_enabled
        if (base or _matches(code, config.extend_select)) and not _matches(code, config.ignore):
            chosen.append(rule)
    return chosen


def _activate(rule: Rule, settings: Mapping[str, Any]) -> ActiveRule:
    options = dict(rule.options)
    for key, value in settings.items():
        if key == "severity":
            continue
        if key not in options:
            known = ", ".join(sorted(options)) or "none"
            raise UsageError(f"rules.{rule.code}: unknown option {key!r} (options: {known})")
        options[key] = value
    severity = Severity.parse(settings["severity"]) if "severity" in settings else rule.severity
    return ActiveRule(rule, severity, options)


def build_plan(config: Config) -> LintPlan:
    for code in config.rules:
        if code not in RULES:
            raise UsageError(f"rules.{code}: no such rule")
    for _, codes in config.per_file_ignores:
        check_codes(codes, "per-file-ignores")
    active = tuple(_activate(rule, config.rules.get(rule.code, {}))
                   for rule in select_rules(config))
    return LintPlan(active, config.per_file_ignores, frozenset(RULES))


def display_path(loaded: LoadedNote) -> str:
    """The note's path as the user can open it from here (relative to the working folder)."""
    absolute = os.path.abspath(loaded.location.file)
    relative = os.path.relpath(absolute)
    chosen = absolute if relative.startswith("..") else relative
    return Path(chosen).as_posix()


def _ignored_here(plan: LintPlan, rel: str) -> tuple[str, ...]:
    return tuple(code for glob, codes in plan.per_file_ignores
                 if fnmatch.fnmatchcase(rel, glob) for code in codes)


def _run_rule(active: ActiveRule, ctx: NoteContext) -> Iterator[Violation]:
    try:
        yield from active.rule.check(ctx, active.options)
    except Exception as exc:  # one odd note must not stop the vault
        yield Violation(1, 1, f"internal error in rule {active.rule.code}: "
                              f"{type(exc).__name__}: {exc} (please report)")


def lint_note(loaded: LoadedNote, plan: LintPlan, path: str | None = None) -> list[Finding]:
    shown = path if path is not None else display_path(loaded)
    ctx = NoteContext(loaded.note, loaded.source, plan.known_codes)
    suppressions = Suppressions.of(loaded.note)
    ignored = _ignored_here(plan, loaded.location.rel)
    lines = ctx.lines
    findings = []
    for active in plan.rules:
        code = active.rule.code
        if ignored and _matches(code, ignored):
            continue
        for violation in _run_rule(active, ctx):
            if suppressions.suppressed(code, violation.line):
                continue
            context = lines[violation.line - 1] if 0 < violation.line <= len(lines) else ""
            findings.append(Finding(
                shown, violation.line, violation.col, code, violation.message,
                active.rule.name, active.severity, violation.fix, context,
                violation.end_line, violation.end_col,
            ))
    findings.sort()
    return findings


def lint_loaded(notes: Iterable[LoadedNote], plan: LintPlan) -> Iterator[list[Finding]]:
    for loaded in notes:
        yield lint_note(loaded, plan)


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(findings)
