"""The engine over a small fake registry: selection, rule options and severities, per-file
ignores, ordering, and a crashing rule becoming a VT000 finding instead of a traceback."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from vault_tools import lintplan, lintrun
from vault_tools.config import Config
from vault_tools.discover import NotePath
from vault_tools.engine import INTERNAL_ERROR, lint_note
from vault_tools.errors import UsageError
from vault_tools.findings import Edit, Finding, Fix, Severity, Violation, restore_finding
from vault_tools.lintplan import build_plan, select_rules
from vault_tools.lintrun import LintRun
from vault_tools.notepaths import display_path, display_paths, relative_to_root
from vault_tools.notes import load
from vault_tools.rules import NoteContext, Rule, build_registry

MakeVault = Callable[[dict[str, str]], Path]
Check = Callable[[NoteContext, Mapping[str, Any]], Iterator[Violation]]


def at_line(line: int) -> Check:
    def check(ctx: NoteContext, options: Mapping[str, Any]) -> Iterator[Violation]:
        yield Violation(line, 1, f"options={dict(options)}")

    return check


def rule_module(code: str, name: str, check: Check, *, enabled: bool = True,
                options: Mapping[str, Any] | None = None) -> ModuleType:
    module = ModuleType(f"fake_{code.lower()}")
    module.__doc__ = f"Fake rule {code}.\n\nPasses:\n\n    ok\n\nFails:\n\n    bad\n"
    module.CODE, module.NAME, module.SEVERITY = code, name, Severity.WARNING
    module.DEFAULT_ENABLED = enabled
    module.OPTIONS = dict(options or {})
    module.check = check
    return module


OPTIONS = {"limit": 3, "names": [], "strict": False, "ratio": 0.5, "style": "dash"}


@pytest.fixture
def fake_rules(monkeypatch: pytest.MonkeyPatch) -> Mapping[str, Rule]:
    registry = build_registry([
        rule_module("AA001", "aa-one", at_line(1)),
        rule_module("AA002", "aa-opt-in", at_line(2), enabled=False),
        rule_module("AB001", "ab-one", at_line(3)),
        rule_module("BB001", "bb-options", at_line(1), options=OPTIONS),
    ])
    monkeypatch.setattr(lintplan, "RULES", registry)
    return registry


def selected(**settings: Any) -> list[str]:
    return [rule.code for rule in select_rules(Config(**settings))]


# -- selection -------------------------------------------------------------------------------


@pytest.mark.usefixtures("fake_rules")
@pytest.mark.parametrize(("settings", "expected"), [
    ({}, ["AA001", "AB001", "BB001"]),
    ({"select": ("AA",)}, ["AA001", "AA002"]),  # an explicit select names opt-in rules too
    ({"select": ("AA001", "BB")}, ["AA001", "BB001"]),
    ({"select": ("A",)}, ["AA001", "AA002", "AB001"]),
    ({"select": ("ALL",)}, ["AA001", "AA002", "AB001", "BB001"]),
    ({"select": ("ALL",), "ignore": ("AA",)}, ["AB001", "BB001"]),
    ({"select": ("AA",), "ignore": ("AA002",)}, ["AA001"]),
    ({"extend_select": ("AA002",)}, ["AA001", "AA002", "AB001", "BB001"]),
    ({"extend_select": ("AA002",), "ignore": ("AA",)}, ["AB001", "BB001"]),
    ({"select": ("BB",), "extend_select": ("AA002",)}, ["AA002", "BB001"]),
    ({"ignore": ("ALL",)}, []),
])
def test_selection(settings: dict[str, Any], expected: list[str]) -> None:
    assert selected(**settings) == expected


@pytest.mark.usefixtures("fake_rules")
@pytest.mark.parametrize(("settings", "message"), [
    ({"select": ("ZZ",)},
     "key 'select': \"ZZ\" matches no rule (run `vault-tools rules` for the list)"),
    ({"extend_select": ("AA003",)},
     "key 'extend-select': \"AA003\" matches no rule (run `vault-tools rules` for the list)"),
    ({"ignore": ("AC",)},
     "key 'ignore': \"AC\" matches no rule (run `vault-tools rules` for the list)"),
    ({"per_file_ignores": (("x/*", ("AA", "QQ")),)},
     "key 'per-file-ignores.\"x/*\"': \"QQ\" matches no rule "
     "(run `vault-tools rules` for the list)"),
    ({"rules": {"CC001": {}}},
     "key 'rules.CC001': no such rule (run `vault-tools rules` for the list)"),
])
def test_unknown_codes_are_usage_errors(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        build_plan(Config(**settings))
    assert caught.value.format_message() == message


@pytest.mark.usefixtures("fake_rules")
def test_errors_name_the_config_file(tmp_path: Path) -> None:
    source = tmp_path / ".vault-tools.toml"
    with pytest.raises(UsageError) as caught:
        build_plan(Config(source=source, ignore=("ZZ",)))
    assert caught.value.format_message() == (
        f"{source}: key 'ignore': \"ZZ\" matches no rule (run `vault-tools rules` for the list)")


# -- rule settings ---------------------------------------------------------------------------


def test_options_and_severity_from_config(fake_rules: Mapping[str, Rule]) -> None:
    config = Config(rules={"BB001": {"limit": 7, "ratio": 1, "names": ["x"],
                                     "severity": "error"}})
    active = {a.rule.code: a for a in build_plan(config).rules}
    assert active["BB001"].options == {**OPTIONS, "limit": 7, "ratio": 1, "names": ["x"]}
    assert active["BB001"].severity is Severity.ERROR
    assert active["AA001"].severity is Severity.WARNING
    assert fake_rules["BB001"].options == OPTIONS  # the registry's defaults are not touched


@pytest.mark.usefixtures("fake_rules")
@pytest.mark.parametrize(("settings", "message"), [
    ({"BB001": {"limt": 2}},
     "key 'rules.BB001.limt': unknown option (options: limit, names, ratio, strict, style)"),
    ({"AA001": {"limit": 2}}, "key 'rules.AA001.limit': unknown option (AA001 has no options)"),
    ({"BB001": {"limit": "3"}},
     "key 'rules.BB001.limit': expected an integer (default 3), got a string"),
    ({"BB001": {"limit": True}},
     "key 'rules.BB001.limit': expected an integer (default 3), got a boolean"),
    ({"BB001": {"strict": 1}},
     "key 'rules.BB001.strict': expected a boolean (default False), got an integer"),
    ({"BB001": {"ratio": "half"}},
     "key 'rules.BB001.ratio': expected a float (default 0.5), got a string"),
    ({"BB001": {"names": "x"}},
     "key 'rules.BB001.names': expected an array (default []), got a string"),
    ({"BB001": {"style": ["dash"]}},
     "key 'rules.BB001.style': expected a string (default 'dash'), got an array"),
])
def test_bad_rule_settings(settings: dict[str, Any], message: str) -> None:
    # Checked even when the rule is not selected: a typo must not wait for the day it is.
    with pytest.raises(UsageError) as caught:
        build_plan(Config(select=("AA001",), rules=settings))
    assert caught.value.format_message() == message


# -- linting notes ---------------------------------------------------------------------------


def lint(vault: Path, rel: str, config: Config) -> list[tuple[int, int, str]]:
    found = lint_note(load(NotePath(vault, rel)), build_plan(config), path=rel)
    return [(f.line, f.col, f.code) for f in found]


@pytest.mark.usefixtures("fake_rules")
def test_findings_are_sorted_by_position(make_vault: MakeVault) -> None:
    vault = make_vault({"n.md": "one\ntwo\nthree\n"})
    assert lint(vault, "n.md", Config(root=vault, select=("ALL",))) == [
        (1, 1, "AA001"), (1, 1, "BB001"), (2, 1, "AA002"), (3, 1, "AB001"),
    ]


@pytest.mark.usefixtures("fake_rules")
def test_findings_are_stamped_with_rule_and_path(make_vault: MakeVault) -> None:
    vault = make_vault({"n.md": "first line\n"})
    plan = build_plan(Config(select=("BB001",), rules={"BB001": {"severity": "info"}}))
    (finding,) = lint_note(load(NotePath(vault, "n.md")), plan, path="shown/n.md")
    assert finding == Finding("shown/n.md", 1, 1, "BB001", f"options={OPTIONS}")
    assert (finding.name, finding.severity, finding.context) == (
        "bb-options", Severity.INFO, "first line")


@pytest.mark.usefixtures("fake_rules")
def test_per_file_ignores(make_vault: MakeVault) -> None:
    vault = make_vault({"daily/d.md": "x\ny\nz\n", "n.md": "x\ny\nz\n"})
    config = Config(root=vault, per_file_ignores=(("daily/*", ("AA", "BB001")),))
    assert lint(vault, "daily/d.md", config) == [(3, 1, "AB001")]
    assert lint(vault, "n.md", config) == [(1, 1, "AA001"), (1, 1, "BB001"), (3, 1, "AB001")]


@pytest.mark.usefixtures("fake_rules")
def test_per_file_ignores_match_from_the_config_root(make_vault: MakeVault) -> None:
    """A note discovered from a sub-folder has a shorter `rel`; the globs still see daily/d.md."""
    vault = make_vault({"daily/d.md": "x\ny\nz\n"})
    config = Config(root=vault, per_file_ignores=(("daily/*", ("ALL",)),))
    assert lint(vault / "daily", "d.md", config) == []


def test_relative_to_root(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "daily").mkdir(parents=True)
    assert relative_to_root(NotePath(vault / "daily", "d.md"), vault) == "daily/d.md"
    assert relative_to_root(NotePath(vault, "daily/d.md"), vault) == "daily/d.md"
    assert relative_to_root(NotePath(vault, "daily/d.md"), None) == "daily/d.md"
    # A note outside the config's folder (a --config from elsewhere) keeps its own vault path.
    assert relative_to_root(NotePath(vault, "daily/d.md"), tmp_path / "other") == "daily/d.md"


@pytest.mark.parametrize("cwd", ["", "vault", "vault/daily", "vault/daily/deep", "elsewhere"])
def test_display_path_is_the_path_from_the_working_folder(tmp_path: Path, cwd: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # Worked out once per vault root; it must still equal the plain path arithmetic per note.
    vault = tmp_path / "vault"
    for folder in ("daily/deep", "dailyish", "elsewhere"):
        (vault / folder).mkdir(parents=True, exist_ok=True)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / cwd)
    locations = [NotePath(root, rel) for root, rel in [
        (vault, "top.md"), (vault, "daily/d.md"), (vault, "daily/deep/e.md"),
        (vault, "dailyish/f.md"), (vault / "daily", "deep/e.md")]]
    for location in locations:
        absolute = os.path.join(location.root, location.rel)
        relative = os.path.relpath(absolute)
        expected = absolute if relative.startswith("..") else relative
        assert display_path(location) == Path(expected).as_posix()
    # The batch form (a run's notes, the working folder read once) says the same.
    assert display_paths(locations) == [display_path(location) for location in locations]


# -- a rule that crashes ---------------------------------------------------------------------


def crash_on_boom(ctx: NoteContext, options: Mapping[str, Any]) -> Iterator[Violation]:
    yield Violation(2, 1, "found before the crash")
    if "boom" in ctx.source.text:
        raise RuntimeError("odd note")


@pytest.fixture
def crashing_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lintplan, "RULES", build_registry([
        rule_module("AA001", "aa-one", at_line(1)),
        rule_module("CR001", "crashy", crash_on_boom),
    ]))


@pytest.mark.usefixtures("crashing_rules")
def test_crashing_rule_becomes_vt000_and_other_rules_still_run(make_vault: MakeVault) -> None:
    vault = make_vault({"bad.md": "boom\nsecond\n", "good.md": "fine\nsecond\n"})
    plan = build_plan(Config(root=vault))
    bad = lint_note(load(NotePath(vault, "bad.md")), plan, path="bad.md")
    assert [(f.line, f.col, f.code) for f in bad] == [
        (1, 1, "AA001"), (1, 1, INTERNAL_ERROR), (2, 1, "CR001")]
    crash = next(f for f in bad if f.code == INTERNAL_ERROR)
    assert crash.severity is Severity.ERROR
    assert crash.message == ("internal error in rule CR001 (crashy): RuntimeError: odd note "
                             "(please report)")
    good = lint_note(load(NotePath(vault, "good.md")), plan, path="good.md")
    assert [(f.line, f.col, f.code) for f in good] == [(1, 1, "AA001"), (2, 1, "CR001")]


@pytest.mark.usefixtures("crashing_rules")
def test_a_cached_crash_comes_back_with_its_name_and_severity(
        make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch) -> None:
    # Cache records leave names and severities to the plan: VT000, which is no rule of the
    # plan, must get its own back.
    vault = make_vault({"bad.md": "boom\nsecond\n"})
    config = Config(root=vault)
    plan = build_plan(config)
    locations = [NotePath(vault, "bad.md")]
    cold = LintRun(plan, config, jobs=1).run(locations)

    def unexpected(*args: object, **kwargs: object) -> list[Finding]:
        raise AssertionError("the warm run linted the note again")

    monkeypatch.setattr(lintrun, "lint_note", unexpected)
    warm = LintRun(plan, config, jobs=1).run(locations)
    assert [(f.code, f.name, f.severity, f.message) for f in warm] == \
        [(f.code, f.name, f.severity, f.message) for f in cold]
    assert (INTERNAL_ERROR, "internal-error", Severity.ERROR) in \
        [(f.code, f.name, f.severity) for f in warm]


@pytest.mark.usefixtures("crashing_rules")
def test_crash_is_not_hidden_by_a_suppression(make_vault: MakeVault) -> None:
    vault = make_vault({"bad.md": "%% vault-tools: disable %%\nboom\n"})
    assert lint(vault, "bad.md", Config(root=vault)) == [(1, 1, INTERNAL_ERROR)]


@pytest.mark.usefixtures("crashing_rules")
def test_a_crashing_rule_can_be_ignored(make_vault: MakeVault) -> None:
    vault = make_vault({"bad.md": "boom\n"})
    assert lint(vault, "bad.md", Config(root=vault, ignore=("CR",))) == [(1, 1, "AA001")]


def test_the_order_key_sorts_findings_as_their_comparison_does() -> None:
    # lint sorts by `Finding.order` for speed; it must agree with the dataclass ordering.
    import random

    rng = random.Random(7)
    findings = [Finding(rng.choice(["a.md", "a b.md", "b/c.md"]), rng.randint(1, 4),
                        rng.randint(1, 4), rng.choice(["WS001", "HD001"]), rng.choice("xy"),
                        rng.choice("nm")) for _ in range(500)]
    assert sorted(findings, key=lambda f: f.order) == sorted(findings)


def test_restore_finding_builds_the_finding_its_constructor_builds() -> None:
    # The cache's fast constructor sets slots one by one: every field must be set, in order.
    values = ("a.md", 3, 4, "WS001", "trailing whitespace", "trailing-whitespace",
              Severity.ERROR, Fix((Edit(1, 2, ""),), safe=False), "text  ", 3, 6)
    restored, built = restore_finding(*values), Finding(*values)
    assert restored == built and repr(restored) == repr(built)
    assert [getattr(restored, name) for name in Finding.__slots__] == list(values)
    with pytest.raises(AttributeError):
        restored.line = 9  # type: ignore[misc]  # frozen, as Findings are
