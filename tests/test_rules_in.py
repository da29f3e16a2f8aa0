"""IN rules: note text in, (line, col, code) out; Obsidian syntax used correctly never fires;
the documented examples; the planted faults of the sample vault; and the counts on the real
vaults, which are the noise check."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rule_util import Position, context, example, positions, violations

from vault_tools.discover import iter_note_paths
from vault_tools.findings import Severity
from vault_tools.notes import load
from vault_tools.rules import (
    IN_RULES,
    RULES,
    NoteContext,
    in001_unclosed_highlight,
    in002_empty_highlight,
    in003_unclosed_comment,
    in004_unclosed_link,
    in005_numeric_tag,
)


def test_in_family_registered() -> None:
    assert {m.CODE: RULES[m.CODE].severity for m in IN_RULES} == {
        "IN001": Severity.WARNING, "IN002": Severity.WARNING, "IN003": Severity.WARNING,
        "IN004": Severity.WARNING, "IN005": Severity.INFO}
    assert not any(RULES[m.CODE].fixable for m in IN_RULES)


@pytest.mark.parametrize("module", IN_RULES, ids=lambda m: m.CODE)
def test_documented_examples(module: ModuleType) -> None:
    doc = module.__doc__ or ""
    assert positions(module, example(doc, "Passes:")) == []
    assert positions(module, example(doc, "Fails:")) != []


OBSIDIAN_USED_CORRECTLY = """\
---
tags: [a]
---
#tag at the start of a line, and a #nested/tag in the text.

> [!note] A callout
> With ==a highlight== and [[a link#Heading|alias]].

> [!tip]- Another callout right after
> - a list in it

%% a comment %% and %% another
over two lines %%

==A highlight
over two lines== in one paragraph, and ![[an embed.png]] and [[Note#^block]].

| a | [[Table\\|alias]] | ==cell== |
|---|---|---|
| `==` | `[[` | $x == y$ |

A line ending in a block id ^block-1

```js
if (a == b && c !== d) { x = "[[" + "#123"; }
%% not a comment
```

Math: $$a == b$$ and an escaped \\==not a highlight and \\#123.
Heading links [[Note#123]], [Issue #12](https://example.com/#12), https://example.com/#12 and
issue#12 are not tags. A setext heading:

Title
====
"""


@pytest.mark.parametrize("module", IN_RULES, ids=lambda m: m.CODE)
def test_obsidian_syntax_used_correctly_passes(module: ModuleType) -> None:
    assert positions(module, OBSIDIAN_USED_CORRECTLY) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("After. ==Lots of travel\n", [(1, 8, "IN001")]),
    ("Lots of travel== left\n", [(1, 15, "IN001")]),  # a closer without an opener
    ("==a== and ==b\n", [(1, 11, "IN001")]),
    ("==a\n\nb==\n", [(1, 1, "IN001"), (3, 2, "IN001")]),  # a blank line ends the paragraph
    ("# ==a\nb==\n", [(1, 3, "IN001"), (2, 2, "IN001")]),  # a heading ends it too
    ("- ==a\n- b==\n", [(1, 3, "IN001"), (2, 4, "IN001")]),  # and list items
    ("> ==quoted\n", [(1, 3, "IN001")]),
    ("if a == b then\n", []),  # spaced on both sides: not a delimiter
    ("`==x` and [[a==b]] and https://x.org/?q==a\n", []),
    ("```\n==x\n```\n", []),
    ("%% ==x %%\n", []),
    ("x ===y\n", []),  # three are not two
])
def test_in001_unclosed_highlight(text: str, expected: list[Position]) -> None:
    assert positions(in001_unclosed_highlight, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("text ==== text\n", [(1, 6, "IN002")]),
    ("- here ====\n", [(1, 8, "IN002")]),
    ("====\nnot an underline\n", []),  # a line of only `====` reads as one
    ("Title\n====\n", []),  # setext heading underline
    ("text ===== text\n", []),
    ("a====b and <==== and ====>\n", []),
    ("`text ==== text`\n", []),
    ("```\ntext ==== text\n```\n", []),
    ("| a ==== b |\n|---|\n", [(1, 5, "IN002")]),
])
def test_in002_empty_highlight(text: str, expected: list[Position]) -> None:
    assert positions(in002_empty_highlight, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("%% ask Lan\nQuota-driven.\n", [(1, 1, "IN003")]),
    ("text %% a %% then %% b\n", [(1, 19, "IN003")]),
    ("%% a %%\n", []),
    ("`%%` and\n```\n%%\n```\n", []),
])
def test_in003_unclosed_comment(text: str, expected: list[Position]) -> None:
    assert positions(in003_unclosed_comment, text) == expected


def test_in003_points_at_the_stray_percent_signs_above() -> None:
    # `%%` pair in order: line 1 opens, line 3's first closes, line 3's second never closes.
    (violation,) = violations(in003_unclosed_comment, "%%\ntext\n%% note %%\nrest\n")
    assert (violation.line, violation.col) == (3, 9)
    assert "line 1" in violation.message


@pytest.mark.parametrize(("text", "expected"), [
    ("See [[Skills for the list.\n", [(1, 5, "IN004")]),
    ("![[Partial embed\n", [(1, 2, "IN004")]),
    ("[[a]] then [[b\n", [(1, 12, "IN004")]),
    ("[[a [[b]]\n", [(1, 1, "IN004")]),  # Obsidian links `b`; `[[a ` stays text
    ("[[a\nb]]\n", [(1, 1, "IN004")]),  # links do not span lines
    ("- [[a `]]`\n", [(1, 3, "IN004")]),  # the `]]` is code
    ("[[a]] and ![[b.png]] and [[c|d]]\n", []),
    ("`[[x` and $[[x$\n", []),
    ("```\n[[x\n```\n", []),
    ("\\[[not a link\n", []),
    ("| [[a\\|b]] | c |\n|---|---|\n", []),
])
def test_in004_unclosed_link(text: str, expected: list[Position]) -> None:
    assert positions(in004_unclosed_link, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Filed as #123.\n", [(1, 10, "IN005")]),
    ("#123 at a line start\n", [(1, 1, "IN005")]),  # not a heading either
    ("## Fix for #12\n", [(1, 12, "IN005")]),
    ("> #7\n", [(1, 3, "IN005")]),
    ("- (#1) and #y2024 and #123abc and #12/x\n", []),  # tags, or not after a space
    ("issue#123 and [[Note#123]] and https://x.org/#123\n", []),
    ("`#123` and \\#123\n", []),
    ("# 123\n", []),  # a heading whose text is a number
    ("```\n#123\n```\n", []),
])
def test_in005_numeric_tag(text: str, expected: list[Position]) -> None:
    assert positions(in005_numeric_tag, text) == expected


def test_code_spans_and_links_across_lines() -> None:
    # A code span that opens on the line above changes what is code on this one.
    text = "`a\nb` #1 [[x `]]` ==y `z`\n"
    assert positions(in005_numeric_tag, text) == [(2, 4, "IN005")]
    assert positions(in004_unclosed_link, text) == [(2, 7, "IN004")]
    assert positions(in001_unclosed_highlight, text) == [(2, 16, "IN001")]
    # ... and so does a link whose destination starts on the next line.
    assert positions(in001_unclosed_highlight, "==a [b==](\nurl)\n") == [(1, 1, "IN001")]


def test_sample_vault_planted_faults(sample_vault: Path) -> None:
    found: dict[str, list[Position]] = {}
    for location in iter_note_paths([sample_vault]):
        loaded = load(location)
        ctx = NoteContext(loaded.note, loaded.source)
        for module in IN_RULES:
            for v in module.check(ctx, RULES[module.CODE].options):
                found.setdefault(location.rel, []).append((v.line, v.col, module.CODE))
    # The `==` of line 17 starts in column 74 and the `====` of line 34 in column 53.
    assert found == {"Inbox/Needs work.md": [(17, 74, "IN001"), (34, 53, "IN002")]}


# Every finding on the real vaults read against the note: obsidian-export-testdata's
# deliberately broken `[[unclosed link` / `![[Partial embed` samples, and the stub vault's
# `- #1985` placed there to show what is not a tag.
CORPUS_COUNTS = {
    "caro401-notes": {},
    "kepano-obsidian": {},
    "obsidian-export-testdata": {"IN004": 4},
    "obsidian-tasks-docs": {},
    "obsidiantools-vault-stub": {"IN005": 1},
}


@pytest.mark.parametrize("module", IN_RULES, ids=lambda m: m.CODE)
def test_in_cheap_tests_skip_only_notes_without_findings(corpora_dir: Path,
                                                         module: ModuleType) -> None:
    """Each IN rule first looks for its delimiter in ctx.masked_text, every paragraph at once:
    with a masked text holding them all, it finds the same in every note."""
    texts = ["a ==b\n\nc== d\n", "a ==== b\n", "[[a\n", "#1 and #2a\n", "a =\n\n= b [\n\n[ c\n"]
    contexts = [context(text) for text in texts]
    contexts += [NoteContext(loaded.note, loaded.source)
                 for loaded in map(load, iter_note_paths([corpora_dir]))]
    options = RULES[module.CODE].options
    with_test = [list(module.check(ctx, options)) for ctx in contexts]
    for ctx in contexts:
        ctx.masked_text = "== ==== [[ #"  # what the cached property would have held
    assert [list(module.check(ctx, options)) for ctx in contexts] == with_test


@pytest.mark.parametrize("corpus", sorted(CORPUS_COUNTS))
def test_in_findings_on_real_vaults(corpora_dir: Path, corpus: str) -> None:
    counts: Counter[str] = Counter()
    for location in iter_note_paths([corpora_dir / corpus]):
        loaded = load(location)
        ctx = NoteContext(loaded.note, loaded.source)
        for module in IN_RULES:
            counts[module.CODE] += sum(1 for _ in module.check(ctx, RULES[module.CODE].options))
    assert dict(+counts) == CORPUS_COUNTS[corpus]

