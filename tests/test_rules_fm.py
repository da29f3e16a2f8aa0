"""FM rules: frontmatter text in, (line, col, code) out; fixes applied to the text; the
documented examples checked; and the counts on the real vaults, which are the noise check."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rule_util import Position, context, example, fixed, positions, violations

from vault_tools.discover import iter_note_paths
from vault_tools.findings import Severity
from vault_tools.notes import load
from vault_tools.parse import parse_note
from vault_tools.rules import (
    FM_RULES,
    RULES,
    NoteContext,
    fm001_invalid_yaml,
    fm002_not_a_mapping,
    fm003_duplicate_key,
    fm004_malformed_tags,
    fm005_deprecated_key,
    fm006_ambiguous_value,
    fm007_misplaced_frontmatter,
    fm008_frontmatter_too_large,
)


def fm(body: str) -> str:
    """A note whose frontmatter is `body` (so its first key is on line 2)."""
    return f"---\n{body}\n---\n# Note\n"


def test_fm_family_registered_with_severities() -> None:
    expected = {"FM001": Severity.ERROR, "FM002": Severity.ERROR, "FM003": Severity.ERROR,
                "FM004": Severity.WARNING, "FM005": Severity.WARNING,
                "FM006": Severity.WARNING, "FM007": Severity.WARNING,
                "FM008": Severity.ERROR}
    assert {m.CODE: RULES[m.CODE].severity for m in FM_RULES} == expected
    assert {m.CODE: RULES[m.CODE].fixable for m in FM_RULES if RULES[m.CODE].fixable} == {
        "FM004": "safe", "FM005": "safe"}


@pytest.mark.parametrize("module", FM_RULES, ids=lambda m: m.CODE)
def test_documented_examples(module: ModuleType) -> None:
    doc = module.__doc__ or ""
    assert positions(module, example(doc, "Passes:")) == []
    assert positions(module, example(doc, "Fails")) != []


def test_fm001_points_at_the_yaml_error() -> None:
    assert positions(fm001_invalid_yaml, fm("title: Roles: an overview")) == [(2, 13, "FM001")]
    assert positions(fm001_invalid_yaml, fm('title: "Roles: an overview"')) == []
    assert positions(fm001_invalid_yaml, "title: Roles: an overview\n") == []


def test_fm001_hints_at_template_placeholders() -> None:
    [found] = violations(fm001_invalid_yaml, fm("tags: []\ncreated: {{date}}"))
    assert (found.line, found.col) == (3, 11)  # the inner `{`, the unhashable key
    assert "{{date}}" in found.message
    [plain] = violations(fm001_invalid_yaml, fm("a: [unclosed"))
    assert "{{" not in plain.message


@pytest.mark.parametrize(("body", "expected"), [
    ("- project\n- draft", [(2, 1, "FM002")]),
    ("just a sentence", [(2, 1, "FM002")]),
    ("tags: [project]", []),
    ("", []),  # an empty block is no properties, not a wrong kind of value
])
def test_fm002_not_a_mapping(body: str, expected: list[Position]) -> None:
    assert positions(fm002_not_a_mapping, fm(body)) == expected


def test_fm003_duplicate_keys_top_level_and_nested() -> None:
    text = fm("tags: [a]\nmeta:\n  x: 1\n  x: 2\ntags: [b]")
    assert positions(fm003_duplicate_key, text) == [(5, 3, "FM003"), (6, 1, "FM003")]
    top = [v for v in violations(fm003_duplicate_key, text) if v.line == 6]
    assert "line 2" in top[0].message  # where the first spelling is
    assert positions(fm003_duplicate_key, fm("tags: [a]\nmeta:\n  tags: [b]")) == []


FM004_CASES = [
    ("tags: [project, area/work, 2024-review]", []),
    ("tags:\n  - café\n  - 0🌲\n  - Проект/日本_語", []),  # any script, emoji
    ("tags:", []),
    ("tags:\n  -", []),  # an empty item, as templates leave it
    ("tags: project", []),
    ("tags: [no, yes]", []),  # text for Obsidian: FM006 reports the YAML 1.1 reading
    ("tags: # none yet", []),
    ('tags:\n  - "#project"\n  - area work\n  - 2024',
     [(3, 5, "FM004"), (4, 5, "FM004"), (5, 5, "FM004")]),
    ("tags: [a.b, ok, c!, 'd,e']", [(2, 8, "FM004"), (2, 17, "FM004"), (2, 21, "FM004")]),
    ("tags: project, draft", [(2, 7, "FM004")]),
    ("Tags: [ok, two words]", [(2, 12, "FM004")]),  # Obsidian's tags whatever the case
    ("tags: 2024", [(2, 7, "FM004")]),
    ('tags: ["", ok]', []),  # an empty item names no tag, and is no "only digits" either
    ('tags: "#a"', [(2, 7, "FM004")]),
    ("tags: #project #idea", [(2, 7, "FM004")]),  # a YAML comment: no tag at all
    ("tags:\n  - ok\n  - #project", [(4, 5, "FM004")]),
    ("tags:\n  - ok #idea\n  - fine # a real comment", [(3, 8, "FM004")]),
    ("tags: [a, b] #c", [(2, 14, "FM004")]),
    ("tags: a, #b", [(2, 10, "FM004")]),
    ("tags:\n  area: work", [(3, 3, "FM004")]),
    ("tags:\n  - [a, b]", [(3, 5, "FM004")]),
    # A repeated key: Obsidian reads no properties at all (FM003 says so), so no tags to judge.
    ("title: x\ntags: [a]\ntags: [b c]", []),
]


@pytest.mark.parametrize(("body", "expected"), FM004_CASES)
def test_fm004_malformed_tags(body: str, expected: list[Position]) -> None:
    assert positions(fm004_malformed_tags, fm(body)) == expected


@pytest.mark.parametrize(("body", "after"), [
    ("tags: project, draft", "tags: [project, draft]"),
    ('tags: "project draft"  # two', "tags: [project, draft]  # two"),
    ("tags: a,b,  c", "tags: [a, b, c]"),
])
def test_fm004_fix_makes_a_list(body: str, after: str) -> None:
    [found] = violations(fm004_malformed_tags, fm(body))
    result = fixed(fm(body), found)
    assert result == fm(after)
    assert positions(fm004_malformed_tags, result) == []
    assert parse_note(result).tags == parse_note(fm(body)).tags


@pytest.mark.parametrize("body", [
    "tags: no, maybe",  # `[no, maybe]` would make a boolean of `no`
    "tags: a, b!",
    "tags: >\n  a b\n  c",
])
def test_fm004_no_fix_when_a_list_would_change_things(body: str) -> None:
    [found] = violations(fm004_malformed_tags, fm(body))
    assert found.fix is None


def test_fm005_deprecated_keys_renamed() -> None:
    text = fm("alias: Roles\ncssclass: wide\ntitle: x")
    assert positions(fm005_deprecated_key, text) == [(2, 1, "FM005"), (3, 1, "FM005")]
    first, second = violations(fm005_deprecated_key, text)
    assert fixed(fixed(text, second), first) == fm("aliases: Roles\ncssclasses: wide\ntitle: x")


@pytest.mark.parametrize(("body", "expected"), [
    ("tag: x\ntags: [y]", [(2, 1, "FM005")]),  # both present: merge by hand
    ('"tag": x', [(2, 1, "FM005")]),  # quoted key: not rewritten
    ("tag: x\ntag: y", [(2, 1, "FM005"), (3, 1, "FM005")]),  # renaming would repeat a key
])
def test_fm005_no_fix_when_a_rename_is_not_enough(body: str, expected: list[Position]) -> None:
    found = violations(fm005_deprecated_key, fm(body))
    assert sorted((v.line, v.col, "FM005") for v in found) == expected
    assert all(v.fix is None for v in found)


def test_fm005_ignores_current_and_nested_keys() -> None:
    text = fm("tags: [a]\naliases: [b]\ncssclasses: [c]\nmeta:\n  alias: x")
    assert positions(fm005_deprecated_key, text) == []


FM006_CASES = [
    ("draft: no", [(2, 8, "FM006")]),
    ("a: Yes\nb: OFF\nc: y", [(2, 4, "FM006"), (3, 4, "FM006"), (4, 4, "FM006")]),
    ("list:\n  - on\n  - n", [(3, 5, "FM006"), (4, 5, "FM006")]),
    ("tags: [no, no-export]", [(2, 8, "FM006")]),
    ("time: 12:30\nlap: 01:02.5", [(2, 7, "FM006"), (3, 6, "FM006")]),
    ("time: 09:30\nip: 10:61", []),  # text in YAML 1.1 too
    ("related: [[Roles]]", [(2, 10, "FM006")]),
    ("related:\n  - [[Roles]]\n  - [[Note, with comma]]", [(3, 5, "FM006"), (4, 5, "FM006")]),
    ("refs: [[[A]], B, [[C|c]]]", [(2, 8, "FM006"), (2, 18, "FM006")]),
    ("draft: false\ntime: '12:30'\nrelated: \"[[Roles]]\"", []),
    ("yes: 1", []),  # a key, not a value
    ("body: |\n  ok: no\n  - [[x]]", []),  # text of a block scalar
    ("note: yes please\na: 'no'\nb: x # no", []),
    ("a: nO", []),  # not one of YAML 1.1's spellings: text everywhere
    ("matrix: [[1, 2], [3, 4]]", []),  # a list of lists on purpose
    # Shapes the cheap test of the text (before the YAML scanner) must let through.
    ("a: {draft: no, b: off}", [(2, 12, "FM006"), (2, 19, "FM006")]),  # flow style
    ("a: \"x\"\nb: [ON ,Off]", [(3, 5, "FM006"), (3, 9, "FM006")]),
    ("a: [no]\n? k\n: n", [(2, 5, "FM006"), (4, 3, "FM006")]),
    ("a:\n  yes\nb:\tno\né: Y", [(3, 3, "FM006"), (4, 4, "FM006"), (5, 4, "FM006")]),
    ("t: 1_:30", [(2, 4, "FM006")]),  # no digit before the colon
    ("u: +1:30", [(2, 4, "FM006")]),
    ("t: a\u2028b\nc: no", [(3, 4, "FM006")]),  # U+2028 is no line break (YAML 1.2)
    ("refs: [x, [[A]]]\nb: [[B]]   # c", [(2, 11, "FM006"), (3, 4, "FM006")]),
]


@pytest.mark.parametrize(("body", "expected"), FM006_CASES)
def test_fm006_ambiguous_values(body: str, expected: list[Position]) -> None:
    assert positions(fm006_ambiguous_value, fm(body)) == expected


def test_fm006_cheap_test_skips_only_frontmatter_without_findings(
        corpora_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contexts = [context(fm(body)) for body, _ in FM006_CASES]
    contexts += [NoteContext(loaded.note, loaded.source)
                 for loaded in map(load, iter_note_paths([corpora_dir]))]
    with_test = [list(fm006_ambiguous_value.check(ctx, {})) for ctx in contexts]
    monkeypatch.setattr(fm006_ambiguous_value, "_may_fire", lambda raw: True)
    assert [list(fm006_ambiguous_value.check(ctx, {})) for ctx in contexts] == with_test
    assert sum(map(bool, with_test[len(FM006_CASES):])) > 1  # the corpora have some


def test_fm006_skips_broken_frontmatter() -> None:
    assert positions(fm006_ambiguous_value, fm("a: no\nb: [unclosed")) == []


FM007_CASES = [
    ("\n---\ntitle: Roles\ntags: [a]\n---\nbody\n", [(2, 1, "FM007")]),
    ("\n\n---\ntitle: Roles\ntags:\n  - a\n----\n", [(3, 1, "FM007")]),
    (" ---\ntitle: Roles\n---\n", [(1, 2, "FM007")]),
    ("---\ntitle: Roles\ntags:\n- a\n# Roles\n\n---\n", []),  # closed by the later `---`
    ("---\ntitle: Roles\ntags:\n- a\n# Roles\n", [(1, 1, "FM007")]),
    ("---\ntitle: Roles\n...\nbody\n", [(1, 1, "FM007")]),
    ("---\ntitle: Roles\n---\nbody\n", []),
    ("---\ntitle: {{date}}\n---\n", []),  # FM001's business
    ("---\nA paragraph after a rule.\n", []),
    ("\n---\nJust a paragraph.\n---\n", []),
    ("# Note\n\n---\nkey: value\n---\n", []),  # a rule and a setext heading in the body
    ("\n---\ntitle: Roles\n", []),  # never closed and not on line 1: not a block at all
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), FM007_CASES)
def test_fm007_misplaced_frontmatter(text: str, expected: list[Position]) -> None:
    assert positions(fm007_misplaced_frontmatter, text) == expected


def test_fm008_exponential_aliases() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]"
        for prev, name in zip("abcde", "bcdef", strict=True)]
    assert positions(fm008_frontmatter_too_large, fm("\n".join(levels))) == [(2, 1, "FM008")]
    assert positions(fm008_frontmatter_too_large, fm("\n".join(levels[:3]))) == []


def lint_corpus(root: Path, modules: tuple[ModuleType, ...]) -> Counter[tuple[str, str]]:
    """(code, note path) -> number of findings, over every note of one vault."""
    counts: Counter[tuple[str, str]] = Counter()
    for location in iter_note_paths([root]):
        loaded = load(location)
        ctx = NoteContext(loaded.note, loaded.source)
        for module in modules:
            for _ in module.check(ctx, RULES[module.CODE].options):
                counts[(module.CODE, location.rel)] += 1
    return counts


def test_fm001_fires_exactly_on_the_broken_frontmatter_of_real_vaults(corpora_dir: Path) -> None:
    kepano = lint_corpus(corpora_dir / "kepano-obsidian", (fm001_invalid_yaml,))
    assert sum(kepano.values()) == len(kepano) == 28
    assert all(path.startswith("Templates/") for _, path in kepano)
    stub = lint_corpus(corpora_dir / "obsidiantools-vault-stub", (fm001_invalid_yaml,))
    assert list(stub.items()) == [(("FM001", "lipsum/Causam mihi.md"), 1)]


# What the FM rules find on the real vaults, every finding reviewed by hand: a new count here
# is either a real problem in the vault or noise in a rule.
CORPUS_COUNTS = {
    "caro401-notes": {"FM005": 3},  # `alias:`, dropped by Obsidian 1.9
    "kepano-obsidian": {"FM001": 28},  # {{date}} placeholders in Templates/
    "obsidian-export-testdata": {"FM006": 1},  # tags: [no, no-export]
    "obsidian-tasks-docs": {},
    "obsidiantools-vault-stub": {"FM001": 1, "FM006": 1},  # [[[American Psycho (film)]], ...]
}


@pytest.mark.parametrize("corpus", sorted(CORPUS_COUNTS))
def test_fm_findings_on_real_vaults(corpora_dir: Path, corpus: str) -> None:
    found = lint_corpus(corpora_dir / corpus, FM_RULES)
    by_code: Counter[str] = Counter()
    for (code, _), count in found.items():
        by_code[code] += count
    assert dict(by_code) == CORPUS_COUNTS[corpus]


def test_fm_rules_ignore_notes_without_frontmatter() -> None:
    text = "# Note\n\ntags: no\n\n---\n\nalias: x\n"
    assert [m.CODE for m in FM_RULES if positions(m, text)] == []


def test_yaml_one_one_spellings_are_complete() -> None:
    # The regex must match exactly the spellings of yaml.org/type/bool.html minus true/false.
    spellings = ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
                 "on", "On", "ON", "off", "Off", "OFF"]
    assert all(fm006_ambiguous_value.BOOLEAN_1_1.fullmatch(s) for s in spellings)
    assert not any(re.fullmatch(fm006_ambiguous_value.BOOLEAN_1_1, s) for s in ["yES", "True"])
