"""The registries: RULES (unique, documented, listed by `vault-tools rules`), and the CLI's
format choices kept equal to REPORTERS and EXPORTERS."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from types import ModuleType

import pytest
from click.testing import Result
from jsonschema import Draft202012Validator

from vault_tools import cli
from vault_tools.config import load_packaged_schema
from vault_tools.engine import INTERNAL_ERROR
from vault_tools.export import EXPORTERS
from vault_tools.findings import Severity
from vault_tools.report import REPORTERS
from vault_tools.rules import RULES, Rule, build_registry
from vault_tools.rules import hd001_heading_increment as hd001
from vault_tools.rules import lk001_unresolved_link as lk001
from vault_tools.rules import ws001_trailing_whitespace as ws001

RunCli = Callable[..., Result]
ALL_RULES = list(RULES.values())
CODE = re.compile(r"[A-Z]{2}[0-9]{3}")
NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
# "Passes:" or "Fails (when ...):", followed by an example on the same line or indented below.
EXAMPLE = r"^{word}\b[^\n]*:[ \t]*(\S|\n\n?[ \t]+\S)"


def ids(rule: Rule) -> str:
    return rule.code


def test_registry_is_not_empty_and_sorted_by_code() -> None:
    assert len(RULES) >= 2
    assert list(RULES) == sorted(RULES)


@pytest.mark.parametrize("rule", ALL_RULES, ids=ids)
def test_code_and_name_shape(rule: Rule) -> None:
    assert CODE.fullmatch(rule.code)
    assert NAME.fullmatch(rule.name), rule.name
    assert RULES[rule.code] is rule


def test_names_are_unique() -> None:
    names = [rule.name for rule in ALL_RULES]
    assert len(names) == len(set(names))


def test_vt000_is_reserved_for_crashing_rules() -> None:
    assert INTERNAL_ERROR == "VT000"
    assert INTERNAL_ERROR not in RULES


@pytest.mark.parametrize("rule", ALL_RULES, ids=ids)
def test_metadata_types(rule: Rule) -> None:
    assert isinstance(rule.severity, Severity)
    assert rule.fixable in (None, "safe", "unsafe")
    assert isinstance(rule.default_enabled, bool)
    assert callable(rule.check)
    for option, default in rule.options.items():
        # Options are set from TOML (`[rules.CODE] option = value`): kebab-case keys, TOML values.
        assert NAME.fullmatch(option), option
        assert default is None or isinstance(default, (str, int, float, bool, list, tuple))


@pytest.mark.parametrize("rule", ALL_RULES, ids=ids)
def test_docstring_is_user_documentation(rule: Rule) -> None:
    lines = rule.doc.strip().splitlines()
    summary = lines[0]
    assert summary.strip() == summary and summary.endswith("."), summary
    assert len(summary) <= 100, summary
    assert len(lines) == 1 or lines[1] == "", "the summary is one line, then a blank line"
    passes = re.search(EXAMPLE.format(word="Passes"), rule.doc, re.MULTILINE)
    fails = re.search(EXAMPLE.format(word="Fails"), rule.doc, re.MULTILINE)
    assert passes, f"{rule.code}: no 'Passes:' example"
    assert fails, f"{rule.code}: no 'Fails:' example"
    assert passes.start() < fails.start()


@pytest.mark.parametrize("rule", ALL_RULES, ids=ids)
def test_every_code_can_be_configured(rule: Rule) -> None:
    """The config schema accepts every code in `select` and as a `[rules.CODE]` table."""
    validator = Draft202012Validator(load_packaged_schema("config.schema.json"))
    raw = {"select": [rule.code, rule.family], "rules": {rule.code: {"severity": "info"}}}
    assert list(validator.iter_errors(raw)) == []


# -- build_registry refuses mistakes at import time ------------------------------------------


def fake(module: ModuleType, **changes: object) -> ModuleType:
    copy = ModuleType(module.__name__ + "_copy")
    copy.__dict__.update({key: value for key, value in vars(module).items()
                          if not key.startswith("__")})
    copy.__doc__ = module.__doc__
    copy.__dict__.update(changes)
    return copy


def test_duplicate_code_is_refused() -> None:
    with pytest.raises(ValueError, match="duplicate rule code HD001"):
        build_registry([hd001, fake(hd001, NAME="other-name")])


def test_duplicate_name_is_refused() -> None:
    with pytest.raises(ValueError, match="duplicate rule name heading-increment"):
        build_registry([hd001, fake(ws001, CODE="WS999", NAME="heading-increment")])


def test_undocumented_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="has no docstring"):
        build_registry([fake(ws001, __doc__=" \n")])


def test_listing_only_and_parts_only_rules_must_be_links_only_vault_rules() -> None:
    # Lint workers run LISTING_ONLY rules on one note at a time: a note rule or a rule that
    # reads other notes' links (LK005) would be wrong there.
    with pytest.raises(ValueError, match="LISTING_ONLY needs"):
        build_registry([fake(ws001, LISTING_ONLY=True)])
    with pytest.raises(ValueError, match="LISTING_ONLY needs"):
        build_registry([fake(lk001, LINKS_ONLY=False)])
    with pytest.raises(ValueError, match="PARTS_ONLY needs"):
        build_registry([fake(ws001, PARTS_ONLY=True)])
    assert {code for code, rule in RULES.items() if rule.listing_only} == {"LK001", "LK004"}
    assert {code for code, rule in RULES.items() if rule.parts_only} == {"LK002", "LK003"}


# -- `vault-tools rules` ---------------------------------------------------------------------


def test_rules_lists_every_rule(run_cli: RunCli) -> None:
    result = run_cli("rules")
    assert result.exit_code == 0
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert list(rows) == list(RULES)
    for rule in ALL_RULES:
        assert rule.name in rows[rule.code]
        assert rule.summary in rows[rule.code]
        assert ("(off by default)" in rows[rule.code]) is not rule.default_enabled


@pytest.mark.parametrize("code", ["HD001", "hd001"])
def test_rules_code_prints_its_documentation(run_cli: RunCli, code: str) -> None:
    result = run_cli("rules", code)
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert first.startswith("HD001 heading-increment [warning; fixable: unsafe]")
    assert RULES["HD001"].doc.strip() in result.stdout


def test_rules_unknown_code_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("rules", "XX999")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr == ("vault-tools: error: no rule 'XX999' "
                             "(run `vault-tools rules` for the list)\n")


def test_rules_json(run_cli: RunCli) -> None:
    records = json.loads(run_cli("rules", "--json").stdout)
    assert [r["code"] for r in records] == list(RULES)
    one = json.loads(run_cli("rules", "WS001", "--json").stdout)
    assert (one["code"], one["name"], one["fixable"], one["severity"]) == (
        "WS001", "trailing-whitespace", "safe", "warning")


# -- the CLI's choices come from the registries ----------------------------------------------


def test_output_formats_match_reporters() -> None:
    assert tuple(REPORTERS) == cli.OUTPUT_FORMATS


def test_export_formats_match_exporters() -> None:
    assert tuple(EXPORTERS) == cli.EXPORT_FORMATS


def test_docs_rules_md_is_generated_from_the_docstrings() -> None:
    # Regenerate with: vault-tools rules --markdown > docs/rules.md
    from conftest import ROOT

    from vault_tools.commands.rules import markdown

    expected = markdown(list(RULES.values()))
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == expected
