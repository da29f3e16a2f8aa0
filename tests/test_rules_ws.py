"""WS rules: note text in, (line, col, code) out; fixes applied to the text; the documented
examples; the planted faults of the sample vault; and the counts on the real vaults."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rule_util import Position, context, example, fix_all, positions, violations

from vault_tools.discover import iter_note_paths
from vault_tools.findings import Severity
from vault_tools.notes import load
from vault_tools.parse import parse_note
from vault_tools.rules import (
    RULES,
    WS_RULES,
    NoteContext,
    ws001_trailing_whitespace,
    ws002_missing_final_newline,
    ws003_multiple_blank_lines,
)
from vault_tools.source import decode


def test_ws_family_registered_as_safe_fixes() -> None:
    assert {m.CODE: RULES[m.CODE].severity for m in WS_RULES} == dict.fromkeys(
        ("WS001", "WS002", "WS003"), Severity.WARNING)
    assert {m.CODE: RULES[m.CODE].fixable for m in WS_RULES} == dict.fromkeys(
        ("WS001", "WS002", "WS003"), "safe")
    assert RULES["WS003"].options == {"max-blank-lines": 1}


@pytest.mark.parametrize("module", WS_RULES, ids=lambda m: m.CODE)
def test_documented_examples(module: ModuleType) -> None:
    doc = module.__doc__ or ""
    assert positions(module, example(doc, "Passes:")) == []
    assert positions(module, example(doc, "Fails:")) != []


# (text, the lines whose trailing whitespace is flagged, those of them the fix leaves alone)
WS001_CASES: list[tuple[str, list[int], list[int]]] = [
    ("a \nb\t\n", [1, 2], []),
    ("a  \nb\n", [1], [1]),  # a hard line break
    ("a  \n\nb  \nc\n\nd\te  \n", [1, 3, 6], [3]),  # the last line of a paragraph breaks none
    ("```\ncode \n```\ntext \n", [2, 4], [2]),
    ("---\ntags:\n- \n---\ntext \n", [3, 5], []),
    ("---\nnote: |\n  line  \n  more\n---\n", [3], [3]),  # a YAML block scalar
    ("---\nnote: >-\n  line \n\n  more \nnext: x \n---\n", [3, 5, 6], [3, 5]),
    ("---\nitems:\n  - |\n    x \n  - y \n---\n", [4, 5], [4]),
    ("---\na: {b: |\n  x }\n---\n", [], []),  # no block scalar in flow style
    ("---\na: x|y \nb: '>' \n---\n", [2, 3], []),  # `|` and `>` that start none
    ("---\na: |\n  x\n---\ntext \n", [5], []),
    ("---\na: |\n  x \n---\npara  \ngraph\n\n    code \n", [3, 5, 8], [3, 5, 8]),
    ("---\nbroken: [\nb: | \n---\ntext \n", [3, 5], []),  # YAML that does not compose
]


@pytest.mark.parametrize(("text", "flagged", "kept"), WS001_CASES)
def test_ws001_trailing_whitespace(text: str, flagged: list[int], kept: list[int]) -> None:
    found = violations(ws001_trailing_whitespace, text)
    assert [v.line for v in found] == flagged
    assert [v.line for v in found if v.fix is None] == kept
    lines = text.split("\n")
    assert fix_all(ws001_trailing_whitespace, text).split("\n") == [
        line if number in kept else line.rstrip(" \t")
        for number, line in enumerate(lines, start=1)]


def test_ws_cheap_tests_skip_only_notes_without_findings(
        corpora_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [text for text, _, _ in WS001_CASES] + [text for text, _, _ in WS003_CASES]
    texts += ["a\n" + "\n" * 18 + "b\n", " \n" * 18 + "a\n", "a\n" + " \n" * 17 + "b\n"]
    contexts = [context(text) for text in texts]
    contexts += [NoteContext(loaded.note, loaded.source)
                 for loaded in map(load, iter_note_paths([corpora_dir]))]
    runs = [(ws001_trailing_whitespace, {}), *((ws003_multiple_blank_lines,
             {"max-blank-lines": allowed}) for allowed in (0, 1, 2, 3, 16, 17))]
    with_tests = [[list(module.check(ctx, options)) for ctx in contexts]
                  for module, options in runs]
    monkeypatch.setattr(ws001_trailing_whitespace, "_may_hold_block_scalar", lambda raw: True)
    monkeypatch.setattr(ws003_multiple_blank_lines, "_may_fire", lambda ctx, allowed: True)
    assert [[list(module.check(ctx, options)) for ctx in contexts]
            for module, options in runs] == with_tests


@pytest.mark.parametrize(("text", "expected", "after"), [
    ("a", [(1, 2, "WS002")], "a\n"),
    ("a\nbc", [(2, 3, "WS002")], "a\nbc\n"),
    ("a\n\n  ", [(3, 3, "WS002")], "a\n\n  \n"),
    ("a\n", [], "a\n"),
    ("", [], ""),  # an empty file has no last line to end
])
def test_ws002_missing_final_newline(text: str, expected: list[Position], after: str) -> None:
    assert positions(ws002_missing_final_newline, text) == expected
    assert fix_all(ws002_missing_final_newline, text) == after


def test_ws002_fix_keeps_crlf_files_crlf() -> None:
    source = decode(b"a\r\nb")
    ctx = NoteContext(parse_note("a\r\nb"), source)
    (violation,) = ws002_missing_final_newline.check(ctx, {})
    assert violation.fix is not None
    (edit,) = violation.fix.edits
    text = source.text[:edit.start] + edit.text + source.text[edit.end:]
    assert source.encode(text) == b"a\r\nb\r\n"


WS003_CASES: list[tuple[str, list[Position], str | None]] = [
    ("a\n\n\nb\n", [(3, 1, "WS003")], "a\n\nb\n"),  # at the first extra blank line
    ("a\n\n\n\nb\n", [(3, 1, "WS003")], "a\n\nb\n"),  # one finding per run
    ("a\n\n \t\nb\n", [(3, 1, "WS003")], "a\n\nb\n"),  # whitespace-only lines are blank
    ("a\n\n\n", [(3, 1, "WS003")], "a\n\n"),  # at the end of the file
    ("a\n\n\n  ", [(3, 1, "WS003")], "a\n\n"),  # ... with no final newline
    ("\n\n\na\n", [(2, 1, "WS003")], "\na\n"),
    ("a\n\nb\n\nc\n", [], "a\n\nb\n\nc\n"),
    ("```\na\n\n\n\nb\n```\n", [], None),  # blank lines in code are code
    ("    a\n\n\n    b\n", [], None),  # indented code too
    ("- a\n\n      code\n\n\n      more\n", [], None),  # indented code in a list item
    ("$$\nx\n\n\ny\n$$\n", [], None),
    ("<pre>\na\n\n\nb\n</pre>\n", [], None),
    ("---\na: |\n  x\n\n\n  y\n---\ntext\n", [], None),  # a YAML block scalar keeps them
    ("```\ncode\n```\n\n\ntext\n", [(5, 1, "WS003")], "```\ncode\n```\n\ntext\n"),
    ("%%\na\n\n\nb\n%%\n", [(4, 1, "WS003")], "%%\na\n\nb\n%%\n"),  # hidden, still blank
    ("\t\n \na\n", [(2, 1, "WS003")], "\t\na\n"),  # at the start, whitespace only
    ("a\n \t", [], None),
    ("a\n\n\t", [(3, 1, "WS003")], "a\n\n"),
]


@pytest.mark.parametrize(("text", "expected", "after"), WS003_CASES)
def test_ws003_multiple_blank_lines(text: str, expected: list[Position], after: str | None
                                    ) -> None:
    assert positions(ws003_multiple_blank_lines, text) == expected
    assert fix_all(ws003_multiple_blank_lines, text) == (text if after is None else after)


def test_ws003_max_blank_lines_option() -> None:
    text = "a\n\n\nb\n\n\n\nc\n"
    assert positions(ws003_multiple_blank_lines, text, **{"max-blank-lines": 2}) == [
        (7, 1, "WS003")]
    assert fix_all(ws003_multiple_blank_lines, text, **{"max-blank-lines": 2}) == (
        "a\n\n\nb\n\n\nc\n")
    assert positions(ws003_multiple_blank_lines, "a\n\nb\n", **{"max-blank-lines": 0}) == [
        (2, 1, "WS003")]


def test_ws003_fix_is_stable() -> None:
    once = fix_all(ws003_multiple_blank_lines, "a\n\n\n\nb\n\n\nc\n\n\n")
    assert once == "a\n\nb\n\nc\n\n"
    assert violations(ws003_multiple_blank_lines, once) == []


def test_sample_vault_planted_faults(sample_vault: Path) -> None:
    found: dict[str, list[Position]] = {}
    for location in iter_note_paths([sample_vault]):
        loaded = load(location)
        ctx = NoteContext(loaded.note, loaded.source)
        for module in WS_RULES:
            for v in module.check(ctx, RULES[module.CODE].options):
                found.setdefault(location.rel, []).append((v.line, v.col, module.CODE))
    assert found == {"Inbox/Needs work.md": [(25, 60, "WS001"), (27, 1, "WS003")]}


# Every finding on the real vaults read against the note: WS002 counts files whose last line
# has no newline; WS003 the runs of 2-3 blank lines (kepano's Movies.md and Blade Runner.md,
# the export test data's embeds.md outputs). WS001 is counted as well, for completeness.
CORPUS_COUNTS = {
    "caro401-notes": {"WS001": 2},
    "kepano-obsidian": {"WS001": 30, "WS002": 43, "WS003": 3},
    "obsidian-export-testdata": {"WS001": 6, "WS003": 2},
    "obsidian-tasks-docs": {"WS001": 6},
    "obsidiantools-vault-stub": {"WS002": 4},
}


@pytest.mark.parametrize("corpus", sorted(CORPUS_COUNTS))
def test_ws_findings_on_real_vaults(corpora_dir: Path, corpus: str) -> None:
    counts: Counter[str] = Counter()
    for location in iter_note_paths([corpora_dir / corpus]):
        loaded = load(location)
        ctx = NoteContext(loaded.note, loaded.source)
        for module in WS_RULES:
            counts[module.CODE] += sum(1 for _ in module.check(ctx, RULES[module.CODE].options))
    assert dict(+counts) == CORPUS_COUNTS[corpus]
