"""frontmatter_plain (the line-shape reader of simple frontmatter) must give exactly what the
PyYAML route gives, or nothing.

The PyYAML route (`load_with_pyyaml`) stays the reference. These differential tests compare
both on every frontmatter block of the corpora, of the sample vault and of the generated
benchmark vault, and on generated blocks biased toward the subset's edges: values YAML 1.1 and
1.2 type differently, indicators, flow and block sequences half right, trailing spaces.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest
from conftest import CORPORA, SAMPLE_VAULT, SHARED, corpus_names, need_shared
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vault_tools.frontmatter_plain import load_plain
from vault_tools.frontmatter_text import find_block
from vault_tools.frontmatter_yaml import MAX_VALUES, load_with_pyyaml, plain_scalar
from vault_tools.model import Frontmatter
from vault_tools.source import decode


def took_plain(raw: str, first_line: int, end_line: int) -> bool:
    """Compare both routes on one block; did the plain reader take it?"""
    plain = load_plain(raw, first_line, end_line, plain_scalar, MAX_VALUES)
    if plain is None:
        return False
    reference, problems = load_with_pyyaml(raw, first_line, end_line)
    assert problems == [], raw
    assert reference is not None, raw
    for field in fields(Frontmatter):
        # repr tells 1 from 1.0 and True, and shows the keys' order.
        assert repr(getattr(plain, field.name)) == repr(getattr(reference, field.name)), \
            (field.name, raw)
    return True


def blocks_under(root: Path) -> list[tuple[str, int]]:
    """(frontmatter text, closing line number) of each note under root, as parse reads it."""
    found = []
    for path in sorted(p for p in root.rglob("*.md") if p.is_file()):
        lines = decode(path.read_bytes()).text.split("\n")
        end = find_block(lines)
        if end is not None:
            found.append(("\n".join(lines[1:end]), end + 1))
    return found


def share_taken(root: Path) -> tuple[int, int]:
    found = blocks_under(root)
    return sum(took_plain(raw, 2, end) for raw, end in found), len(found)


def test_sample_vault() -> None:
    _, total = share_taken(SAMPLE_VAULT)
    assert total > 0


@pytest.mark.parametrize("corpus", corpus_names())
def test_every_corpus_block(corpus: str) -> None:
    share_taken(need_shared(CORPORA / corpus))


def test_plain_reader_takes_most_corpus_blocks() -> None:
    # Per corpus (of 2026-11): caro401 196/226, kepano 31/98 (quoted "[[links]]", templates),
    # export-testdata 15/15, tasks-docs 103/103, vault-stub 0/2.
    counts = [share_taken(path) for path in sorted(need_shared(CORPORA).iterdir())
              if path.is_dir()]
    taken, total = sum(c[0] for c in counts), sum(c[1] for c in counts)
    assert taken > 0.7 * total, counts


@pytest.mark.slow
def test_benchmark_vault(tmp_path: Path) -> None:
    tool = need_shared(SHARED / "tools" / "make-bench-vault.py")
    subprocess.run([sys.executable, str(tool), str(tmp_path / "bench")], check=True,
                   capture_output=True)
    taken, total = share_taken(tmp_path / "bench")
    assert total == 6543
    assert taken > 0.99 * total


# -- generated blocks ----------------------------------------------------------------------------

@st.composite
def rarely(draw: st.DrawFn, common: st.SearchStrategy[str], rare: st.SearchStrategy[str]
           ) -> str:
    # About one draw in eight is rare (one_of's branches are drawn about equally often).
    if draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans()):
        return draw(rare)
    return draw(common)


good_keys = st.sampled_from(["title", "tags", "aliases", "a", "_x", "plugin-id", "Key2", "No",
                             "on", "y", "Null2", "date_1"])
bad_keys = st.sampled_from(["true", "null", "NULL", "017", "ключ", "a b", "<<", "-k", "? k",
                            "k" * 130, "~", "=", "&k", "[k]"])
keys = rarely(good_keys, bad_keys)
# Values the plain reader should take, many typed differently by YAML 1.1 and 1.2.
good_values = st.sampled_from([
    "no", "on", "yes", "Off", "017", "0x1F", "0o17", "0b1", "1e3", "1E-3", "1.", ".5", "-.5",
    "+1", "-5", "1_000", "1,000", ".inf", "-.inf", "+.inf", ".NaN", ".nan", "2024-01-31",
    "2024-01-31 10:00", "2024-01-31 10:00:00", "2024-01-31T10:00:00Z", "2024-1-3",
    "2024-01-31 10:00:00.5 +01:00", "12:30", "1:2:3", "~", "null", "Null", "NULL", "true",
    "True", "FALSE", "[]", "[ ]", "[a, b]", "[a,b,]", "[1, true, ~, 2024-01-31]", "[no, 017]",
    "[a b,  c ]", "[-1, x-]", "a:b", "é漢🌲", "\u00a0x", "x\u00a0", "x\u3000", "a, b", "a ]",
    "a [b] c", "http://x.y/z?a=1", "-x1", "x!", "a&b", "a*", "9" * 1001, "0x" + "f" * 1001,
])
# Values it must refuse (or PyYAML reads differently, or refuses).
bad_values = st.sampled_from([
    "2024-02-30", "-", "- x", "-x", "[,]", "[a,,b]", "[a, [b]]", "[a]]", "[a, b", "[a:b]",
    "[-1, -]", "key:value", "a: b", "a:", "a #b", "a#b", "C#", "=", "<<", "&a", "*a", "!x",
    "!!str x", "|", ">", "%x", "@x", "`x`", "?x", "? x", ":x", ",x", "'q'", '"q"', "it's",
    "---", "...", "x\u2028y", "x\u0085y", "\ufeffx", "x\ty", "x\x01", "{a: 1}", "{{date}}",
])
plain_words = st.text(st.sampled_from("abcXYZ019 _-./:é漢🌲"), min_size=1, max_size=12)
values = rarely(st.one_of(good_values, plain_words,
                          st.builds("{} {}".format, good_values, good_values)), bad_values)
spaces = st.sampled_from(["", "", "", " ", "  "])


@st.composite
def item_lines(draw: st.DrawFn) -> list[str]:
    indent = draw(st.sampled_from(["", "", "  ", "    ", " "]))
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        own = draw(rarely(st.just(indent), st.sampled_from(["", " ", "   "])))
        value = draw(st.one_of(st.just(""), values))
        gap = draw(st.sampled_from([" ", " ", "  "])) if value else draw(spaces)
        lines.append(f"{own}-{gap}{value}{draw(spaces)}")
    return lines


@st.composite
def entry(draw: st.DrawFn, key: str) -> list[str]:
    kind = draw(rarely(st.sampled_from(["scalar", "scalar", "items", "empty"]), st.just("odd")))
    if kind == "scalar":
        return [f"{key}:{draw(st.sampled_from([' ', ' ', '  ']))}{draw(values)}{draw(spaces)}"]
    if kind == "items":
        blank = draw(rarely(st.sampled_from([[], [""]]), st.just(["  "])))
        return [f"{key}:{draw(spaces)}", *blank, *draw(item_lines())]
    if kind == "empty":
        return [f"{key}:{draw(spaces)}"]
    return [draw(st.sampled_from(["key:value", "# comment", "  continued", "", "  ", "- x",
                                  "key : v", "? k", "k:\tv", "---x"]))]


@st.composite
def blocks(draw: st.DrawFn) -> str:
    names = draw(st.lists(keys, max_size=6, unique=True))
    if names and draw(st.integers(0, 9)) == 0:
        names.append(names[0])  # a duplicated key
    lines = [line for name in names for line in draw(entry(name))]
    return "\n".join(lines)


FUZZ_SETTINGS = settings(max_examples=500, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow])


@FUZZ_SETTINGS
@given(blocks(), st.integers(1, 4))
@example("aliases: []\ntags:\n- \npublish: true", 2)
@example("title: x\ntags:\n  - a\n  - b\n\ndate: 2024-01-31\nempty:\n", 2)
@example("a:\n\n", 2)
@example("", 2)
def test_generated_blocks(raw: str, first_line: int) -> None:
    took_plain(raw, first_line, raw.count("\n") + first_line + 1)


def test_plain_reader_refuses_what_it_does_not_know() -> None:
    for raw in ["title: \"q\"", "a: 1 # c", "a: &x 1", "a: b: c", "a:\n  b", "a: 1\na: 2",
                "a:\n  - x\n - y", "a: [b, [c]]", "a: |\n  x", "true: 1", "a: 2024-02-30",
                "a:\tb", "a: x\u2028y"]:
        assert load_plain(raw, 2, 3, plain_scalar, MAX_VALUES) is None, raw
