"""SARIF 2.1.0, the format of GitHub code scanning and most IDE result viewers.

One run: `tool.driver` describes vault-tools and the rules that produced a finding (their
docstrings are the help text), and each finding is a result whose location is relative to
`%SRCROOT%`, the folder the command ran in, so the log can be uploaded from another machine.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from vault_tools.findings import Finding, LintResult, Severity
from vault_tools.report.base import ReportOptions
from vault_tools.rules import Rule

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
LEVEL_BY_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def information_uri() -> str | None:
    """The project's home page from the installed package's metadata, when it declares one."""
    import importlib.metadata  # with email parsing: only for SARIF, not every lint run

    try:
        metadata = importlib.metadata.metadata("vault-tools")
    except importlib.metadata.PackageNotFoundError:
        return None
    # Project-URL entries read "Label, https://...".
    urls = [str(entry).partition(",")[2].strip() for entry in metadata.get_all("Project-URL") or []]
    urls += [str(home).strip() for home in metadata.get_all("Home-page") or []]
    return next((url for url in urls if url), None)


def _message(text: str) -> dict[str, str]:
    return {"text": text}


def build_rule(rule: Rule) -> dict[str, Any]:
    import inspect  # only SARIF needs it

    doc = inspect.cleandoc(rule.doc)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": _message(rule.summary),
        "fullDescription": _message(doc),
        # Docstrings are written in Markdown (backticks, indented examples).
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": LEVEL_BY_SEVERITY[rule.severity]},
    }


def artifact_location(path: str) -> dict[str, str]:
    """A relative URI reference under %SRCROOT%; a note outside it gets an absolute file URI."""
    local = Path(path)
    if local.is_absolute():
        return {"uri": local.as_uri()}
    # quote() keeps only `/` and unreserved characters: spaces, `#`, `?`, `%` and a `:` that
    # would read as a URI scheme are all percent-encoded (UTF-8 for non-ASCII).
    # (A name that is not UTF-8 is quoted as the bytes it was.)
    raw = local.as_posix().encode("utf-8", "surrogateescape")
    return {"uri": quote(raw, safe="/"), "uriBaseId": SRCROOT}


def build_result(finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    record = finding.to_record()
    result: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in rule_index:
        # Codes outside the registry (internal errors) stay valid results, only unindexed.
        result["ruleIndex"] = rule_index[finding.code]
    result["level"] = LEVEL_BY_SEVERITY[finding.severity]
    result["message"] = _message(finding.message)
    result["locations"] = [{
        "physicalLocation": {
            "artifactLocation": artifact_location(finding.path),
            "region": {
                "startLine": record["line"],
                "startColumn": record["col"],
                "endLine": record["end_line"],
                "endColumn": record["end_col"],
            },
        },
    }]
    return result


def build_driver(result: LintResult, options: ReportOptions) -> tuple[dict[str, Any],
                                                                      dict[str, int]]:
    """The tool component, listing only the rules that have findings (keeps logs small)."""
    codes = sorted({f.code for f in result.findings if f.code in options.rules})
    driver: dict[str, Any] = {"name": "vault-tools"}
    if options.version:
        driver["version"] = options.version
    uri = information_uri()
    if uri:
        driver["informationUri"] = uri
    driver["rules"] = [build_rule(options.rules[code]) for code in codes]
    return driver, {code: index for index, code in enumerate(codes)}


def build_log(result: LintResult, options: ReportOptions) -> dict[str, Any]:
    driver, rule_index = build_driver(result, options)
    run = {
        "tool": {"driver": driver},
        # Finding paths are relative to the working folder (absolute ones stay absolute).
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [build_result(finding, rule_index) for finding in result.findings],
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def write_sarif(result: LintResult, out: TextIO, options: ReportOptions) -> None:
    json.dump(build_log(result, options), out, ensure_ascii=False, indent=2)
    out.write("\n")
