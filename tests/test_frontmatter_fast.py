"""frontmatter_plain (the line-shape reader of simple frontmatter) must give exactly what the
PyYAML route gives, or nothing.

The PyYAML route (`load_with_pyyaml`) stays the reference. These differential tests compare
both on every frontmatter block of the corpora, of the sample vault and of the generated
benchmark vault, and on generated blocks biased toward the subset's edges: values YAML 1.1 and
1.2 type differently, indicators, flow and block sequences half right, trailing spaces, quoted
scalars holding what a naive reader would take for syntax. VAULT_TOOLS_FUZZ_EXAMPLES sets how many
blocks are generated (500 by default; run 50,000 once after changing the reader).
"""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path

import pytest
from conftest import CORPORA, SAMPLE_VAULT, corpus_names, need_shared
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vault_tools.frontmatter_loader import MAX_VALUES, plain_scalar
from vault_tools.frontmatter_plain import load_plain
from vault_tools.frontmatter_text import find_block
from vault_tools.frontmatter_yaml import load_with_pyyaml
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
    # Per corpus (of 2026-11): caro401 226/226, kepano 70/98 (the rest are templates that are
    # not valid YAML), export-testdata 15/15, tasks-docs 103/103, vault-stub 0/2 (not valid).
    counts = [share_taken(path) for path in sorted(need_shared(CORPORA).iterdir())
              if path.is_dir()]
    taken, total = sum(c[0] for c in counts), sum(c[1] for c in counts)
    assert taken > 0.9 * total, counts


@pytest.mark.slow
def test_benchmark_vault(bench_vault: Path) -> None:
    taken, total = share_taken(bench_vault)
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
                            "k" * 130, "~", "=", "&k", "[k]", '"k"', "'k'", '"k', "k'"])
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
    "'q'", '"q"', "it's", 'say "hi"', "x'", 'x"', "a 'b' c", "[it's, a\"b]", "[\"a\", 'b']",
    '"[[Books]]"', '"A: B"', '""', "''", '"no"', "'017'", '"#tag"', '"{{date}}"', r'"C:\\x"',
])
# Values it must refuse (or PyYAML reads differently, or refuses).
bad_values = st.sampled_from([
    "2024-02-30", "-", "- x", "-x", "[,]", "[a,,b]", "[a, [b]]", "[a]]", "[a, b", "[a:b]",
    "[-1, -]", "key:value", "a: b", "a:", "a #b", "a#b", "C#", "=", "<<", "&a", "*a", "!x",
    "!!str x", "|", ">", "%x", "@x", "`x`", "?x", "? x", ":x", ",x", "---", "...", "x\u2028y",
    "x\u0085y", "\ufeffx", "x\ty", "x\x01", "{a: 1}", "{{date}}", '"a" b', '"a"b', "'a' # c",
    '"a": b', '"a', "'a", "'''", r'"a\nb"', r'"a\"', '["a": b]', '["a" b]', "[a?b]", r'"\u00e9"',
])
plain_words = st.text(st.sampled_from("abcXYZ019 _-./:é漢🌲'\"#"), min_size=1, max_size=12)

# What a quoted scalar may hold, chosen to trip a naive reader: syntax that is content there,
# escapes (some YAML reads and the plain reader refuses), quotes, unicode, outer spaces.
quoted_text = st.lists(st.sampled_from([
    ": ", ":", " #", "#", "[[", "]]", "[", "]", ",", ", ", "'", "''", '"', "\\", "\\\\", '\\"',
    r"\n", r"\t", r"\u00e9", r"\/", "\\ ", " ", "  ", "a", "b c", "é", "漢", "🌲", "\u00a0", "no",
    "017", "2024-01-31", "~", "{{date}}", "{", "-", "- ", "---", "&a", "*a", "!x", "%", "@",
]), max_size=6).map("".join)


@st.composite
def quoted(draw: st.DrawFn) -> str:
    text = draw(quoted_text)
    style = draw(st.sampled_from(["double", "double", "single", "single", "raw"]))
    if style == "double":
        scalar = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    elif style == "single":
        scalar = "'" + text.replace("'", "''") + "'"
    else:  # the text between quotes as it comes: unclosed, closed early, other escapes
        scalar = draw(st.sampled_from(['"', "'"])) + text + draw(st.sampled_from(['"', "'"]))
    # What follows the closing quote: mostly nothing (then entry() may add spaces).
    return scalar + draw(rarely(st.just(""), st.sampled_from(
        [" ", "x", " x", ":", ": b", " :", " # c", "#", '"', "'", ",", "]"])))


flow_plain = st.sampled_from(["a", "no", "017", "it's", 'a"b', "x y", "2024-01-31", "-1", "a?b",
                              "#x", "a#b", "a:b", "a{b}", "[[x]]", "é"])


@st.composite
def flow_lists(draw: st.DrawFn) -> str:
    items = draw(st.lists(st.one_of(quoted(), flow_plain), max_size=4))
    gap = st.sampled_from(["", "", " ", "  "])
    text = "[" + draw(gap) + f"{draw(gap)},{draw(gap)}".join(items)
    if items and draw(st.integers(0, 5)) == 0:
        text += ","  # a trailing comma
    return text + draw(gap) + "]"


values = rarely(st.one_of(good_values, plain_words, quoted(), flow_lists(),
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
    if draw(st.booleans()):
        # A quoted scalar over two lines: YAML folds it, the plain reader refuses it.
        quote = draw(st.sampled_from(['"', "'"]))
        return [f"{key}: {quote}{draw(quoted_text)}", f"  {draw(quoted_text)}{quote}"]
    return [draw(st.sampled_from(["key:value", "# comment", "  continued", "", "  ", "- x",
                                  "key : v", "? k", "k:\tv", "---x", '"k": v', "'k': v",
                                  '  "x"', "- 'x'"]))]


@st.composite
def blocks(draw: st.DrawFn) -> str:
    names = draw(st.lists(keys, max_size=6, unique=True))
    if names and draw(st.integers(0, 9)) == 0:
        names.append(names[0])  # a duplicated key
    lines = [line for name in names for line in draw(entry(name))]
    return "\n".join(lines)


FUZZ_SETTINGS = settings(max_examples=int(os.environ.get("VAULT_TOOLS_FUZZ_EXAMPLES", "500")),
                         deadline=None,
                         suppress_health_check=[HealthCheck.too_slow])


@FUZZ_SETTINGS
@given(blocks(), st.integers(1, 4))
@example("aliases: []\ntags:\n- \npublish: true", 2)
@example("title: x\ntags:\n  - a\n  - b\n\ndate: 2024-01-31\nempty:\n", 2)
@example("a:\n\n", 2)
@example("", 2)
def test_generated_blocks(raw: str, first_line: int) -> None:
    took_plain(raw, first_line, raw.count("\n") + first_line + 1)


# Quoted scalars a naive reader gets wrong (split at `: ` or `,`, cut at ` #`, strip spaces,
# type "no" or "017", keep `''` or `\"`), with what YAML reads: the plain reader must take them.
TRICKY = [
    ('title: "A: B"', {"title": "A: B"}),
    ("title: 'a # b'", {"title": "a # b"}),
    ('title: "  padded  "   ', {"title": "  padded  "}),
    ("title: 'it''s'", {"title": "it's"}),
    ("title: ''''", {"title": "'"}),
    (r'title: "say \"hi\""', {"title": 'say "hi"'}),
    (r'path: "C:\\notes\\"', {"path": "C:\\notes\\"}),
    ("a: \"it's\"\nb: 'say \"hi\"'", {"a": "it's", "b": 'say "hi"'}),
    ("title: It's mine\nq: say \"hi\"", {"title": "It's mine", "q": 'say "hi"'}),
    ("a: \"\"\nb: ''\nc:\n  - \"\"", {"a": "", "b": "", "c": [""]}),
    ("a: \"no\"\nb: '017'\nc: \"2024-01-31\"\nd: \"~\"\ne: \"null\"\nf: \"true\"",
     {"a": "no", "b": "017", "c": "2024-01-31", "d": "~", "e": "null", "f": "true"}),
    ('categories:\n  - "[[Books]]"\n  - "[[A, B]]"\nsource: "[[Some note]]"',
     {"categories": ["[[Books]]", "[[A, B]]"], "source": "[[Some note]]"}),
    ("tags: [\"a, b\", c, 'd]', \"[e\"]", {"tags": ["a, b", "c", "d]", "[e"]}),
    ("tags: ['a'', b', \"x\" ,y,]", {"tags": ["a', b", "x", "y"]}),
    ("tags: [ \"a, b\" , 'c, d'  ,e f ]", {"tags": ["a, b", "c, d", "e f"]}),
    ("tags: [it's, a\"b, '']", {"tags": ["it's", 'a"b', ""]}),
    ("color: \"#fff\"\ntag: '#book'\nwhen: \"{{date}}\"",
     {"color": "#fff", "tag": "#book", "when": "{{date}}"}),
    ('a: "- x"\nb: "&a *a !x |"\nc: "---"\nd: "é漢🌲"',
     {"a": "- x", "b": "&a *a !x |", "c": "---", "d": "é漢🌲"}),
]


@pytest.mark.parametrize(("raw", "data"), TRICKY)
def test_tricky_quoted_scalars(raw: str, data: dict[str, object]) -> None:
    assert took_plain(raw, 2, raw.count("\n") + 3), raw
    matter = load_plain(raw, 2, raw.count("\n") + 3, plain_scalar, MAX_VALUES)
    assert matter is not None
    assert matter.data == data


def test_plain_reader_refuses_what_it_does_not_know() -> None:
    for raw in ["a: 1 # c", "a: &x 1", "a: b: c", "a:\n  b", "a: 1\na: 2",
                "a:\n  - x\n - y", "a: [b, [c]]", "a: |\n  x", "true: 1", "a: 2024-02-30",
                "a:\tb", "a: x\u2028y", "a: C#", "a: x{y}", "a: {{date}}",
                # Quoted: followed by more, unclosed, over two lines, other escapes, as a key.
                'a: "x" y', 'a: "x"y', "a: 'x' # c", 'a: "x":', 'a: "x": y', 'a: "x" "y"',
                'a: "x', "a: 'x", "a: '''", 'a: "x\\"', 'a: "x\n  y"', "a: 'x\n  y'",
                'a: "x\\ny"', 'a: "\\u00e9"', 'a: "\\/"', 'a: "\\ "', '"a": x', "'a': x",
                'a:\n  - "x": y', "a:\n  - 'x' y", 'a: ["x": y]', 'a: ["x" y]', 'a: ["x]',
                "a: ['x'y]", 'a: ["x", [y]]', "a: [x?y]", 'a: "x\u2028y"']:
        assert load_plain(raw, 2, 3, plain_scalar, MAX_VALUES) is None, raw
