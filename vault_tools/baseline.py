"""A baseline: today's findings, recorded so that later runs report only new ones.

`vault-tools lint VAULT --write-baseline .vault-tools-baseline.json` records every finding;
`vault-tools lint VAULT --baseline .vault-tools-baseline.json` then leaves out the recorded ones.
A finding is recorded by its note, its code and the text of its line (without surrounding
whitespace), never by its line number, so editing a note above a finding does not bring it
back. When the same line text holds the same code more than once in a note, the baseline counts
them: with a count of 2, the first two such findings are old and a third one is new.

Paths in the file are relative to the folder holding the baseline file, so it matches whether
the linter runs from the repository root (pre-commit, CI) or from the vault itself.

The file is deterministic JSON (sorted, indented, one trailing newline), documented in
docs/ci.md, so that it diffs well under version control:

    {"format": "vault-tools/baseline", "version": 1,
     "findings": [{"code": "HD001", "context": "### Deep", "count": 1, "path": "Inbox/a.md"}]}
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from vault_tools.discover import printable_path
from vault_tools.errors import UsageError
from vault_tools.findings import Finding

FORMAT = "vault-tools/baseline"
VERSION = 1

Key = tuple[str, str, str]  # (path relative to the baseline's folder, code, stripped line)


def finding_key(finding: Finding, folder: Path) -> Key:
    """How a finding is matched: `folder` is where the baseline file lives."""
    # Finding paths are relative to the working folder (or absolute): anchor them there first.
    absolute = os.path.abspath(finding.path)
    relative = os.path.relpath(absolute, os.path.abspath(folder))
    # A name that is not UTF-8 is kept as export shows it (`caf\\xe9.md`): the file is UTF-8.
    return printable_path(Path(relative).as_posix()), finding.code, finding.context.strip()


def count_keys(findings: Iterable[Finding], folder: Path) -> Counter[Key]:
    return Counter(finding_key(finding, folder) for finding in findings)


def to_document(counts: Mapping[Key, int]) -> dict[str, Any]:
    entries = [{"path": path, "code": code, "context": context, "count": count}
               for (path, code, context), count in sorted(counts.items())]
    return {"format": FORMAT, "version": VERSION, "findings": entries}


def dumps(counts: Mapping[Key, int]) -> str:
    return json.dumps(to_document(counts), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_baseline(target: Path, findings: Iterable[Finding]) -> int:
    """Record `findings` in `target` (atomically); the number of findings recorded."""
    from vault_tools.safe_write import write_bytes

    counts = count_keys(findings, target.parent)
    try:
        write_bytes(target, dumps(counts).encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"{target}: cannot write baseline: {exc.strerror or exc}") from exc
    return sum(counts.values())


def read_baseline(source: Path) -> Counter[Key]:
    """The recorded counts; a missing or malformed file is the operator's mistake (exit 2)."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(f"{source}: baseline file not found "
                         "(create it with --write-baseline)") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{source}: cannot read baseline: {exc}") from exc
    return parse_document(data, source)


def parse_document(data: Any, source: Path) -> Counter[Key]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(f"{source}: not a vault-tools baseline (no \"format\": \"{FORMAT}\")")
    if data.get("version") != VERSION:
        raise UsageError(f"{source}: baseline version {data.get('version')!r} is not supported "
                         f"(expected {VERSION}; write it again with --write-baseline)")
    counts: Counter[Key] = Counter()
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise UsageError(f"{source}: key 'findings': expected an array")
    for index, entry in enumerate(entries):
        counts[_entry_key(entry, source, index)] += _entry_count(entry, source, index)
    return counts


def _entry_key(entry: Any, source: Path, index: int) -> Key:
    if not isinstance(entry, dict) or not all(
            isinstance(entry.get(name), str) for name in ("path", "code", "context")):
        raise UsageError(f"{source}: findings[{index}]: expected an object with string "
                         "'path', 'code' and 'context'")
    return entry["path"], entry["code"], entry["context"]


def _entry_count(entry: dict[str, Any], source: Path, index: int) -> int:
    count = entry.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise UsageError(f"{source}: findings[{index}].count: expected a positive integer")
    return count


def filter_new(findings: Iterable[Finding], recorded: Mapping[Key, int], folder: Path
               ) -> list[Finding]:
    """The findings the baseline does not account for, in their order.

    The first `count` findings with a recorded key (in sorted order: by position in the note)
    are old; any further one with the same key is new.
    """
    remaining = Counter(recorded)
    new: list[Finding] = []
    for finding in findings:
        key = finding_key(finding, folder)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(finding)
    return new
