"""JUnit XML, read by CI servers' test report views (GitLab, Jenkins, Azure, ...).

One testsuite; one testcase per note checked. A note fails when it has findings at or above
`--fail-on`: its testcase then holds one `<failure>` listing them as `path:line:col: CODE
message` (many report viewers show only the first failure of a testcase). Findings below
`--fail-on` do not fail the note; they are listed in its `<system-out>`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from typing import TextIO

from vault_tools.discover import printable_path
from vault_tools.findings import Finding, LintResult
from vault_tools.report.base import ReportOptions

SUITE_NAME = "vault-tools lint"
# Characters XML 1.0 cannot carry at all, even escaped (ElementTree would write them as is and
# produce a file no parser accepts): C0 controls other than tab/newline/return, surrogates,
# U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def finding_line(finding: Finding) -> str:
    return xml_text(f"{printable_path(finding.path)}:{finding.line}:{finding.col}: {finding.code} "
                    f"{finding.message}")


def _group(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append(finding)
    return by_path


def build_testcase(path: str, findings: Sequence[Finding], result: LintResult) -> ET.Element:
    # A name that is not UTF-8 shows its odd bytes as `\\xe9`, as in every other format.
    shown = xml_text(printable_path(path))
    case = ET.Element("testcase", {"name": shown, "classname": SUITE_NAME, "file": shown})
    failing = [f for f in findings if f.severity >= result.fail_on]
    passing = [f for f in findings if f.severity < result.fail_on]
    if failing:
        plural = "finding" if len(failing) == 1 else "findings"
        codes = ", ".join(sorted({f.code for f in failing}))
        worst = max(f.severity for f in failing)
        failure = ET.SubElement(case, "failure", {"message": f"{len(failing)} {plural}: {codes}",
                                                  "type": str(worst)})
        failure.text = "\n".join(finding_line(f) for f in failing)
    if passing:
        ET.SubElement(case, "system-out").text = "\n".join(finding_line(f) for f in passing)
    return case


def build_suite(result: LintResult) -> ET.Element:
    by_path = _group(result.findings)
    # Every note checked, then (defensively) any finding path that is not among them, so that
    # no finding is ever dropped from the report.
    checked = set(result.paths)
    paths = [*result.paths, *(path for path in by_path if path not in checked)]
    cases = [build_testcase(path, by_path.get(path, []), result) for path in paths]
    failures = sum(1 for case in cases if case.find("failure") is not None)
    suite = ET.Element("testsuite", {"name": SUITE_NAME, "tests": str(len(cases)),
                                     "failures": str(failures), "errors": "0", "skipped": "0"})
    suite.extend(cases)
    return suite


def write_junit(result: LintResult, out: TextIO, options: ReportOptions) -> None:
    root = ET.Element("testsuites", {"name": "vault-tools"})
    suite = build_suite(result)
    root.attrib.update({key: suite.attrib[key] for key in ("tests", "failures", "errors")})
    root.append(suite)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
