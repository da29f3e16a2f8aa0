"""Lint notes: run the selected rules, stamp code, name and severity, apply suppressions.

The engine never prints; it returns findings sorted by path and position. A rule that raises
on some odd note becomes a VT000 finding on that note and the run goes on.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from vault_tools.config import Config, key_path, toml_type, toml_value
from vault_tools.discover import NotePath
from vault_tools.errors import UsageError
from vault_tools.findings import Finding, Severity, Violation
from vault_tools.rules import RULES, NoteContext, Rule
from vault_tools.suppressions import ALL, Suppressions

if TYPE_CHECKING:
    from vault_tools.linkindex import VaultIndex
    from vault_tools.notefacts import NoteFacts
    from vault_tools.notes import LoadedNote
    from vault_tools.schemas import NoteSchemas, SchemaSet

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
    schemas: SchemaSet | None = None  # compiled once per run (build_schema_set)
    vault_rules: tuple[ActiveRule, ...] = ()  # SCOPE "vault": run once over every note's facts


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


def build_plan(config: Config, schemas: SchemaSet | None = None) -> LintPlan:
    check_config(config)
    active = tuple(_activate(rule, config.rules.get(rule.code, {}))
                   for rule in select_rules(config))
    return LintPlan(tuple(a for a in active if a.rule.scope == "note"), config.per_file_ignores,
                    frozenset(RULES), config.root, schemas,
                    vault_rules=tuple(a for a in active if a.rule.scope == "vault"))


def display_path(location: NotePath) -> str:
    """The note's path as the user can open it from here: relative to the working folder, or
    absolute when it lies outside it."""
    return _shown(location.rel, _root_view(location.root, os.getcwd()))


def display_paths(locations: Sequence[NotePath]) -> list[str]:
    """`display_path` of each location, with the working folder and each root's view looked
    up once: 0.9 ms for the benchmark vault's 6,571 notes, against 6.2 ms one by one."""
    cwd = os.getcwd()
    views: dict[Path, _RootView] = {}
    shown = []
    for location in locations:
        view = views.get(location.root)
        if view is None:
            view = views[location.root] = _root_view(location.root, cwd)
        shown.append(_shown(location.rel, view))
    return shown


def _shown(rel: str, view: _RootView) -> str:
    if view.below and rel.startswith(view.below):
        return rel[len(view.below):]
    return view.prefix + rel


@dataclass(frozen=True)
class _RootView:
    prefix: str  # put before a note's vault path: "" , "vault/", or the absolute root + "/"
    below: str = ""  # the working folder within the vault ("sub/"): notes under it drop it


@lru_cache(maxsize=64)
def _root_view(root: Path, cwd: str) -> _RootView:
    """How the notes of one vault root are shown from `cwd`. Computed once per vault: path
    arithmetic per note was a third of a warm run."""
    absolute = os.path.abspath(root)
    parts = os.path.relpath(absolute, cwd).split(os.sep)
    if parts == ["."]:
        return _RootView("")
    outside = Path(absolute).as_posix().rstrip("/") + "/"
    if parts[0] != "..":
        return _RootView("/".join(parts) + "/")
    if all(part == ".." for part in parts):  # the working folder is inside the vault
        return _RootView(outside, Path(os.path.relpath(cwd, absolute)).as_posix() + "/")
    return _RootView(outside)  # beside it: every note is outside the working folder


def relative_to_root(location: NotePath, root: Path | None) -> str:
    """The note's path relative to the config's folder, where config globs start; when linting a
    sub-folder, or a file of a vault without `.obsidian/`, `location.rel` starts lower down."""
    prefix = _root_offset(location.root, root) if root is not None else ""
    return location.rel if prefix is None else prefix + location.rel


@lru_cache(maxsize=64)
def _root_offset(notes: Path, config: Path) -> str | None:
    """The folder of `notes` below `config` ("" or "daily/"), None when it is not below it (a
    --config elsewhere: the note's own vault path). Once per folder: resolve() per note was
    a twentieth of a cold run."""
    try:
        offset = notes.resolve().relative_to(config.resolve()).as_posix()
    except ValueError:
        return None
    return "" if offset == "." else offset + "/"


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
        if ignored and _matches(active.rule.code, ignored):
            continue
        violations: list[Violation] = []
        try:
            violations.extend(active.rule.check(ctx, active.options))
        except Exception as exc:  # one odd note must not stop the vault; what it found is kept
            findings.append(_internal_error(shown, _crash_message(active, exc), lines))
        if violations:  # most rules find nothing in most notes
            findings.extend(_stamp(shown, active, violations, suppressions, lines))
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
        kept = [(a, v) for a, v in pairs if not (ignored and _matches(a.rule.code, ignored))]
        if kept:
            shown, lines = display_path(target.location), read_lines(target.location)
            for active, violation in kept:
                findings.extend(_stamp(shown, active, (violation,), target.suppressions, lines))
    findings.sort(key=lambda finding: finding.order)
    return findings
