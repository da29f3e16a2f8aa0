"""REPORTERS: output format name -> function writing a finished LintResult.

The CLI's `--output-format` choices are this mapping's keys. A reporter only formats; it never
decides the exit code or filters findings.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TextIO

from vault_tools.findings import LintResult
from vault_tools.report.base import Reporter, ReportOptions
from vault_tools.report.gitlab import write_gitlab
from vault_tools.report.machine import write_github, write_json
from vault_tools.report.sarif import write_sarif
from vault_tools.report.text import write_concise, write_text


def write_junit(result: LintResult, out: TextIO, options: ReportOptions) -> None:
    # Imported when used: xml.etree takes about 2 ms to import, and only this format needs it.
    from vault_tools.report import junit

    junit.write_junit(result, out, options)


REPORTERS: Mapping[str, Reporter] = MappingProxyType({
    "text": write_text,
    "concise": write_concise,
    "json": write_json,
    "github": write_github,
    "sarif": write_sarif,
    "junit": write_junit,
    "gitlab": write_gitlab,
})

__all__ = ["REPORTERS", "ReportOptions", "Reporter"]
