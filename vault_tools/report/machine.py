"""Formats read by programs: JSON (one object per finding) and GitHub workflow commands."""

from __future__ import annotations

import json
from typing import TextIO

from vault_tools.findings import LintResult, Severity
from vault_tools.report.base import ReportOptions


def write_json(result: LintResult, out: TextIO, options: ReportOptions) -> None:
    """A JSON array of finding records (keys documented in docs/findings.md)."""
    records = [finding.to_record() for finding in result.findings]
    json.dump(records, out, ensure_ascii=False, indent=2)
    out.write("\n")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(result: LintResult, out: TextIO, options: ReportOptions) -> None:
    """`::error file=..,line=..,col=..,title=CODE::message`, escaped as GitHub documents."""
    for f in result.findings:
        props = ",".join([
            f"file={_escape_property(f.path)}",
            f"line={f.line}",
            f"col={f.col}",
            *([f"endLine={f.end_line}"] if f.end_line else []),
            *([f"endColumn={f.end_col}"] if f.end_col else []),
            f"title={_escape_property(f'{f.code} {f.name}')}",
        ])
        out.write(f"::{_GITHUB_LEVEL[f.severity]} {props}::{_escape_data(f.message)}\n")
