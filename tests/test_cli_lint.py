"""`vault-tools lint` end to end: selection options, exit codes, output order and format,
colour, statistics, a crashing rule, and explicit files as pre-commit passes them."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from vault_tools import cli, lintplan
from vault_tools.findings import Violation
from vault_tools.rules import RULES, NoteContext

MakeVault = Callable[[dict[str, str]], Path]
RunCli = Callable[..., Result]

# HD001 on line 2 and WS001 on line 3 (both warnings by default).
NOTE = "# Title\n### Skipped\ntrailing  \n"
# Other rules may fire on the small notes below; tests about order and counts keep to these two.
ONLY = ("--select", "HD001,WS001")
HEADLINE = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]{2}\d{3})\b")


@pytest.fixture
def here(run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work from the folder holding the vault, so reported paths read `vault/...`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def findings(result: Result) -> list[tuple[str, int, int, str]]:
    return [(m["path"], int(m["line"]), int(m["col"]), m["code"])
            for m in map(HEADLINE.match, result.stdout.splitlines()) if m]


def codes(result: Result) -> list[str]:
    return [code for *_, code in findings(result)]


def assert_usage_error(result: Result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr == f"vault-tools: error: {message}\n"


# -- selection -------------------------------------------------------------------------------


@pytest.mark.usefixtures("here")
@pytest.mark.parametrize(("options", "expected"), [
    (("--select", "HD"), ["HD001"]),
    (("--select", "HD,WS", "--ignore", "HD001"), ["WS001"]),
    (("--select", "HD", "--select", "WS001"), ["HD001", "WS001"]),
    (("--select", "hd001, ws"), ["HD001", "WS001"]),
    (("--select", "ALL", "--ignore", "WS,VT,LK"), ["HD001"]),
    (("--ignore", "HD", "--ignore", "WS"), []),
    (("--select", "WS", "--extend-select", "HD001"), ["HD001", "WS001"]),
])
def test_selection_options(run_cli: RunCli, make_vault: MakeVault, options: tuple[str, ...],
                           expected: list[str]) -> None:
    make_vault({"a.md": NOTE})
    assert codes(run_cli("lint", "vault", *options)) == expected


@pytest.mark.usefixtures("here")
def test_default_selection(run_cli: RunCli, make_vault: MakeVault) -> None:
    make_vault({"a.md": NOTE})
    assert {"HD001", "WS001"} <= set(codes(run_cli("lint", "vault")))


@pytest.mark.usefixtures("here")
@pytest.mark.parametrize(("option", "value"), [
    ("--select", "HD,ZZ"), ("--extend-select", "ZZ"), ("--ignore", "ZZ")])
def test_unknown_code_on_the_command_line(run_cli: RunCli, make_vault: MakeVault,
                                          option: str, value: str) -> None:
    make_vault({"a.md": NOTE})
    assert_usage_error(run_cli("lint", "vault", option, value),
                       f"option {option}: \"ZZ\" matches no rule "
                       "(run `vault-tools rules` for the list)")


@pytest.mark.usefixtures("here")
def test_command_line_replaces_the_files_values(run_cli: RunCli, make_vault: MakeVault) -> None:
    make_vault({"a.md": NOTE, ".vault-tools.toml": 'select = ["WS"]\nignore = ["HD"]\n'})
    assert codes(run_cli("lint", "vault")) == ["WS001"]
    assert codes(run_cli("lint", "vault", "--select", "HD")) == []  # the file's ignore stays
    assert codes(run_cli("lint", "vault", "--select", "HD", "--ignore", "VT")) == ["HD001"]


@pytest.mark.usefixtures("here")
def test_extend_select_from_config_and_command_line(run_cli: RunCli,
                                                    make_vault: MakeVault) -> None:
    make_vault({"a.md": NOTE, ".vault-tools.toml": 'select = ["VT"]\nextend-select = ["WS"]\n'})
    assert codes(run_cli("lint", "vault")) == ["WS001"]
    assert codes(run_cli("lint", "vault", "--extend-select", "HD")) == ["HD001"]


# -- exit codes ------------------------------------------------------------------------------


@pytest.mark.usefixtures("here")
def test_exit_codes(run_cli: RunCli, make_vault: MakeVault) -> None:
    make_vault({"a.md": NOTE, "clean.md": "# Fine\n\nText.\n"})
    assert run_cli("lint", "vault/clean.md").exit_code == 0
    assert run_cli("lint", "vault").exit_code == 1
    assert run_cli("lint", "vault", "--fail-on", "warning").exit_code == 1
    assert run_cli("lint", "vault", "--fail-on", "error").exit_code == 0  # only warnings
    assert run_cli("lint", "vault", "--fail-on", "info").exit_code == 1


@pytest.mark.usefixtures("here")
def test_exit_zero_still_reports(run_cli: RunCli, make_vault: MakeVault) -> None:
    make_vault({"a.md": NOTE})
    result = run_cli("lint", "vault", "--exit-zero")
    assert (result.exit_code, codes(result)) == (0, ["HD001", "WS001"])


@pytest.mark.usefixtures("here")
def test_info_findings_do_not_fail_by_default(run_cli: RunCli, make_vault: MakeVault) -> None:
    make_vault({"a.md": "trailing  \n",
                ".vault-tools.toml": '[rules.WS001]\nseverity = "info"\n'})
    result = run_cli("lint", "vault")
    assert (result.exit_code, codes(result)) == (0, ["WS001"])
    assert run_cli("lint", "vault", "--fail-on", "info").exit_code == 1


@pytest.mark.usefixtures("here")
def test_error_severity_fails_with_fail_on_error(run_cli: RunCli, make_vault: MakeVault) -> None:
    make_vault({"a.md": NOTE, ".vault-tools.toml": '[rules.HD001]\nseverity = "error"\n'})
    assert run_cli("lint", "vault", "--fail-on", "error").exit_code == 1


@pytest.mark.usefixtures("here")
def test_usage_errors_exit_2(run_cli: RunCli, make_vault: MakeVault) -> None:
    make_vault({"a.md": NOTE})
    assert_usage_error(run_cli("lint", "vault/missing.md"),
                       "vault/missing.md: no such file or folder")
    bad_choice = run_cli("lint", "vault", "--fail-on", "fatal")
    assert bad_choice.exit_code == 2
    assert "Traceback" not in bad_choice.output


# -- output ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("here")
def test_default_text_output_line(run_cli: RunCli, make_vault: MakeVault) -> None:
    make_vault({"a.md": NOTE})
    lines = run_cli("lint", "vault").stdout.splitlines()
    assert lines[0].startswith("vault/a.md:2:1: HD001 ")
    assert "heading level 3" in lines[0]
    assert any(line.startswith("vault/a.md:3:9: WS001 ") for line in lines)


@pytest.mark.usefixtures("here")
def test_findings_sorted_by_path_and_position(run_cli: RunCli, make_vault: MakeVault) -> None:
    make_vault({"b.md": NOTE, "a/z.md": "x \n# T\n### U\n", "a.md": NOTE})
    expected = [
        ("vault/a.md", 2, 1, "HD001"), ("vault/a.md", 3, 9, "WS001"),
        ("vault/a/z.md", 1, 2, "WS001"), ("vault/a/z.md", 3, 1, "HD001"),
        ("vault/b.md", 2, 1, "HD001"), ("vault/b.md", 3, 9, "WS001"),
    ]
    assert findings(run_cli("lint", "vault", *ONLY)) == expected
    # Explicit files in any order (as pre-commit passes them) give the same report.
    given = run_cli("lint", "vault/b.md", "vault/a/z.md", "vault/a.md", *ONLY)
    assert findings(given) == expected


@pytest.mark.usefixtures("here")
def test_statistics_counts_per_rule(run_cli: RunCli, make_vault: MakeVault) -> None:
    make_vault({"a.md": NOTE, "b.md": "# T\n### U\n"})
    result = run_cli("lint", "vault", "--statistics", "--output-format", "concise", *ONLY)
    counts = {m[2]: int(m[1]) for m in
              (re.match(r"^\s*(\d+)\s+([A-Z]{2}\d{3})\s", line)
               for line in result.stdout.splitlines()) if m}
    assert counts == {"HD001": 2, "WS001": 1}
    without = run_cli("lint", "vault", "--output-format", "concise", *ONLY)
    assert not any(re.match(r"^\s*\d+\s+[A-Z]{2}\d{3}\s", line)
                   for line in without.stdout.splitlines())


class FakeStdout:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(("tty", "no_color", "expected"), [
    (True, None, True),
    (False, None, False),
    (True, "1", False),
    (False, "1", False),
    (True, "", True),  # no-color.org: an empty NO_COLOR does not count
])
def test_use_color(monkeypatch: pytest.MonkeyPatch, tty: bool, no_color: str | None,
                   expected: bool) -> None:
    monkeypatch.setattr(sys, "stdout", FakeStdout(tty))
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert cli._use_color() is expected


@pytest.mark.usefixtures("here")
def test_colour_reaches_the_report_only_on_stdout(run_cli: RunCli, make_vault: MakeVault,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    make_vault({"a.md": NOTE})
    assert "\x1b[" not in run_cli("lint", "vault").stdout  # CliRunner's stdout is no TTY
    monkeypatch.setattr(cli, "_use_color", lambda: True)
    assert "\x1b[" in run_cli("lint", "vault").stdout
    report = tmp_path / "report.txt"
    run_cli("lint", "vault", "-o", str(report))
    assert "HD001" in report.read_text(encoding="utf-8")
    assert "\x1b[" not in report.read_text(encoding="utf-8")


# -- a crashing rule -------------------------------------------------------------------------


@pytest.mark.usefixtures("here")
def test_crashing_rule_is_a_finding_not_a_traceback(run_cli: RunCli, make_vault: MakeVault,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    real = RULES["HD001"]

    def explode_on_boom(ctx: NoteContext, options: Mapping[str, Any]) -> Iterator[Violation]:
        if "boom" in ctx.source.text:
            raise ValueError("cannot handle this")
        yield from real.check(ctx, options)

    patched = {**RULES, "HD001": replace(real, check=explode_on_boom)}
    monkeypatch.setattr(lintplan, "RULES", patched)
    make_vault({"a.md": NOTE, "b.md": "boom  \n# T\n### U\n", "c.md": NOTE})
    result = run_cli("lint", "vault", *ONLY)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert findings(result) == [
        ("vault/a.md", 2, 1, "HD001"), ("vault/a.md", 3, 9, "WS001"),
        ("vault/b.md", 1, 1, "VT000"), ("vault/b.md", 1, 5, "WS001"),
        ("vault/c.md", 2, 1, "HD001"), ("vault/c.md", 3, 9, "WS001"),
    ]
    crash = next(line for line in result.stdout.splitlines() if "VT000" in line)
    assert crash.endswith("internal error in rule HD001 (heading-increment): "
                          "ValueError: cannot handle this (please report)")


# -- explicit files, as pre-commit passes them -----------------------------------------------


def test_explicit_files_use_their_vault_config(run_cli: RunCli, make_vault: MakeVault,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    vault = make_vault({"a.md": NOTE, "daily/b.md": NOTE,
                        ".vault-tools.toml": 'ignore = ["WS"]\n'
                                             '[per-file-ignores]\n"daily/*" = ["HD001"]\n'})
    monkeypatch.chdir(vault)
    result = run_cli("lint", "a.md", "daily/b.md")
    assert findings(result) == [("a.md", 2, 1, "HD001")]


def test_explicit_files_from_a_repository_root(run_cli: RunCli, make_vault: MakeVault,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The vault is a sub-folder of the repository; pre-commit runs from the repository root."""
    vault = make_vault({"a.md": NOTE, "daily/b.md": NOTE,
                        ".vault-tools.toml": '[per-file-ignores]\n"daily/*" = ["ALL"]\n'
                                             '"a.md" = ["WS"]\n'})
    monkeypatch.chdir(vault.parent)
    result = run_cli("lint", "vault/daily/b.md", "vault/a.md")
    assert findings(result) == [("vault/a.md", 2, 1, "HD001")]
