"""LS rules: note text in, (line, col, code) out; fixes applied to the text; the documented
examples; the planted fault of the sample vault; and the counts on the real vaults."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rule_util import Position, context, example, fix_all, fixed, positions, violations

from vault_tools.discover import iter_note_paths
from vault_tools.findings import Severity
from vault_tools.notes import load
from vault_tools.parse import parse_note
from vault_tools.rules import (
    LS_RULES,
    RULES,
    NoteContext,
    ls001_mixed_bullet_markers,
    ls002_list_indentation,
)
from vault_tools.rules import blocks as rule_blocks
from vault_tools.source import decode


def test_ls_family_registered() -> None:
    assert {m.CODE: RULES[m.CODE].severity for m in LS_RULES} == {
        "LS001": Severity.WARNING, "LS002": Severity.WARNING}
    assert {m.CODE: RULES[m.CODE].fixable for m in LS_RULES} == {"LS001": "safe", "LS002": None}


@pytest.mark.parametrize("module", LS_RULES, ids=lambda m: m.CODE)
def test_documented_examples(module: ModuleType) -> None:
    doc = module.__doc__ or ""
    assert positions(module, example(doc, "Passes:")) == []
    assert positions(module, example(doc, "Fails:")) != []


@pytest.mark.parametrize(("text", "expected"), [
    ("- a\n* b\n- c\n", [(2, 1, "LS001")]),  # reported where it changes, not where it returns
    ("- a\n- b\n", []),
    ("* a\n* b\n\n+ c\n", [(4, 1, "LS001")]),  # blank lines do not end the list
    ("- a\n\ntext\n\n* b\n", []),  # a paragraph between: two lists
    ("- a\n  - x\n  * y\n", [(3, 3, "LS001")]),  # nested list
    ("- a\n  * x\n- b\n  - y\n", []),  # each nested list is consistent on its own
    ("> - a\n> * b\n", [(2, 3, "LS001")]),
    ("> [!note] One\n> - a\n\n> [!tip] Two\n> * b\n", []),  # consecutive callouts: two lists
    ("```\n- a\n* b\n```\n", []),
    ("1. a\n2) b\n", []),  # ordered lists are not bullets
    ("- a\n%% note %%\n* b\n", [(3, 1, "LS001")]),  # a hidden comment is not a block
    ("- a\n * b\n", [(2, 2, "LS001")]),  # one space: still the same level
    ("- a\n\t* b\n", []),  # a tab nests it under `a`: its own list
])
def test_ls001_mixed_markers(text: str, expected: list[Position]) -> None:
    assert positions(ls001_mixed_bullet_markers, text) == expected


def test_ls001_no_fix_that_would_make_a_thematic_break() -> None:
    (violation,) = violations(ls001_mixed_bullet_markers, "- a\n* ---\n")
    assert (violation.line, violation.col, violation.fix) == (2, 1, None)


@pytest.mark.parametrize(("text", "after"), [
    ("- a\n* b\n- c\n", "- a\n- b\n- c\n"),
    ("- a\n* b\n* c\n", "- a\n- b\n- c\n"),  # one finding, every item of the changed list
    ("* a\n\n+ [ ] task\n", "* a\n\n* [ ] task\n"),
    ("> - a\n> * b\n", "> - a\n> - b\n"),
])
def test_ls001_fix_uses_the_first_marker(text: str, after: str) -> None:
    (violation,) = violations(ls001_mixed_bullet_markers, text)
    assert violation.fix is not None and violation.fix.safe
    assert fixed(text, violation) == after
    assert violations(ls001_mixed_bullet_markers, after) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("- a\n  - b\n   - c\n", [(3, 4, "LS002")]),  # siblings at 2 and 3 spaces
    ("- a\n  - b\n  - c\n", []),
    ("- a\n\t- b\n\t- c\n", []),  # tabs throughout (Obsidian's default)
    ("- a\n\t- b\n- c\n    - d\n", [(4, 5, "LS002")]),  # tabs, then spaces in the same list
    ("- a\n\t- b\n\ntext\n\n- c\n    - d\n", []),  # two lists, each consistent
    ("- a\n - b\n", [(2, 2, "LS002")]),  # top-level siblings at 0 and 1
    ("> - a\n>   - b\n>   - c\n", []),  # the space after `>` belongs to the quote
    ("> - a\n>\t- b\n>\t- c\n", []),
    ("1. a\n   - b\n   - c\n", []),  # bullets under an ordered item
    ("- a\n  1. b\n  10. c\n", []),  # ordered siblings are not compared
    ("```\n- a\n  - b\n   - c\n```\n", []),
])
def test_ls002_inconsistent_indentation(text: str, expected: list[Position]) -> None:
    assert positions(ls002_list_indentation, text) == expected


def test_sample_vault_planted_faults(sample_vault: Path) -> None:
    found: dict[str, list[Position]] = {}
    for location in iter_note_paths([sample_vault]):
        loaded = load(location)
        ctx = NoteContext(loaded.note, loaded.source)
        for module in LS_RULES:
            for v in module.check(ctx, RULES[module.CODE].options):
                found.setdefault(location.rel, []).append((v.line, v.col, module.CODE))
    assert found == {"Inbox/Needs work.md": [(12, 1, "LS001")]}


@pytest.mark.parametrize("corpus", ["caro401-notes", "kepano-obsidian",
                                    "obsidian-export-testdata", "obsidian-tasks-docs",
                                    "obsidiantools-vault-stub"])
def test_ls_silent_on_real_vaults(corpora_dir: Path, corpus: str) -> None:
    # None of the five vaults mixes markers or indentation within a list (checked by hand:
    # no tab-indented items at all, and every space-indented list is consistent).
    counts: Counter[str] = Counter()
    for location in iter_note_paths([corpora_dir / corpus]):
        loaded = load(location)
        ctx = NoteContext(loaded.note, loaded.source)
        for module in LS_RULES:
            counts[module.CODE] += sum(1 for _ in module.check(ctx, RULES[module.CODE].options))
    assert +counts == Counter()


# Lines between two lists that look like a separating block but leave them adjacent (LS001's
# cheap test must not take them for one), and real separators, which it may.
LS001_SEPARATOR_CASES: list[tuple[str, list[Position]]] = [
    ("- a\n\n[x]: /url\n\n* b\n", [(5, 1, "LS001")]),  # a link reference leaves no token
    ("- a\n\n%% hidden %%\n\n* b\n", [(5, 1, "LS001")]),  # blanked before parsing
    ("- a\n\n%%\nhidden\n\nmore\n%%\n\n* b\n", [(9, 1, "LS001")]),  # ... over lines
    ("- a\nlazy\n* b\n", [(3, 1, "LS001")]),  # a lazy line of a's paragraph
    ("- a\n\n  more\n\n* b\n", [(5, 1, "LS001")]),  # indented: still a's
    ("- a\n\n    code\n\n* b\n", [(5, 1, "LS001")]),
    ("- a\n\n  $$ x\n\nText\n  $$\n* b\n", [(7, 1, "LS001")]),  # math swallows `Text`
    ("$$\nx\n$$\n\n- a\n\nText\n\n* b\n\n$$\ny\n$$\n", []),  # math elsewhere
    ("- x\n  - a\n\n  * b\n", [(4, 3, "LS001")]),
    ("1. a\n\n- b\n\n* c\n", [(5, 1, "LS001")]),
    ("- a\n\nText\n\n* b\n", []),
    ("- a\n\n---\n\n* b\n", []),
    ("- a\n\n> q\n\n* b\n", []),
    ("- a\n\n<!-- c -->\n\n* b\n", []),
    ("- a\n\n[^1]: note\n\n* b\n", []),
    ("> - a\n\n> * b\n", []),
]


@pytest.mark.parametrize(("text", "expected"), LS001_SEPARATOR_CASES)
def test_ls001_lines_between_lists(text: str, expected: list[Position]) -> None:
    assert positions(ls001_mixed_bullet_markers, text) == expected


# What makes each rule's cheap test let every note through to the whole note's tokens (LS001:
# one candidate from the first line to the last, whose parts make the whole note).
OPEN_GATES = {"LS001": ("_candidates", lambda ctx: [(1, len(ctx.lines))]),
              "LS002": ("_may_fire", lambda ctx: True)}


@pytest.mark.parametrize("module", LS_RULES, ids=lambda m: m.CODE)
def test_cheap_tests_skip_only_notes_without_findings(
        corpora_dir: Path, monkeypatch: pytest.MonkeyPatch, module: ModuleType) -> None:
    texts = ["- a\n* b\n", "- a\n  - b\n   - c\n", "- a\n\t- b\n- c\n    - d\n", "- a\n - b\n",
             *(text for text, _ in LS001_SEPARATOR_CASES)]
    contexts = [NoteContext(parse_note(text), decode(text.encode())) for text in texts]
    contexts += [NoteContext(loaded.note, loaded.source)
                 for loaded in map(load, iter_note_paths([corpora_dir]))]
    options = RULES[module.CODE].options
    with_test = [list(module.check(ctx, options)) for ctx in contexts]
    monkeypatch.setattr(module, *OPEN_GATES[module.CODE])
    assert [list(module.check(ctx, options)) for ctx in contexts] == with_test
    assert any(with_test[:len(texts)])  # some hand-written note fires


# Candidates whose chunks (vault_tools/chunks.py's iter_chunks) a window holding only those
# would misread; LS001 tokenizes whole parts (rules/blocks.py) around them. Findings as
# (line, col, marker and the rest of the message after "bullet marker "), and the fixed text.
LS001_ACROSS_CHUNKS: list[tuple[str, list[tuple[int, int, str]], str]] = [
    # The changed list goes on past the chunk of the candidate (b, c): one finding for both.
    ("- a\n\n* b\n\n* c\n", [(3, 1, "'*' (and 1 more) in a list that uses '-'")],
     "- a\n\n- b\n\n- c\n"),
    # One list over the candidates (z, a) and (a3, b) and the chunk of a2 between them.
    ("* z\n\n- a\n\n- a2\n\n- a3\n\n* b\n",
     [(3, 1, "'-' (and 2 more) in a list that uses '*'")], "* z\n\n* a\n\n* a2\n\n* a3\n\n* b\n"),
    # The run began before the chunk of (a3, b): b changes `+`, not `-`.
    ("+ z\n\n- a\n- a2\n\n- a3\n* b\n",
     [(3, 1, "'-' (and 2 more) in a list that uses '+'"), (7, 1, "'*' in a list that uses '+'")],
     "+ z\n\n+ a\n+ a2\n\n+ a3\n+ b\n"),
    # A link reference definition leaves no token: the run goes on past its chunk.
    ("* z\n\n- a\n\n[x]: /u\n\n- b\n\n+ c\n",
     [(3, 1, "'-' in a list that uses '*'"), (7, 1, "'-' in a list that uses '*'"),
      (9, 1, "'+' in a list that uses '*'")], "* z\n\n* a\n\n[x]: /u\n\n* b\n\n* c\n"),
    # `<!-->` ends on its line, so the fence after it runs to line 9: `text` starts no chunk.
    ("- a\n\n<!-->\n```\n\n-->\n\ntext\n```\n- b\n* c\n", [(11, 1, "'*' in a list that uses '-'")],
     "- a\n\n<!-->\n```\n\n-->\n\ntext\n```\n- b\n- c\n"),
]


@pytest.mark.parametrize(("text", "expected", "after"), LS001_ACROSS_CHUNKS)
def test_ls001_lists_across_chunks(text: str, expected: list[tuple[int, int, str]],
                                   after: str) -> None:
    found = violations(ls001_mixed_bullet_markers, text)
    assert [(v.line, v.col, v.message) for v in found] == [
        (line, col, f"bullet marker {rest}") for line, col, rest in expected]
    assert found == list(ls001_mixed_bullet_markers.check(context(text), {}, whole=True))
    assert fix_all(ls001_mixed_bullet_markers, text) == after


def test_ls001_parts_go_on_over_chunks_that_start_with_an_item(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # With a part for every chunk, the first two cases come out wrong.
    monkeypatch.setattr(rule_blocks, "_MAY_CONTINUE", frozenset())
    for text, expected, _ in LS001_ACROSS_CHUNKS[:2]:
        found = violations(ls001_mixed_bullet_markers, text)
        assert [(v.line, v.col, v.message) for v in found] != [
            (line, col, f"bullet marker {rest}") for line, col, rest in expected]
