"""LS001 tokenizes only the parts of a note around its candidates (rules/blocks.py); it must
report exactly what it reported from the whole note's tokens.

`check(..., whole=True)` stays the reference. These differential tests compare both routes'
findings and fixes on every corpus note, on the generated benchmark vault and on generated
notes; and, more strictly, that the parts' tokens laid end to end are the whole note's tokens
(every field), for every note: what makes the parts safe to tokenize alone.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPORA, corpus_names, need_shared
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from markdown_it.token import Token
from test_fast_path import LINES, QUOTE_LINES, RANDOM_LINES

from vault_tools.findings import Violation
from vault_tools.parse import parse_source
from vault_tools.rules import NoteContext
from vault_tools.rules import blocks as rule_blocks
from vault_tools.rules import ls001_mixed_bullet_markers as ls001
from vault_tools.source import decode


def context(data: bytes) -> NoteContext:
    source = decode(data)
    return NoteContext(parse_source(source, "note.md"), source)


def token_fields(tokens: list[Token]) -> list[MutableMapping[str, Any]]:
    return [token.as_dict() for token in tokens]


def assert_parts_are_the_whole(text: str) -> None:
    """Each part tokenized alone, the tokens laid end to end: the whole note's tokens."""
    body = rule_blocks._body(text)
    starts = rule_blocks._part_starts(body, len(body))
    ends = [*starts[1:], len(body)]
    parts = [token for start, end in zip(starts, ends, strict=True)
             for token in rule_blocks._parse(body, start, end)]
    assert token_fields(parts) == token_fields(rule_blocks._parse(body, 0, len(body))), text


def findings(ctx: NoteContext, whole: bool) -> list[Violation]:
    return list(ls001.check(ctx, {}, whole=whole))


def assert_same(data: bytes) -> list[Violation]:
    ctx = context(data)
    parts = findings(ctx, whole=False)
    assert parts == findings(ctx, whole=True), data
    return parts


def assert_same_everywhere(data: bytes) -> int:
    """Both checks on one note; its number of findings."""
    assert_parts_are_the_whole(decode(data).text)
    return len(assert_same(data))


def notes_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.md") if p.is_file())


@pytest.mark.parametrize("corpus", corpus_names())
def test_every_corpus_note(corpus: str) -> None:
    paths = notes_under(need_shared(CORPORA / corpus))
    assert paths
    for path in paths:
        assert_same_everywhere(path.read_bytes())


@pytest.mark.slow
def test_benchmark_vault(bench_vault: Path) -> None:
    paths = notes_under(bench_vault)
    assert len(paths) == 6571
    # LS001 fires on 35 of them (2026-11); the parts tokens are compared on every note.
    assert sum(assert_same_everywhere(path.read_bytes()) for path in paths) >= 35


# Lines for notes where LS001 may fire: items with every marker at several depths, with what
# may or may not stand between two lists (blank lines, comments, reference definitions, math,
# fences and HTML that swallow lines), and what could end one part and start the next.
LS_LINES = st.sampled_from([
    "", "", "", "- a", "- a", "* b", "* b", "+ c", "  - d", "  * e", "   + f", "    - g",
    " * h", "\t- i", "\t* j", "- * k", "* - l", "- [ ] task", "* [x] done", "-", "*", "- ",
    "1. one", "2) two", "10. ten", "  1. n", "* * *", "- - -", "* ---", "- ---", "---", "***",
    "text", "lazy line", "  more", "    code", "# H", "## H", "> q", "> - q", "> * r", ">",
    "> [!note] T", "```", "~~~", "  ```", "- ```", "$$", "$$ x $$", "- $$", "  $$ x", "x $$",
    "<div>", "</div>", "<!-- c -->", "<!--", "-->", "<!-->", "<?>", "<?php ?>", "<span>",
    "<script>", "<script></pre>", "</pre>", "%% c %%", "%%", "- a %% c", "%% x %% * b",
    "[x]: /url", "[x]:", "[^1]: note", "[y", "]: /u", "| a | b |", "|---|---|", "a|b", "-|-",
    "- a|b", "\u00a0", "\u2003", "===", "[[Link]]", "1.5 million",
])

FRONTMATTER = st.sampled_from(["", "", "---\ntitle: x\n---\n", "---\ntags:\n- a\n* b\n---\n",
                               "---\n- a\n", "---\n---\n* b\n"])


@st.composite
def ls_notes(draw: st.DrawFn) -> str:
    return draw(FRONTMATTER) + "\n".join(draw(st.lists(LS_LINES, min_size=1, max_size=30)))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ls_notes())
@example("- a\n\n* b\n\n* c\n")  # one list over two chunks: one finding, both items fixed
@example("* z\n\n- a\n\n[x]: /u\n\n- b\n\n+ c\n")  # a run across a reference definition
@example("- a\n\n<!-->\n```\n\n* b\n```\n\n* c\n")  # `<!-->` ends on its own line
def test_generated_notes(text: str) -> None:
    event("fires" if assert_same_everywhere(text.encode()) else "silent")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(LINES, QUOTE_LINES, RANDOM_LINES, LS_LINES), min_size=1,
                max_size=25))
def test_generated_notes_of_every_shape(lines: list[str]) -> None:
    event("fires" if assert_same_everywhere("\n".join(lines).encode()) else "silent")
