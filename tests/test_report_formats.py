"""Every `--output-format` of `vault-tools lint` on sample_vault against golden files, plus what
each machine format promises: SARIF valid against the official schema, GitHub annotations that
parse back to the JSON records, JUnit counts, GitLab fingerprints that survive moved lines.

Golden files: see tests/golden_util.py for the command that regenerates them on purpose.
"""

from __future__ import annotations

import email.message
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
from click.testing import Result
from conftest import ROOT, SAMPLE_VAULT, SARIF_SCHEMA, need_shared
from golden_util import assert_golden

from vault_tools import __version__
from vault_tools.cli import OUTPUT_FORMATS
from vault_tools.findings import Finding, LintResult, Severity
from vault_tools.report import REPORTERS, ReportOptions
from vault_tools.report.gitlab import SEVERITY_NAMES
from vault_tools.rules import RULES

RunCli = Callable[..., Result]
# The note of sample_vault that holds every planted fault; all other notes are clean.
FAULTY_NOTE = "sample_vault/Inbox/Needs work.md"
SAMPLE_NOTES = sorted(f"sample_vault/{p.relative_to(SAMPLE_VAULT).as_posix()}"
                      for p in SAMPLE_VAULT.rglob("*.md"))


def lint_output(run_cli: RunCli, *args: str) -> str:
    result = run_cli("lint", *args)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def json_records(run_cli: RunCli, *args: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(
        lint_output(run_cli, *args, "--output-format", "json"))
    return records


def normalize(fmt: str, text: str) -> str:
    """Replace what depends on the machine or the release, so golden files stay put."""
    if fmt == "sarif":
        text = text.replace(json.dumps(ROOT.as_uri() + "/"), '"file:///SRCROOT/"')
        text = text.replace(f'"version": "{__version__}"', '"version": "<vault-tools version>"')
    return text


def report(result: LintResult, fmt: str) -> str:
    out = io.StringIO()
    REPORTERS[fmt](result, out, ReportOptions(version=__version__))
    return out.getvalue()


def test_cli_choices_are_the_reporters() -> None:
    assert tuple(REPORTERS) == OUTPUT_FORMATS


# --- golden files ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
def test_lint_sample_vault_golden(run_cli: RunCli, request: pytest.FixtureRequest,
                                  fmt: str) -> None:
    result = run_cli("lint", "sample_vault", "--output-format", fmt)
    assert result.exit_code == 1, result.output  # the planted faults are warnings
    assert_golden(request, f"lint/{fmt}.txt", normalize(fmt, result.stdout))


def test_sample_vault_faults_are_all_in_one_note(run_cli: RunCli) -> None:
    records = json_records(run_cli, "sample_vault")
    assert records
    assert {record["path"] for record in records} == {FAULTY_NOTE}


# --- SARIF -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(need_shared(SARIF_SCHEMA).read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator: jsonschema.protocols.Validator = validator_class(
        schema, format_checker=validator_class.FORMAT_CHECKER)
    return validator


def assert_valid_sarif(validator: jsonschema.protocols.Validator, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_sarif_of_sample_vault_is_valid_and_matches_json(
        run_cli: RunCli, sarif_validator: jsonschema.protocols.Validator) -> None:
    log = json.loads(lint_output(run_cli, "sample_vault", "--output-format", "sarif"))
    assert_valid_sarif(sarif_validator, log)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("vault-tools", __version__)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"
    for rule in driver["rules"]:
        registered = RULES[rule["id"]]
        assert rule["shortDescription"]["text"] == registered.summary
        assert rule["fullDescription"]["text"].startswith(registered.summary)
        assert rule["defaultConfiguration"]["level"] == str(registered.severity)
    got = []
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        region = location["physicalLocation"]["region"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        got.append((unquote(artifact["uri"]), region["startLine"], region["startColumn"],
                    region["endLine"], region["endColumn"], result["ruleId"], result["level"],
                    result["message"]["text"]))
    want = [(r["path"], r["line"], r["col"], r["end_line"], r["end_col"], r["code"],
             r["severity"], r["message"]) for r in json_records(run_cli, "sample_vault")]
    assert got == want
    assert artifact["uri"] == "sample_vault/Inbox/Needs%20work.md"


def test_sarif_of_clean_run_is_valid(sarif_validator: jsonschema.protocols.Validator) -> None:
    log = json.loads(report(LintResult((), ("a.md",)), "sarif"))
    assert_valid_sarif(sarif_validator, log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"] == []


ODD_PATH = "notes/Q&A #1: 100% ça?.md"


def test_sarif_unregistered_code_odd_path_and_absolute_path(
        sarif_validator: jsonschema.protocols.Validator, tmp_path: Path) -> None:
    outside = (tmp_path / "far away.md").as_posix()
    findings = (
        Finding(ODD_PATH, 1, 1, "VT000", "internal error in rule XX: boom", "",
                Severity.ERROR),
        Finding(ODD_PATH, 3, 2, "WS001", "trailing whitespace", "trailing-whitespace",
                Severity.INFO, end_line=3, end_col=4),
        Finding(outside, 2, 5, "HD001", "heading level 3 follows level 1", "heading-increment"),
    )
    log = json.loads(report(LintResult(findings, (ODD_PATH, outside)), "sarif"))
    assert_valid_sarif(sarif_validator, log)
    run = log["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["HD001", "WS001"]
    internal, info, far = run["results"]
    assert "ruleIndex" not in internal
    assert (internal["ruleId"], internal["level"]) == ("VT000", "error")
    assert (info["ruleIndex"], info["level"]) == (1, "note")
    assert far["ruleIndex"] == 0
    odd = internal["locations"][0]["physicalLocation"]["artifactLocation"]
    # A relative reference: no scheme, no fragment or query, and it decodes back to the path.
    assert odd["uri"] == "notes/Q%26A%20%231%3A%20100%25%20%C3%A7a%3F.md"
    assert unquote(odd["uri"]) == ODD_PATH
    absolute = far["locations"][0]["physicalLocation"]["artifactLocation"]
    assert absolute == {"uri": Path(outside).as_uri()}
    assert info["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 2, "endLine": 3, "endColumn": 4}


def test_sarif_information_uri_comes_from_package_metadata(
        monkeypatch: pytest.MonkeyPatch) -> None:
    metadata = email.message.Message()
    metadata["Project-URL"] = "Homepage, https://example.org/vault-tools"
    monkeypatch.setattr("importlib.metadata.metadata", lambda name: metadata)
    log = json.loads(report(LintResult((), ()), "sarif"))
    assert log["runs"][0]["tool"]["driver"]["informationUri"] == "https://example.org/vault-tools"


# --- GitHub annotations ------------------------------------------------------------------------

GITHUB_LINE = re.compile(
    r"^::(?P<level>error|warning|notice) file=(?P<file>[^,]*),line=(?P<line>\d+),"
    r"col=(?P<col>\d+)(?:,endLine=\d+)?(?:,endColumn=\d+)?,title=(?P<title>[^,:]*)"
    r"::(?P<message>.*)$")
GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def unescape_github(text: str) -> str:
    for escaped, plain in (("%3A", ":"), ("%2C", ","), ("%0A", "\n"), ("%0D", "\r"),
                           ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def test_github_annotations_parse_back_to_json_records(run_cli: RunCli) -> None:
    lines = lint_output(run_cli, "sample_vault", "--output-format", "github").splitlines()
    parsed = []
    for line in lines:
        match = GITHUB_LINE.match(line)
        assert match, line
        parsed.append((match["level"], unescape_github(match["file"]), int(match["line"]),
                       int(match["col"]), unescape_github(match["title"]),
                       unescape_github(match["message"])))
    want = [(GITHUB_LEVELS[r["severity"]], r["path"], r["line"], r["col"],
             f"{r['code']} {r['name']}", r["message"])
            for r in json_records(run_cli, "sample_vault")]
    assert parsed == want


def test_github_format_is_the_default_under_github_actions(
        run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    explicit = lint_output(run_cli, "sample_vault", "--output-format", "github")
    assert lint_output(run_cli, "sample_vault") != explicit  # text when not in Actions
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert lint_output(run_cli, "sample_vault") == explicit
    assert explicit.startswith("::warning file=")


# --- JUnit -------------------------------------------------------------------------------------

def parse_junit(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    return root


def failure_lines(case: ET.Element) -> list[str]:
    failure = case.find("failure")
    return [] if failure is None else (failure.text or "").splitlines()


def test_junit_has_one_testcase_per_note_and_one_failure_per_faulty_note(
        run_cli: RunCli) -> None:
    root = parse_junit(lint_output(run_cli, "sample_vault", "--output-format", "junit"))
    records = json_records(run_cli, "sample_vault")
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == SAMPLE_NOTES
    failed = {case.get("name"): failure_lines(case) for case in cases
              if case.find("failure") is not None}
    assert set(failed) == {FAULTY_NOTE}
    assert failed[FAULTY_NOTE] == [f"{r['path']}:{r['line']}:{r['col']}: {r['code']} "
                                   f"{r['message']}" for r in records]
    assert (suite.get("tests"), suite.get("failures")) == (str(len(SAMPLE_NOTES)), "1")
    assert (root.get("tests"), root.get("failures")) == (str(len(SAMPLE_NOTES)), "1")


def test_junit_escapes_markup_and_drops_characters_xml_cannot_carry() -> None:
    path = 'a & <b> "c".md'
    message = 'link [[x<y>]] & "quoted"\x01 \x1b[31m'
    findings = (Finding(path, 2, 3, "WS001", message, "trailing-whitespace"),)
    root = parse_junit(report(LintResult(findings, (path,)), "junit"))
    (case,) = root.iter("testcase")
    assert case.get("name") == path
    assert failure_lines(case) == [f"{path}:2:3: WS001 link [[x<y>]] & \"quoted\"\ufffd "
                                   "\ufffd[31m"]


def test_junit_findings_below_fail_on_do_not_fail_the_note() -> None:
    findings = (
        Finding("a.md", 1, 1, "HD001", "skip", "heading-increment", Severity.INFO),
        Finding("b.md", 4, 1, "HD001", "skip", "heading-increment", Severity.INFO),
        Finding("b.md", 5, 2, "WS001", "trailing", "trailing-whitespace", Severity.ERROR),
    )
    result = LintResult(findings, ("a.md", "b.md", "c.md"), fail_on=Severity.WARNING)
    root = parse_junit(report(result, "junit"))
    a, b, c = root.iter("testcase")
    assert failure_lines(a) == []
    assert (a.findtext("system-out") or "").splitlines() == ["a.md:1:1: HD001 skip"]
    assert failure_lines(b) == ["b.md:5:2: WS001 trailing"]
    assert b.find("failure").get("type") == "error"  # type: ignore[union-attr]
    assert len(c) == 0
    assert (root.get("tests"), root.get("failures")) == ("3", "1")


def test_junit_never_drops_a_finding_on_a_path_not_listed() -> None:
    findings = (Finding("elsewhere.md", 1, 1, "WS001", "trailing", "trailing-whitespace"),)
    root = parse_junit(report(LintResult(findings, ("a.md",)), "junit"))
    assert [case.get("name") for case in root.iter("testcase")] == ["a.md", "elsewhere.md"]


# --- GitLab Code Quality -----------------------------------------------------------------------

NOTE = ("# Roles\n"
        "\n"
        "Intro line with trailing space. \n"
        "\n"
        "### Skipped level\n"
        "\n"
        "Another trailing space. \n")


def gitlab_issues(run_cli: RunCli, *args: str) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = json.loads(
        lint_output(run_cli, *args, "--output-format", "gitlab"))
    return issues


def test_gitlab_issues_match_json_and_fingerprints_are_unique_and_stable(
        run_cli: RunCli) -> None:
    first = gitlab_issues(run_cli, "sample_vault")
    assert first == gitlab_issues(run_cli, "sample_vault")
    fingerprints = [issue["fingerprint"] for issue in first]
    assert len(set(fingerprints)) == len(fingerprints)
    assert all(re.fullmatch(r"[0-9a-f]{64}", fp) for fp in fingerprints)
    got = [(i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"],
            i["severity"]) for i in first]
    want = [(r["path"], r["line"], r["code"], SEVERITY_NAMES[Severity.parse(r["severity"])])
            for r in json_records(run_cli, "sample_vault")]
    assert got == want


def test_gitlab_fingerprints_survive_a_blank_line_above(
        run_cli: RunCli, make_vault: Callable[[dict[str, str]], Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    vault = make_vault({"Roles.md": NOTE})
    monkeypatch.chdir(vault.parent)
    before = {i["fingerprint"]: (i["check_name"], i["location"]["lines"]["begin"])
              for i in gitlab_issues(run_cli, "vault")}
    assert {("HD001", 5), ("WS001", 3), ("WS001", 7)} <= set(before.values())
    (vault / "Roles.md").write_text(NOTE.replace("# Roles\n", "# Roles\n\n", 1), encoding="utf-8")
    after = {i["fingerprint"]: (i["check_name"], i["location"]["lines"]["begin"])
             for i in gitlab_issues(run_cli, "vault")}
    # Other rules may report the new blank line; every earlier finding keeps its fingerprint.
    for fingerprint, (code, line) in before.items():
        assert after[fingerprint] == (code, line + 1)


def test_gitlab_same_line_text_twice_gets_distinct_fingerprints() -> None:
    findings = tuple(Finding("a.md", line, 5, "WS001", "trailing", "trailing-whitespace",
                             context="- item ") for line in (3, 8))
    issues = json.loads(report(LintResult(findings, ("a.md",)), "gitlab"))
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]
    moved = tuple(Finding("a.md", line, 5, "WS001", "trailing", "trailing-whitespace",
                          context="- item ") for line in (4, 9))
    again = json.loads(report(LintResult(moved, ("a.md",)), "gitlab"))
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]


def test_gitlab_severities() -> None:
    findings = tuple(Finding("a.md", n, 1, "WS001", "m", "trailing-whitespace", severity)
                     for n, severity in enumerate(Severity, start=1))
    issues = json.loads(report(LintResult(findings, ("a.md",)), "gitlab"))
    assert [i["severity"] for i in issues] == ["info", "minor", "major"]
