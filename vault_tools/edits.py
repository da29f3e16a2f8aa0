"""The edits of fixes: which of a pass's fixes to take, and applying them to a note's text.

Pure functions of text and findings, kept apart from fixer.py's passes, checks and writes: a
fix is taken whole or not at all, never overlapping one taken before it in the same pass, and
its edits (made against the note's `\\n` text) are moved onto the file's own line ends.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import pairwise

from vault_tools.findings import Edit, Finding

_NEWLINES = re.compile(r"\r\n|\r|\n")


class FixFailed(Exception):
    """Why one note is left untouched (becomes a VT000 finding on it)."""


def wanted(finding: Finding, unsafe: bool) -> bool:
    return finding.fix is not None and bool(finding.fix.edits) and (finding.fix.safe or unsafe)


def _clash(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:  # an insertion clashes with an edit at its point
        return a.start <= b.end and b.start <= a.end
    return a.start < b.end and b.start < a.end


def choose(findings: Sequence[Finding], unsafe: bool, size: int) -> list[Finding]:
    """The wanted fixes, in order, each whole, none overlapping one chosen before it."""
    taken: list[Edit] = []
    chosen: list[Finding] = []
    for finding in sorted((f for f in findings if wanted(f, unsafe)),
                          key=lambda f: (min(f.fix.edits) if f.fix else Edit(0, 0, ""), f)):
        assert finding.fix is not None
        edits = sorted(finding.fix.edits)
        if any(not 0 <= e.start <= e.end <= size for e in edits):
            raise FixFailed(f"the {finding.code} fix has an edit outside the note (a bug in "
                            "the rule: please report it)")
        if any(_clash(a, b) for a, b in pairwise(edits)) or any(
                _clash(edit, other) for edit in edits for other in taken):
            continue  # a later pass, on the new text, takes it up
        taken.extend(edits)
        chosen.append(finding)
    return chosen


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """`text` with non-overlapping `edits` applied (the edits may come in any order)."""
    pieces: list[str] = []
    end = len(text)
    for edit in sorted(edits, reverse=True):
        pieces.append(text[edit.end:end])
        pieces.append(edit.text)
        end = edit.start
    pieces.append(text[:end])
    return "".join(reversed(pieces))


def normalise(raw: str) -> str:
    return raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw


def raw_edits(raw: str, edits: Sequence[Edit], newline: str) -> list[Edit]:
    """`edits` against the `\\n` text, moved onto the file's own text (any line ends)."""
    raw_starts, norm_starts = [0], [0]  # where each line starts in either text
    for match in _NEWLINES.finditer(raw):
        norm_starts.append(norm_starts[-1] + match.start() - raw_starts[-1] + 1)
        raw_starts.append(match.end())

    def place(offset: int) -> int:
        line = bisect_right(norm_starts, offset) - 1
        return raw_starts[line] + offset - norm_starts[line]

    return [Edit(place(e.start), place(e.end), e.text.replace("\n", newline)) for e in edits]
