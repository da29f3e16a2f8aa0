"""`--fix`: apply the rules' fixes, re-lint until nothing changes, check, then write safely.

Fixes are data (edits against a note's `\\n` text). One pass applies every wanted fix whose
edits overlap no edit already taken (edits.py chooses and applies them); the next pass
re-parses and re-lints the result, so the fixes skipped for overlapping (and any that appear
only once others are in) come in later. A note that has not settled after MAX_PASSES passes is
left untouched.

Each pass is checked before it is kept: the exported model of the new text must equal the old
one except where the applied rules may change it (fix_check). A difference is a bug in a rule's
fix: nothing is written to that note, and a VT000 finding says which rule and which field.

Edits are applied to the file's own text, whatever its line ends (even mixed), so no byte
outside an edit changes; BOM and permission bits are kept, and the write is atomic (safe_write).
A file that is not clean UTF-8 (VT001, VT003) is never rewritten: its text is not its bytes.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from vault_tools.discover import NotePath
from vault_tools.edits import FixFailed, apply_edits, choose, normalise, raw_edits, wanted
from vault_tools.engine import INTERNAL_ERROR, lint_note
from vault_tools.findings import Finding, Severity
from vault_tools.fix_check import model_difference
from vault_tools.lintplan import LintPlan
from vault_tools.notepaths import display_path
from vault_tools.notes import LoadedNote, read_bytes
from vault_tools.parallel import ordered_map
from vault_tools.parse import parse_source
from vault_tools.rules import RULES
from vault_tools.safe_write import FileChangedError, rewrite_bytes
from vault_tools.source import BOM, SourceText, decode

MAX_PASSES = 10
FIX_FAILED = INTERNAL_ERROR  # a failed fix is a bug in a rule (or trouble with the disk)


@dataclass(frozen=True)
class FixRequest:
    plan: LintPlan
    unsafe: bool = False  # also apply fixes marked unsafe (--unsafe-fixes)
    write: bool = True  # False for --diff
    jobs: int = 1


@dataclass(frozen=True)
class NoteFix:
    """What fixing one note gave: the text before and after, and the fixes applied per code."""

    location: NotePath
    before: str = ""
    after: str = ""
    data: bytes = b""  # the file's bytes once fixed
    original: bytes = b""  # the bytes it was read from
    applied: Counter[str] = field(default_factory=Counter)
    failure: str | None = None

    @property
    def changed(self) -> bool:
        return self.failure is None and self.data != self.original

    @property
    def path(self) -> str:
        return display_path(self.location)

    def failure_finding(self) -> Finding:
        first = self.before.split("\n", 1)[0]
        return Finding(self.path, 1, 1, FIX_FAILED, f"not fixed: {self.failure}", "fix-failed",
                       Severity.ERROR, context=first)

    def diff(self) -> str:
        # `a/` and `b/` as git writes them, so `git apply` / `patch -p1` take the diff.
        old, new = (self.path, self.path) if self.path.startswith("/") else (
            f"a/{self.path}", f"b/{self.path}")
        lines = difflib.unified_diff(self.before.splitlines(keepends=True),
                                     self.after.splitlines(keepends=True), old, new)
        # difflib leaves a last line without its newline; say so the way `diff -u` does.
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                       for line in lines)


def _load(location: NotePath, source: SourceText, text: str) -> LoadedNote:
    current = SourceText(text, source.newline, source.bom)
    return LoadedNote(location, current, parse_source(current, location.rel))


def _check_pass(location: NotePath, source: SourceText, loaded: LoadedNote,
                chosen: Sequence[Finding], new_text: str) -> LoadedNote:
    """The note after the pass; FixFailed when the pass changes the model beyond what its
    rules may change, naming the rule whose fix does it on its own when there is one."""
    after = _load(location, source, new_text)
    edits = [edit for finding in chosen if finding.fix for edit in finding.fix.edits]
    codes = {finding.code for finding in chosen}
    old_text = loaded.source.text
    field = model_difference(loaded.note, after.note, codes, edits, old_text, new_text)
    if field is None:
        return after
    for code in sorted(codes):
        alone = [edit for f in chosen if f.code == code and f.fix for edit in f.fix.edits]
        alone_text = apply_edits(old_text, alone)
        alone_after = _load(location, source, alone_text).note
        culprit = model_difference(loaded.note, alone_after, {code}, alone, old_text,
                                   alone_text)
        if culprit is not None:
            raise FixFailed(f"the {code} ({RULES[code].name if code in RULES else code}) fix "
                            f"would also change `{culprit}` in the exported note; nothing was "
                            "written (a bug in the rule's fix: please report it)")
    raise FixFailed(f"the fixes of {_codes(chosen)} together would change `{field}` in the "
                    "exported note; nothing was written (please report it)")


def _apply(raw: str, loaded: LoadedNote, chosen: Sequence[Finding]) -> tuple[str, LoadedNote]:
    """One pass: the file's text with the chosen fixes, and the note parsed from it."""
    text = loaded.source.text
    edits = [edit for finding in chosen if finding.fix for edit in finding.fix.edits]
    new_text = apply_edits(text, edits)
    if new_text == text:
        raise FixFailed(f"the {_codes(chosen)} fix changes nothing, yet the finding stays (a "
                        "bug in the rule's fix: please report it)")
    after = _check_pass(loaded.location, loaded.source, loaded, chosen, new_text)
    raw = apply_edits(raw, raw_edits(raw, edits, loaded.source.newline))
    if normalise(raw) != new_text:  # e.g. a `\n` put right after a lone `\r`
        raise FixFailed("the fixed text cannot be written with the file's own line ends")
    return raw, after


def _codes(findings: Iterable[Finding]) -> str:
    return ", ".join(sorted({finding.code for finding in findings}))


def settle(location: NotePath, source: SourceText, raw: str, request: FixRequest
           ) -> tuple[str, Counter[str]]:
    """Fix `raw` (the file's text, BOM removed) pass after pass until no fix is left; the
    result and the fixes applied per code. FixFailed when a pass goes wrong or it never ends."""
    applied: Counter[str] = Counter()
    loaded = _load(location, source, normalise(raw))
    shown = display_path(location)
    for _ in range(MAX_PASSES):
        chosen = choose(lint_note(loaded, request.plan, shown), request.unsafe,
                        len(loaded.source.text))
        if not chosen:
            return raw, applied
        raw, loaded = _apply(raw, loaded, chosen)
        applied.update(finding.code for finding in chosen)
    raise FixFailed(f"the fixes did not settle after {MAX_PASSES} passes (still changing: "
                    f"{_codes(chosen)}); nothing was written (please report it)")


def fix_note(location: NotePath, request: FixRequest) -> NoteFix:
    """Fix one note in memory (nothing is written here)."""
    try:
        original = read_bytes(location.file)
    except OSError as exc:
        return NoteFix(location, failure=f"cannot read the file: {exc.strerror or exc}")
    source = decode(original)
    if source.problems:
        return NoteFix(location, source.text, source.text, original, original,
                       failure="the file is not clean UTF-8 text (see "
                               f"{source.problems[0].code}); rewriting it would lose bytes")
    raw = original.decode("utf-8")
    try:
        fixed, applied = settle(location, source, raw[len(BOM):] if source.bom else raw,
                                request)
    except FixFailed as exc:
        return NoteFix(location, source.text, source.text, original, original,
                       failure=str(exc))
    data = ((BOM if source.bom else "") + fixed).encode("utf-8")
    return NoteFix(location, source.text, normalise(fixed), data, original, applied)


_request: FixRequest | None = None


def _start_worker(request: FixRequest) -> None:
    global _request
    _request = request


def _fix_in_worker(location: NotePath) -> NoteFix:
    assert _request is not None, "ordered_map runs _start_worker first"
    return fix_note(location, _request)


def _write(fixed: NoteFix) -> NoteFix:
    try:
        rewrite_bytes(Path(fixed.location.file), fixed.data, fixed.original)
    except FileChangedError:
        return replace(fixed, failure="the file changed while it was being fixed; run again")
    except OSError as exc:
        return replace(fixed, failure=f"cannot write the file: {exc.strerror or exc}; "
                                      "it is unchanged")
    return fixed


@dataclass(frozen=True)
class FixOutcome:
    """Every note that was changed (or would be, with --diff) or could not be fixed."""

    notes: tuple[NoteFix, ...]
    write: bool

    @property
    def changed(self) -> list[NoteFix]:
        return [note for note in self.notes if note.changed]

    @property
    def failed(self) -> list[NoteFix]:
        return [note for note in self.notes if note.failure is not None]

    @property
    def diff(self) -> str:
        return "".join(note.diff() for note in self.changed)

    def summary(self) -> str:
        fixes = sum(sum(note.applied.values()) for note in self.changed)
        verb = "fixed" if self.write else "would fix"
        line = (f"vault-tools: {verb} {fixes} finding{'s' * (fixes != 1)} in "
                f"{len(self.changed)} note{'s' * (len(self.changed) != 1)}"
                if fixes else "vault-tools: nothing to fix")
        if self.failed and self.write:
            line += f"; {len(self.failed)} not fixed (see the {FIX_FAILED} findings)"
        # --diff shows no findings: say here which notes a --fix would leave alone, and why.
        notes = [] if self.write else [f"vault-tools: {note.path}: not fixed: {note.failure}"
                                       for note in self.failed]
        return "\n".join([line, *notes]) + "\n"

    def remaining(self, findings: Sequence[Finding]) -> list[Finding]:
        """`findings` (of a lint after fixing) as the report should show them: a note that
        could not be fixed has no fixable finding, and one VT000 finding saying why."""
        failed = {note.path: note for note in self.failed}
        kept = [replace(f, fix=None) if f.path in failed else f for f in findings]
        return sorted([*kept, *(note.failure_finding() for note in failed.values())])


def fix_notes(locations: Sequence[NotePath], findings: Sequence[Finding],
              request: FixRequest) -> FixOutcome:
    """Fix the notes among `locations` that have a wanted fix in `findings` (a lint of them)."""
    candidates = {f.path for f in findings if wanted(f, request.unsafe)}
    todo = [location for location in locations if display_path(location) in candidates]
    notes: list[NoteFix] = []
    for fixed in ordered_map(_fix_in_worker, todo, request.jobs, _start_worker, (request,)):
        if fixed.changed and request.write:
            fixed = _write(fixed)
        if fixed.changed or fixed.failure is not None:
            notes.append(fixed)
    return FixOutcome(tuple(notes), request.write)
