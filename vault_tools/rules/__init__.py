"""RULES: the explicit registry of every rule, by code.

Adding a rule = writing its module and listing it in its family's tuple below. The registry
refuses duplicate codes or names and undocumented rules at import time, so a mistake fails
every test at once instead of silently dropping a rule.
"""
# ruff: noqa: I001 - one import line per family keeps concurrent edits apart

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType, ModuleType

from vault_tools.rules.base import NoteContext, Rule

from vault_tools.rules import ws001_trailing_whitespace  # WS
from vault_tools.rules import hd001_heading_increment  # HD
from vault_tools.rules import vt001_not_utf8, vt004_unknown_suppression  # VT

FM_RULES: tuple[ModuleType, ...] = ()
HD_RULES: tuple[ModuleType, ...] = (hd001_heading_increment,)
LS_RULES: tuple[ModuleType, ...] = ()
IN_RULES: tuple[ModuleType, ...] = ()
WS_RULES: tuple[ModuleType, ...] = (ws001_trailing_whitespace,)
VT_RULES: tuple[ModuleType, ...] = (vt001_not_utf8, vt004_unknown_suppression)


def build_registry(modules: Iterable[ModuleType]) -> Mapping[str, Rule]:
    rules: dict[str, Rule] = {}
    names: set[str] = set()
    for module in modules:
        rule = Rule.from_module(module)
        if rule.code in rules:
            raise ValueError(f"duplicate rule code {rule.code} in {module.__name__}")
        if rule.name in names:
            raise ValueError(f"duplicate rule name {rule.name} in {module.__name__}")
        rules[rule.code] = rule
        names.add(rule.name)
    return MappingProxyType(dict(sorted(rules.items())))


RULES: Mapping[str, Rule] = build_registry(
    (*FM_RULES, *HD_RULES, *LS_RULES, *IN_RULES, *WS_RULES, *VT_RULES)
)

__all__ = ["RULES", "NoteContext", "Rule", "build_registry"]
