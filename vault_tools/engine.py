"""Lint notes: run the selected rules, stamp code, name and severity, apply suppressions.

The engine never prints; it returns findings sorted by path and position. A rule that raises
on some odd note becomes a VT000 finding on that note and the run goes on.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from vault_tools.config import Config, key_path, toml_type, toml_value
from vault_tools.discover import NotePath
from vault_tools.errors import UsageError
from vault_tools.findings import Finding, Severity, Violation
from vault_tools.notes import LoadedNote
from vault_tools.rules import RULES, NoteContext, Rule
from vault_tools.suppressions import ALL, Suppressions

INTERNAL_ERROR = "VT000"  # a rule crashed on this note; not a registered rule, never suppressed


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
    root: Path | None = None  # per-file-ignores globs are relative to this (the config's folder)


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(pattern == ALL or code.startswith(pattern) for pattern in patterns)


def check_codes(patterns: Iterable[str], where: str) -> None:
    """`where` names the origin for the message: `option --select`, `<file>: key 'ignore'`."""
    for pattern in patterns:
        if pattern != ALL and not any(code.startswith(pattern) for code in RULES):
            raise UsageError(f"{where}: {toml_value(pattern)} matches no rule "
                             "(run `vault-tools rules` for the list)")


def _key(config: Config, *parts: str) -> str:
    prefix = f"{config.source}: " if config.source is not None else ""
    return f"{prefix}key '{key_path(config.source, parts)}'"


def _same_kind(value: Any, default: Any) -> bool:
    if default is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, (list, tuple)):
        return isinstance(value, (list, tuple))
    return isinstance(value, type(default))


def check_rule_settings(config: Config) -> None:
    """Every `[rules.CODE]` table names a rule, and only options that rule has, of their type."""
    for code, settings in config.rules.items():
        rule = RULES.get(code)
        if rule is None:
            raise UsageError(f"{_key(config, 'rules', code)}: no such rule "
                             "(run `vault-tools rules` for the list)")
        for name, value in settings.items():
            if name == "severity":
                continue
            if name not in rule.options:
                known = ", ".join(sorted(rule.options))
                what = f"options: {known}" if known else f"{code} has no options"
                raise UsageError(f"{_key(config, 'rules', code, name)}: unknown option ({what})")
            default = rule.options[name]
            if not _same_kind(value, default):
                raise UsageError(f"{_key(config, 'rules', code, name)}: expected "
                                 f"{toml_type(default)} (default {default!r}), "
                                 f"got {toml_type(value)}")


def check_config(config: Config) -> None:
    """Codes and rule options in the configuration exist; messages name the file and key."""
    check_codes(config.select, _key(config, "select"))
    check_codes(config.extend_select, _key(config, "extend-select"))
    check_codes(config.ignore, _key(config, "ignore"))
    for glob, codes in config.per_file_ignores:
        check_codes(codes, _key(config, "per-file-ignores", glob))
    check_rule_settings(config)


def select_rules(config: Config) -> list[Rule]:
    chosen = []
    for code, rule in RULES.items():
        base = _matches(code, config.select) if config.select else rule.default_enabled
        if (base or _matches(code, config.extend_select)) and not _matches(code, config.ignore):
            chosen.append(rule)
    return chosen


def _activate(rule: Rule, settings: Mapping[str, Any]) -> ActiveRule:
    options = dict(rule.options)
    options.update((key, value) for key, value in settings.items() if key != "severity")
    severity = Severity.parse(settings["severity"]) if "severity" in settings else rule.severity
    return ActiveRule(rule, severity, options)


def build_plan(config: Config) -> LintPlan:
    check_config(config)
    active = tuple(_activate(rule, config.rules.get(rule.code, {}))
                   for rule in select_rules(config))
    return LintPlan(active, config.per_file_ignores, frozenset(RULES), config.root)


def display_path(location: NotePath) -> str:
    """The note's path as the user can open it from here: relative to the working folder, or
    absolute when it lies outside it."""
    prefix = _display_root(location.root, os.getcwd())
    return f"{prefix}/{location.rel}" if prefix else location.rel


@lru_cache(maxsize=64)
def _display_root(root: Path, cwd: str) -> str:
    # Computed once per vault: path arithmetic per note was a third of a warm (cached) run.
    absolute = os.path.abspath(root)
    relative = os.path.relpath(absolute, cwd)
    chosen = absolute if relative.startswith("..") else relative
    posix = Path(chosen).as_posix()
    return "" if posix == "." else posix.rstrip("/")


def relative_to_root(location: NotePath, root: Path | None) -> str:
    """The note's path relative to the config's folder, where config globs start; when linting a
    sub-folder, or a file of a vault without `.obsidian/`, `location.rel` starts lower down."""
    if root is not None:
        try:
            return (location.root.resolve() / location.rel).relative_to(root.resolve()).as_posix()
        except ValueError:
            pass  # a note outside the config's folder (--config elsewhere): its own vault path
    return location.rel


def _ignored_here(plan: LintPlan, rel: str) -> tuple[str, ...]:
    return tuple(code for glob, codes in plan.per_file_ignores
                 if fnmatch.fnmatchcase(rel, glob) for code in codes)


def _run_rule(active: ActiveRule, ctx: NoteContext) -> tuple[list[Violation], str | None]:
    """The rule's violations, and a message if it crashed part-way (what it found is kept)."""
    found: list[Violation] = []
    try:
        found.extend(active.rule.check(ctx, active.options))
    except Exception as exc:  # one odd note must not stop the vault
        return found, (f"internal error in rule {active.rule.code} ({active.rule.name}): "
                       f"{type(exc).__name__}: {exc} (please report)")
    return found, None


def _internal_error(shown: str, message: str, ctx: NoteContext) -> Finding:
    # Not suppressible and always an error: a crashed rule's silence must not read as a pass.
    first = ctx.lines[0] if ctx.lines else ""
    return Finding(shown, 1, 1, INTERNAL_ERROR, message, "internal-error", Severity.ERROR,
                   context=first)


def lint_note(loaded: LoadedNote, plan: LintPlan, path: str | None = None) -> list[Finding]:
    shown = path if path is not None else display_path(loaded.location)
    ctx = NoteContext(loaded.note, loaded.source, plan.known_codes)
    suppressions = Suppressions.of(loaded.note)
    ignored = _ignored_here(plan, relative_to_root(loaded.location, plan.root))
    lines = ctx.lines
    findings = []
    for active in plan.rules:
        code = active.rule.code
        if ignored and _matches(code, ignored):
            continue
        violations, crash = _run_rule(active, ctx)
        if crash is not None:
            findings.append(_internal_error(shown, crash, ctx))
        for violation in violations:
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
