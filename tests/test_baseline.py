"""`--write-baseline` / `--baseline`: findings matched by note, code and line text, not line
number; duplicates counted; the file deterministic; mistakes reported as usage errors."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from vault_tools import baseline
from vault_tools.cli import cli
from vault_tools.findings import Finding

MakeVault = Callable[[dict[str, str]], Path]
ONLY = ("--select", "HD001,WS001")  # the rules these notes are written for
BASE = "base.json"

# HD001 on line 3 ("### Deep"); WS001 on line 5.
NOTE = "# Title\n\n### Deep\n\ntrailing  \n"


@pytest.fixture
def lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """`vault-tools lint vault ...` run from the folder holding the vault."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, ["lint", "vault", *ONLY, "--jobs", "1", *args],
                                  catch_exceptions=False)

    return invoke


def positions(result: Result) -> list[tuple[str, int, int, str]]:
    return [(f["path"], f["line"], f["col"], f["code"]) for f in json.loads(result.stdout)]


def new_findings(lint: Callable[..., Result], base: str = BASE
                 ) -> list[tuple[str, int, int, str]]:
    result = lint("--baseline", base, "--output-format", "json")
    assert result.exit_code in (0, 1), result.output
    return positions(result)


def write(vault: Path, rel: str, text: str) -> None:
    (vault / rel).write_text(text, encoding="utf-8")


def test_write_baseline_exits_0_and_records_every_finding(
        make_vault: MakeVault, lint: Callable[..., Result], tmp_path: Path) -> None:
    make_vault({"a.md": NOTE})
    result = lint("--write-baseline", BASE)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"vault-tools: recorded 2 findings in {BASE}\n"
    document = json.loads((tmp_path / BASE).read_text("utf-8"))
    assert document == {"format": "vault-tools/baseline", "version": 1, "findings": [
        {"path": "vault/a.md", "code": "HD001", "context": "### Deep", "count": 1},
        {"path": "vault/a.md", "code": "WS001", "context": "trailing", "count": 1},
    ]}


def test_recorded_findings_are_not_reported(make_vault: MakeVault,
                                            lint: Callable[..., Result]) -> None:
    make_vault({"a.md": NOTE})
    lint("--write-baseline", BASE)
    result = lint("--baseline", BASE)
    assert result.exit_code == 0, result.output
    assert "HD001" not in result.stdout and "WS001" not in result.stdout


def test_finding_moved_down_by_an_inserted_paragraph_stays_suppressed(
        make_vault: MakeVault, lint: Callable[..., Result]) -> None:
    vault = make_vault({"a.md": NOTE})
    lint("--write-baseline", BASE)
    write(vault, "a.md", "# Title\n\nA new paragraph,\nthree lines long,\nabove.\n\n### Deep\n\n"
                         "trailing  \n")
    assert lint("--output-format", "json").exit_code == 1  # still there without the baseline
    assert new_findings(lint) == []


def test_reindented_line_stays_suppressed(make_vault: MakeVault,
                                          lint: Callable[..., Result]) -> None:
    vault = make_vault({"a.md": "# Title\n\n- item  \n"})
    lint("--write-baseline", BASE)
    write(vault, "a.md", "# Title\n\n- list\n  - item  \n")
    assert new_findings(lint) == []


def test_new_finding_is_reported_with_its_position(make_vault: MakeVault,
                                                  lint: Callable[..., Result]) -> None:
    vault = make_vault({"a.md": NOTE, "b.md": "# B\n"})
    lint("--write-baseline", BASE)
    write(vault, "a.md", NOTE + "\n##### Deeper\n")
    write(vault, "b.md", "# B\nnew trailing \n")
    assert new_findings(lint) == [("vault/a.md", 7, 1, "HD001"), ("vault/b.md", 2, 13, "WS001")]
    assert lint("--baseline", BASE).exit_code == 1


def test_edited_line_is_a_new_finding(make_vault: MakeVault,
                                      lint: Callable[..., Result]) -> None:
    vault = make_vault({"a.md": NOTE})
    lint("--write-baseline", BASE)
    write(vault, "a.md", NOTE.replace("### Deep", "### Deeper"))
    assert new_findings(lint) == [("vault/a.md", 3, 1, "HD001")]


def test_fixed_finding_disappears_from_the_baseline(make_vault: MakeVault,
                                                    lint: Callable[..., Result],
                                                    tmp_path: Path) -> None:
    vault = make_vault({"a.md": NOTE})
    lint("--write-baseline", BASE)
    write(vault, "a.md", NOTE.replace("trailing  ", "trailing"))
    assert new_findings(lint) == []
    lint("--write-baseline", BASE)
    entries = json.loads((tmp_path / BASE).read_text("utf-8"))["findings"]
    assert [(e["code"], e["count"]) for e in entries] == [("HD001", 1)]


def test_fixed_finding_does_not_cover_a_new_one_elsewhere(make_vault: MakeVault,
                                                          lint: Callable[..., Result]) -> None:
    vault = make_vault({"a.md": NOTE, "b.md": NOTE})
    lint("--write-baseline", BASE)
    write(vault, "a.md", NOTE.replace("### Deep", "## Deep"))
    write(vault, "b.md", NOTE + "\n### Deep\n")  # the same text, a second time, in b.md
    assert new_findings(lint) == [("vault/b.md", 7, 1, "HD001")]


def test_duplicates_are_counted(make_vault: MakeVault, lint: Callable[..., Result],
                                tmp_path: Path) -> None:
    twice = "# A\n\n### Deep\n\n# B\n\n### Deep\n"
    vault = make_vault({"a.md": twice})
    lint("--write-baseline", BASE)
    entries = json.loads((tmp_path / BASE).read_text("utf-8"))["findings"]
    assert [(e["context"], e["count"]) for e in entries] == [("### Deep", 2)]
    write(vault, "a.md", "# Z\n\n### Deep\n\n" + twice)
    # Three now, two recorded: the last one (in note order) is the new one.
    assert new_findings(lint) == [("vault/a.md", 11, 1, "HD001")]


def test_paths_are_relative_to_the_baseline_file(
        make_vault: MakeVault, lint: Callable[..., Result], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    make_vault({"a.md": NOTE})
    lint("--write-baseline", "vault/.vault-tools-baseline.json")
    entries = json.loads((tmp_path / "vault/.vault-tools-baseline.json").read_text("utf-8"))
    assert {e["path"] for e in entries["findings"]} == {"a.md"}
    # From inside the vault the findings read `a.md`, from outside `vault/a.md`: both match.
    assert new_findings(lint, "vault/.vault-tools-baseline.json") == []
    monkeypatch.chdir(tmp_path / "vault")
    result = CliRunner().invoke(cli, ["lint", ".", *ONLY, "--baseline",
                                      ".vault-tools-baseline.json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_baseline_file_is_deterministic_sorted_json(make_vault: MakeVault,
                                                    lint: Callable[..., Result],
                                                    tmp_path: Path) -> None:
    make_vault({"b.md": NOTE, "a.md": NOTE, "c/é.md": "# É\n\n### Ünïcode  \n"})
    lint("--write-baseline", BASE)
    first = (tmp_path / BASE).read_bytes()
    lint("--write-baseline", BASE, "--jobs", "2")
    assert (tmp_path / BASE).read_bytes() == first
    text = first.decode("utf-8")
    document = json.loads(text)
    assert text == json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    keys = [(e["path"], e["code"], e["context"]) for e in document["findings"]]
    assert keys == sorted(keys)
    assert ("vault/c/é.md", "WS001", "### Ünïcode") in keys


def test_dumps_ignores_finding_order() -> None:
    findings = [Finding(f"n{i % 3}.md", i, 1, f"WS00{i % 2 + 1}", "m", context=f" line {i % 4}")
                for i in range(24)]
    expected = baseline.dumps(baseline.count_keys(findings, Path.cwd()))
    random.Random(5).shuffle(findings)
    assert baseline.dumps(baseline.count_keys(findings, Path.cwd())) == expected


def test_filter_new_keeps_order_and_counts(tmp_path: Path) -> None:
    old = [Finding("a.md", 3, 1, "HD001", "m", context="### X"),
           Finding("a.md", 9, 1, "HD001", "m", context="### X")]
    recorded = baseline.count_keys(old[:1], Path.cwd())
    assert baseline.filter_new(old, recorded, Path.cwd()) == [old[1]]
    assert baseline.filter_new(old, baseline.count_keys(old, Path.cwd()), Path.cwd()) == []


# -- the operator's mistakes -------------------------------------------------------------------


@pytest.mark.parametrize(("content", "message"), [
    (None, "base.json: baseline file not found (create it with --write-baseline)"),
    ("[]", 'base.json: not a vault-tools baseline (no "format": "vault-tools/baseline")'),
    ('{"format": "vault-tools/baseline", "version": 9, "findings": []}',
     "base.json: baseline version 9 is not supported (expected 1; write it again with "
     "--write-baseline)"),
    ('{"format": "vault-tools/baseline", "version": 1, "findings": [{"path": "a.md"}]}',
     "base.json: findings[0]: expected an object with string 'path', 'code' and 'context'"),
    ('{"format": "vault-tools/baseline", "version": 1, "findings": [{"path": "a.md", '
     '"code": "HD001", "context": "", "count": 0}]}',
     "base.json: findings[0].count: expected a positive integer"),
])
def test_bad_baseline_is_a_usage_error(make_vault: MakeVault, lint: Callable[..., Result],
                                       tmp_path: Path, content: str | None,
                                       message: str) -> None:
    make_vault({"a.md": NOTE})
    if content is not None:
        (tmp_path / BASE).write_text(content, encoding="utf-8")
    result = lint("--baseline", BASE)
    assert result.exit_code == 2
    assert result.stderr == f"vault-tools: error: {message}\n"


def test_invalid_json_is_a_usage_error(make_vault: MakeVault, lint: Callable[..., Result],
                                       tmp_path: Path) -> None:
    make_vault({"a.md": NOTE})
    (tmp_path / BASE).write_text("{", encoding="utf-8")
    result = lint("--baseline", BASE)
    assert result.exit_code == 2
    assert result.stderr.startswith("vault-tools: error: base.json: cannot read baseline: ")


@pytest.mark.parametrize(("options", "message"), [
    (("--write-baseline", "x.json", "--baseline", "y.json"),
     "--write-baseline and --baseline cannot be used together"),
    (("--write-baseline", "x.json", "--changed-since", "HEAD"),
     "--write-baseline records the whole vault: drop --changed-since"),
])
def test_conflicting_options(make_vault: MakeVault, lint: Callable[..., Result],
                             tmp_path: Path, options: tuple[str, ...], message: str) -> None:
    make_vault({"a.md": NOTE})
    result = lint(*options)
    assert result.exit_code == 2
    assert result.stderr == f"vault-tools: error: {message}\n"
    assert not (tmp_path / "x.json").exists()
