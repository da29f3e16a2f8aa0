"""GitLab Code Quality: a JSON array of issues, shown in merge requests.

GitLab matches issues between the base and the head of a merge request by `fingerprint`, so it
must not change when unrelated edits move a finding: it hashes the path, the code, the text of
the finding's line and which occurrence of that triple it is, never the line number.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from vault_tools.discover import printable_path
from vault_tools.findings import Finding, LintResult, Severity
from vault_tools.report.base import ReportOptions

# GitLab's scale is info < minor < major < critical < blocker; a lint finding never blocks.
SEVERITY_NAMES = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}


def fingerprint(finding: Finding, occurrence: int) -> str:
    # Surrounding whitespace is left out so that re-indenting a line keeps its findings.
    parts = (finding.path, finding.code, finding.context.strip(), str(occurrence))
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def iter_fingerprints(findings: Iterable[Finding]) -> Iterator[str]:
    """One per finding, in order; the same line reported twice by one rule gets 0, 1, ..."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for finding in findings:
        key = (finding.path, finding.code, finding.context.strip())
        yield fingerprint(finding, seen[key])
        seen[key] += 1


def build_issue(finding: Finding, digest: str) -> dict[str, Any]:
    return {
        "description": f"{finding.code} {finding.message}",
        "check_name": finding.code,
        "fingerprint": digest,
        "severity": SEVERITY_NAMES[finding.severity],
        "location": {"path": printable_path(finding.path), "lines": {"begin": finding.line}},
    }


def write_gitlab(result: LintResult, out: TextIO, options: ReportOptions) -> None:
    issues = [build_issue(finding, digest) for finding, digest
              in zip(result.findings, iter_fingerprints(result.findings), strict=True)]
    json.dump(issues, out, ensure_ascii=False, indent=2)
    out.write("\n")
