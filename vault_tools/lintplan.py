"""The lint plan: which rules run, with which options and severity, checked against the registry.

Built once per run from the configuration, before any note is read: an unknown code or option
is the operator's mistake and stops the run with one line naming the file and key. Apart from
the engine, which runs a finished plan note by note and reads neither the configuration nor
the registry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vault_tools.config import Config, key_path, toml_type, toml_value
from vault_tools.errors import UsageError
from vault_tools.findings import Severity
from vault_tools.rules import RULES, Rule
from vault_tools.suppressions import ALL

if TYPE_CHECKING:
    from vault_tools.schemas import SchemaSet


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


def matches(code: str, patterns: Iterable[str]) -> bool:
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
        base = matches(code, config.select) if config.select else rule.default_enabled
        if (base or matches(code, config.extend_select)) and not matches(code, config.ignore):
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
