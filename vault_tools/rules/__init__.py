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

from vault_tools.rules import (  # WS
    ws001_trailing_whitespace, ws002_missing_final_newline, ws003_multiple_blank_lines,
)
from vault_tools.rules import (  # HD
    hd001_heading_increment, hd002_duplicate_heading, hd003_empty_heading, hd004_empty_section,
)
from vault_tools.rules import ls001_mixed_bullet_markers, ls002_list_indentation  # LS
from vault_tools.rules import (  # IN
    in001_unclosed_highlight, in002_empty_highlight, in003_unclosed_comment, in004_unclosed_link,
    in005_numeric_tag,
)
from vault_tools.rules import (  # VT
    vt001_not_utf8, vt002_unreadable, vt003_nul_bytes, vt004_unknown_suppression,
)
from vault_tools.rules import sc001_frontmatter_schema, sc002_structure_schema  # SC
from vault_tools.rules import (  # LK
    lk001_unresolved_link, lk002_heading_not_found, lk003_block_not_found, lk004_ambiguous_link,
    lk005_orphan_note,
)
from vault_tools.rules import (  # FM
    fm001_invalid_yaml, fm002_not_a_mapping, fm003_duplicate_key, fm004_malformed_tags,
    fm005_deprecated_key, fm006_ambiguous_value, fm007_misplaced_frontmatter,
    fm008_frontmatter_too_large,
)

FM_RULES: tuple[ModuleType, ...] = (
    fm001_invalid_yaml, fm002_not_a_mapping, fm003_duplicate_key, fm004_malformed_tags,
    fm005_deprecated_key, fm006_ambiguous_value, fm007_misplaced_frontmatter,
    fm008_frontmatter_too_large,
)
HD_RULES: tuple[ModuleType, ...] = (
    hd001_heading_increment, hd002_duplicate_heading, hd003_empty_heading, hd004_empty_section,
)
LS_RULES: tuple[ModuleType, ...] = (ls001_mixed_bullet_markers, ls002_list_indentation)
IN_RULES: tuple[ModuleType, ...] = (
    in001_unclosed_highlight, in002_empty_highlight, in003_unclosed_comment, in004_unclosed_link,
    in005_numeric_tag,
)
WS_RULES: tuple[ModuleType, ...] = (
    ws001_trailing_whitespace, ws002_missing_final_newline, ws003_multiple_blank_lines,
)
SC_RULES: tuple[ModuleType, ...] = (sc001_frontmatter_schema, sc002_structure_schema)
LK_RULES: tuple[ModuleType, ...] = (
    lk001_unresolved_link, lk002_heading_not_found, lk003_block_not_found, lk004_ambiguous_link,
    lk005_orphan_note,
)
VT_RULES: tuple[ModuleType, ...] = (
    vt001_not_utf8, vt002_unreadable, vt003_nul_bytes, vt004_unknown_suppression,
)


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
    (*FM_RULES, *HD_RULES, *LS_RULES, *IN_RULES, *WS_RULES, *VT_RULES, *SC_RULES,
     *LK_RULES)
)

__all__ = ["RULES", "NoteContext", "Rule", "build_registry"]
