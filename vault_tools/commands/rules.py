"""`vault-tools rules [CODE]`: the registry as a table, or one rule's documentation."""

from __future__ import annotations

import json

import click

from vault_tools.errors import UsageError
from vault_tools.rules import RULES, Rule


def _fixable(rule: Rule) -> str:
    return rule.fixable or "-"


def rule_record(rule: Rule) -> dict[str, object]:
    return {"code": rule.code, "name": rule.name, "severity": str(rule.severity),
            "fixable": rule.fixable, "default_enabled": rule.default_enabled,
            "options": dict(rule.options), "summary": rule.summary, "doc": rule.doc.strip()}


def execute(code: str | None, as_json: bool) -> int:
    if code is not None:
        rule = RULES.get(code.upper())
        if rule is None:
            raise UsageError(f"no rule {code!r} (run `vault-tools rules` for the list)")
        if as_json:
            click.echo(json.dumps(rule_record(rule), indent=2))
        else:
            default = "" if rule.default_enabled else " (off by default)"
            click.echo(f"{rule.code} {rule.name} [{rule.severity}; fixable: {_fixable(rule)}]"
                       f"{default}\n")
            click.echo(rule.doc.strip())
        return 0
    if as_json:
        click.echo(json.dumps([rule_record(rule) for rule in RULES.values()], indent=2))
        return 0
    click.echo(f"{'code':<6}  {'name':<28}  {'fixable':<7}  summary")
    for rule in RULES.values():
        marker = "" if rule.default_enabled else " (off by default)"
        click.echo(f"{rule.code:<6}  {rule.name:<28}  {_fixable(rule):<7}  {rule.summary}{marker}")
    return 0
