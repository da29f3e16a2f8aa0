"""HD rules: note text in, (line, col, code) out; the documented examples; the planted faults
of the sample vault; and the counts on the real vaults, which are the noise check."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rule_util import Position, example, positions

from vault_tools.discover import iter_note_paths
from vault_tools.findings import Severity
from vault_tools.notes import load
from vault_tools.rules import (
    HD_RULES,
    RULES,
    NoteContext,
    hd001_heading_increment,
    hd002_duplicate_heading,
    hd003_empty_heading,
    hd004_empty_section,
)


def lint_corpus(root: Path, modules: tuple[ModuleType, ...]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for location in iter_note_paths([root]):
        loaded = load(location)
        ctx = NoteContext(loaded.note, loaded.source)
        for module in modules:
            counts[module.CODE] += sum(1 for _ in module.check(ctx, RULES[module.CODE].options))
    return +counts


def test_hd_family_registered_as_warnings() -> None:
    assert {m.CODE: RULES[m.CODE].severity for m in HD_RULES} == {
        "HD001": Severity.WARNING, "HD002": Severity.WARNING, "HD003": Severity.WARNING,
        "HD004": Severity.WARNING}
    assert {m.CODE: RULES[m.CODE].fixable for m in HD_RULES if RULES[m.CODE].fixable} == {
        "HD001": "unsafe"}


@pytest.mark.parametrize("module", HD_RULES, ids=lambda m: m.CODE)
def test_documented_examples(module: ModuleType) -> None:
    doc = module.__doc__ or ""
    assert positions(module, example(doc, "Passes:")) == []
    assert positions(module, example(doc, "Fails:")) != []


@pytest.mark.parametrize(("text", "expected"), [
    ("# A\n## B\n### C\n", []),
    ("## A\n#### B\n", [(2, 1, "HD001")]),  # the first heading may be any level
    ("# A\n### B\n#### C\n###### D\n# E\n### F\n", [(2, 1, "HD001"), (4, 1, "HD001"),
                                                       (6, 1, "HD001")]),  # at every depth
    ("### A\n# B\n### C\n", [(3, 1, "HD001")]),  # each top-level heading starts afresh
    ("# A\n## B\n#### C\n## D\n#### E\n", [(3, 1, "HD001"), (5, 1, "HD001")]),
])
def test_hd001_heading_increment(text: str, expected: list[Position]) -> None:
    assert positions(hd001_heading_increment, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("# A\n## B\n## C\n", []),
    ("# A\n## B\ntext\n## B\n", [(4, 4, "HD002")]),
    ("# A\n# A\n", [(2, 3, "HD002")]),  # top-level headings are siblings too
    ("# A\n## B\n## C\n### B\n", []),  # same text, different parents
    ("# A\n## Notes\n# B\n## Notes\n", []),  # `## Notes` under each day
    ("# A\n### B\n## B\n", [(3, 4, "HD002")]),  # a skipped level still has the same parent
    ("## B\n## b\n", []),  # case differs: two anchors
    ("## B  C\n## B C\n", [(2, 4, "HD002")]),  # spacing does not make a different heading
    ("##\n##\n", []),  # empty headings are HD003's
    ("B\n===\n\nB\n===\n", [(4, 1, "HD002")]),  # setext headings at their text
    ("## B\n## B\n## B\n", [(2, 4, "HD002"), (3, 4, "HD002")]),
    ("# A\n## B\n### C\n### C\n## D\n### C\n#### E\n#### E\n", [(4, 5, "HD002"),
                                                                (8, 6, "HD002")]),  # deep
])
def test_hd002_duplicate_siblings(text: str, expected: list[Position]) -> None:
    assert positions(hd002_duplicate_heading, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("##\n", [(1, 1, "HD003")]),
    ("# A\n\n##   \n\ntext\n", [(3, 1, "HD003")]),
    ("## ##\n", [(1, 1, "HD003")]),  # a closing sequence is not text
    ("> ##\n", [(1, 3, "HD003")]),
    ("#tag at the start of a line\n", []),  # a tag, not a heading
    ("#\n", [(1, 1, "HD003")]),
    ("## A\n", []),
    ("```\n##\n```\n", []),
])
def test_hd003_empty_heading(text: str, expected: list[Position]) -> None:
    assert positions(hd003_empty_heading, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("## A\n## B\ntext\n", [(1, 4, "HD004")]),
    ("## A\n\n\n# B\ntext\n", [(1, 4, "HD004")]),
    ("# A\ntext\n## B\n", [(3, 4, "HD004")]),  # the last heading of the note
    ("# A\n## B\ntext\n", []),  # a sub-heading counts
    ("## A\n%% fill in later %%\n## B\ntext\n", []),  # a comment under it counts
    ("## A\n%%\nlong\ncomment\n%%\n## B\ntext\n", []),
    ("## A %% later %%\n## B\ntext\n", [(1, 4, "HD004")]),  # on the heading line: not under it
    ("## A\n```\ncode\n```\n## B\ntext\n", []),
    ("## A\n> [!note] callout\n## B\ntext\n", []),
    ("## A\n| a | b |\n|---|---|\n| 1 | 2 |\n## B\ntext\n", []),
    ("## A\n- item\n", []),
    ("## A\n---\n## B\ntext\n", []),  # a thematic break is something
    ("##\n## B\ntext\n", []),  # no text at all: HD003 reports it
])
def test_hd004_empty_section(text: str, expected: list[Position]) -> None:
    assert positions(hd004_empty_section, text) == expected


def test_sample_vault_planted_faults(sample_vault: Path) -> None:
    found: dict[str, list[Position]] = {}
    for location in iter_note_paths([sample_vault]):
        loaded = load(location)
        ctx = NoteContext(loaded.note, loaded.source)
        for module in HD_RULES:
            for v in module.check(ctx, RULES[module.CODE].options):
                found.setdefault(location.rel, []).append((v.line, v.col, module.CODE))
    assert {rel: sorted(hits) for rel, hits in found.items()} == {
        "Inbox/Needs work.md": [(9, 1, "HD001"), (19, 4, "HD002"), (23, 1, "HD003"),
                                (30, 4, "HD004")]}


# Every finding on the real vaults read against the note: each is a real empty or duplicated
# heading (unfilled `### Further Reading` / `### Sources` placeholders in caro401-notes, the
# Templater templates of obsidian-tasks-docs, a deliberate duplicate in the export test data).
CORPUS_COUNTS = {
    "caro401-notes": {"HD004": 9},
    "kepano-obsidian": {},
    "obsidian-export-testdata": {"HD002": 1},
    "obsidian-tasks-docs": {"HD004": 2},
    "obsidiantools-vault-stub": {},
}


@pytest.mark.parametrize("corpus", sorted(CORPUS_COUNTS))
def test_hd_findings_on_real_vaults(corpora_dir: Path, corpus: str) -> None:
    modules = (hd002_duplicate_heading, hd003_empty_heading, hd004_empty_section)
    assert dict(lint_corpus(corpora_dir / corpus, modules)) == CORPUS_COUNTS[corpus]
