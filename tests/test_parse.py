"""The note model from small notes: positions (line, col) of links, tags and highlights wherever
they stand, the heading tree, bullets, paragraphs, frontmatter, line endings and read errors."""

from __future__ import annotations

from typing import Any

import pytest

from vault_tools.model import Item, Note, Section
from vault_tools.parse import parse_note, parse_source
from vault_tools.source import decode

Pos = tuple[int, int]

# Each note holds one link `[[L]]`, one tag `#t` and one highlight `==h==`; expected are their
# (line, col), col 1-based in the file's line, counted in characters, at the first character of
# the construct: `[`, `#`, and the opening `=` of the highlight.
POSITIONS = [
    pytest.param("Some text [[L]] #t ==h==", (1, 11), (1, 17), (1, 20), id="paragraph"),
    pytest.param("First line\nand [[L]] #t ==h==", (2, 5), (2, 11), (2, 14), id="paragraph-line-2"),
    pytest.param("para\n   [[L]] #t ==h==", (2, 4), (2, 10), (2, 13), id="indented-continuation"),
    pytest.param("  [[L]] #t ==h==", (1, 3), (1, 9), (1, 12), id="indented-paragraph"),
    pytest.param("text\t[[L]]\t#t\t==h==", (1, 6), (1, 12), (1, 15), id="tabs"),
    pytest.param("日本語 café [[L]] #t ==h==", (1, 10), (1, 16), (1, 19), id="unicode-before"),
    pytest.param("- [[L]] #t ==h==", (1, 3), (1, 9), (1, 12), id="bullet"),
    pytest.param("- [ ] [[L]] #t ==h==", (1, 7), (1, 13), (1, 16), id="task"),
    pytest.param("10. [[L]] #t ==h==", (1, 5), (1, 11), (1, 14), id="ordered"),
    pytest.param("- a\n  - b\n    - [[L]] #t ==h==", (3, 7), (3, 13), (3, 16), id="nested-list"),
    pytest.param("- a\n  [[L]] #t ==h==", (2, 3), (2, 9), (2, 12), id="list-continuation"),
    pytest.param("- a\n\n  [[L]] #t ==h==", (3, 3), (3, 9), (3, 12), id="list-second-paragraph"),
    pytest.param("> [[L]] #t ==h==", (1, 3), (1, 9), (1, 12), id="blockquote"),
    pytest.param("> a\n> > [[L]] #t ==h==", (2, 5), (2, 11), (2, 14), id="nested-quote"),
    pytest.param("> - [[L]] #t ==h==", (1, 5), (1, 11), (1, 14), id="list-in-quote"),
    pytest.param("> [!note] T\n> [[L]] #t ==h==", (2, 3), (2, 9), (2, 12), id="callout-body"),
    pytest.param("## [[L]] #t ==h==", (1, 4), (1, 10), (1, 13), id="heading"),
    pytest.param("# H\ntext [[L]] #t ==h==", (2, 6), (2, 12), (2, 15), id="after-heading"),
    pytest.param("---\na: 1\n---\nx [[L]] #t ==h==", (4, 3), (4, 9), (4, 12),
                 id="after-frontmatter"),
    pytest.param("| a | b |\n|---|---|\n| [[L]] #t | ==h== |", (3, 3), (3, 9), (3, 14),
                 id="table"),
]


@pytest.mark.parametrize(("text", "link", "tag", "mark"), POSITIONS)
def test_link_position(text: str, link: Pos, tag: Pos, mark: Pos) -> None:
    assert [(x.target, x.line, x.col) for x in parse_note(text).links] == [("L", *link)]


@pytest.mark.parametrize(("text", "link", "tag", "mark"), POSITIONS)
def test_tag_position(text: str, link: Pos, tag: Pos, mark: Pos) -> None:
    assert [(t.name, t.line, t.col) for t in parse_note(text).inline_tags] == [("t", *tag)]


@pytest.mark.parametrize(("text", "link", "tag", "mark"), POSITIONS)
def test_highlight_line(text: str, link: Pos, tag: Pos, mark: Pos) -> None:
    note = parse_note(text)
    assert [(h.text, h.line) for h in note.highlights] == [("h", mark[0])]


@pytest.mark.parametrize(("text", "link", "tag", "mark"), POSITIONS)
def test_highlight_col_is_the_opening_marker(text: str, link: Pos, tag: Pos, mark: Pos) -> None:
    assert [(h.line, h.col) for h in parse_note(text).highlights] == [mark]


def test_every_link_kind_is_placed_at_its_first_character() -> None:
    text = "x ![[img.png]] [md](a.md) ![i](b.png) <https://e.com> https://f.com [[w]]"
    got = [(x.kind, x.col) for x in parse_note(text).links]
    assert got == [("embed", 3), ("markdown", 16), ("embed", 27), ("url", 39), ("url", 55),
                   ("wikilink", 69)]


def test_several_tags_on_several_lines() -> None:
    note = parse_note("#a text #b\n\n- item #c\n  #d")
    assert [(t.name, t.line, t.col) for t in note.inline_tags] == [
        ("a", 1, 1), ("b", 1, 9), ("c", 3, 8), ("d", 4, 3)]


Tree = list[tuple[str, int, int, "Tree"]]


def tree(sections: tuple[Section, ...]) -> Tree:
    return [(s.heading or "", s.level, s.line, tree(s.sections)) for s in sections]


OUTLINE_NOTE = """\
Lede with ==p==.
- pre bullet
# A
Intro ==a==.
### C
- c ==c==
## B
text
#### D
# E
##### F
"""


def test_heading_tree_and_skipped_levels() -> None:
    note = parse_note(OUTLINE_NOTE)
    assert tree(note.sections) == [
        ("A", 1, 3, [("C", 3, 5, []), ("B", 2, 7, [("D", 4, 9, [])])]),
        ("E", 1, 10, [("F", 5, 11, [])]),
    ]
    assert [s.path for s in note.iter_sections()] == [
        ("A",), ("A", "C"), ("A", "B"), ("A", "B", "D"), ("E",), ("E", "F")]


def test_section_highlights_and_note_highlights() -> None:
    note = parse_note(OUTLINE_NOTE)
    a, c = note.sections[0], note.sections[0].sections[0]
    assert [(h.text, h.line) for h in note.preamble.highlights] == [("p", 1)]
    assert [(h.text, h.line) for h in a.highlights] == [("a", 4)]
    assert [(h.text, h.line) for h in c.highlights] == [("c", 6)]
    assert [(h.text, h.line, h.section) for h in note.highlights] == [
        ("p", 1, ()), ("a", 4, ("A",)), ("c", 6, ("A", "C"))]


def test_preamble() -> None:
    note = parse_note(OUTLINE_NOTE)
    assert [(p.text, p.line) for p in note.preamble.paragraphs] == [("Lede with ==p==.", 1)]
    assert [(b.text, b.line) for b in note.preamble.bullets] == [("pre bullet", 2)]
    assert note.preamble.heading is None


HEADINGS = [
    ("# A *b* [[c]] #d", ("A *b* [[c]] #d", 1, 1)),
    ("## Closing ##", ("Closing", 2, 1)),
    ("##", ("", 2, 1)),
    ("   ### Indented", ("Indented", 3, 1)),
    ("Title\n=====", ("Title", 1, 1)),
    ("para\n\nSub\n---", ("Sub", 2, 3)),
    ("#tag", None),
    ("#5 not a heading", None),
    ("    # indented code", None),
    ("```\n# in code\n```", None),
]


@pytest.mark.parametrize(("text", "expected"), HEADINGS)
def test_headings(text: str, expected: tuple[str, int, int] | None) -> None:
    got = [(s.heading, s.level, s.line) for s in parse_note(text).iter_sections()]
    assert got == ([expected] if expected else [])


ItemTree = list[tuple[str, int, str | None, str, "ItemTree"]]


def items(bullets: tuple[Item, ...]) -> ItemTree:
    return [(b.text, b.line, b.task, b.marker, items(b.children)) for b in bullets]


BULLETS_NOTE = """\
# Plan
- one
  continued
- [x] two
  - child *a*
    1. deep
    2) other list
  - [?] child b

    second paragraph of b
* star
+ plus
3. ordered

After the list.
"""


def test_bullets_children_tasks_markers_and_paragraphs() -> None:
    [section] = parse_note(BULLETS_NOTE).sections
    assert items(section.bullets) == [
        ("one\ncontinued", 2, None, "-", []),
        ("two", 4, "x", "-", [
            ("child *a*", 5, None, "-", [
                ("deep", 6, None, ".", []),
                ("other list", 7, None, ")", []),
            ]),
            ("child b\n\nsecond paragraph of b", 8, "?", "-", []),
        ]),
        ("star", 11, None, "*", []),
        ("plus", 12, None, "+", []),
        ("ordered", 13, None, ".", []),
    ]
    assert [(p.text, p.line) for p in section.paragraphs] == [("After the list.", 15)]


FRONTMATTER_TAGS = [
    ("tags:\n  - a\n  - b/c", "", ("a", "b/c")),
    ("tags: [a, b]", "", ("a", "b")),
    ("tags: a, b c", "", ("a", "b", "c")),
    ("tags: a,b", "", ("a", "b")),
    ("tag: legacy", "", ("legacy",)),
    ("tags: [a]\ntag: b", "", ("a", "b")),
    ("tags:\n  - '#hashed'\n  - '#x/y'", "", ("hashed", "x/y")),
    ("tags: '#a, #b'", "", ("a", "b")),
    ("tags:\n  -\n  - ''\n  - kept\n  - ", "", ("kept",)),
    ("tags:", "", ()),
    ("tags: [Work]", "#work #New #new #WORK", ("Work", "New")),
    ("tags: [b]", "#a #b #c", ("b", "a", "c")),
    ("title: x", "#only-inline", ("only-inline",)),
    # Only what Obsidian takes as a tag (FM004 reports the rest): strings, without spaces or
    # punctuation, not only digits. Numbers, booleans, lists and mappings are no tag names.
    ("tags: [2024, true, 1.5, null, x]", "", ("x",)),
    ("tags:\n  - a: b\n  - [c]\n  - d", "", ("d",)),
    ("tags: 12", "", ()),
    ("tags:\n  - two words\n  - bad!\n  - '123'\n  - ok", "", ("ok",)),
    # Obsidian matches the property's name ignoring case (`Tags`, `TAGS`), the first such key.
    ("Tags: [a, b]", "", ("a", "b")),
    ("TAGS:\n  - c", "", ("c",)),
    ("Tags: [first]\ntags: [second]", "", ("first",)),
]


@pytest.mark.parametrize(("yaml", "body", "expected"), FRONTMATTER_TAGS)
def test_frontmatter_tags_merged_with_inline_tags(yaml: str, body: str, expected: tuple[str, ...]
                                                   ) -> None:
    assert parse_note(f"---\n{yaml}\n---\n{body}\n").tags == expected


ALIASES = [
    ("aliases:\n  - One\n  - Two words", ("One", "Two words")),
    ("aliases: [A, B]", ("A", "B")),
    ("alias: Single", ("Single",)),
    # A string is a comma-separated list (as Obsidian read it before properties were lists):
    # an alias may hold spaces, unlike a tag.
    ("aliases: Two words", ("Two words",)),
    ("aliases: A, Two words ,, c", ("A", "Two words", "c")),
    ("aliases: [2024, x, [y], {z: 1}]", ("x",)),  # Obsidian keeps the strings of the list
    ("Aliases: [Other name]", ("Other name",)),
    ("aliases:", ()),
    ("title: none", ()),
]


@pytest.mark.parametrize(("yaml", "expected"), ALIASES)
def test_aliases(yaml: str, expected: tuple[str, ...]) -> None:
    assert parse_note(f"---\n{yaml}\n---\n").aliases == expected


def test_frontmatter_dates_are_iso_strings() -> None:
    note = parse_note("---\nday: 2024-01-02\nat: 2024-01-02 10:20:30\nutc: 2024-01-02T10:20:30Z\n"
                      "list: [2024-03-04]\n---\n")
    assert note.frontmatter_data == {"day": "2024-01-02", "at": "2024-01-02T10:20:30",
                                     "utc": "2024-01-02T10:20:30+00:00", "list": ["2024-03-04"]}


# One note in every line-ending style: the model must not change by one line or column.
LINE_ENDINGS_NOTE = "---\ntags: [a]\n---\n\n# H1\n- b [[L]] #t\n\n## H2\npara #u ==x==\n"


def summary(note: Note) -> dict[str, Any]:
    return {
        "tags": note.tags,
        "sections": [(s.heading, s.line) for s in note.iter_sections()],
        "bullets": [(b.text, b.line) for b in note.sections[0].bullets],
        "links": [(x.target, x.line, x.col) for x in note.links],
        "tag_pos": [(t.name, t.line, t.col) for t in note.inline_tags],
        "highlights": [(h.text, h.line) for h in note.highlights],
        "paragraphs": [(p.text, p.line) for p in note.sections[0].sections[0].paragraphs],
        "errors": note.errors,
    }


@pytest.mark.parametrize("data", [
    pytest.param(LINE_ENDINGS_NOTE.replace("\n", "\r\n").encode(), id="crlf"),
    pytest.param(LINE_ENDINGS_NOTE.replace("\n", "\r").encode(), id="cr"),
    pytest.param(b"\xef\xbb\xbf" + LINE_ENDINGS_NOTE.encode(), id="bom"),
    pytest.param(b"\xef\xbb\xbf" + LINE_ENDINGS_NOTE.replace("\n", "\r\n").encode(), id="bom-crlf"),
])
def test_line_endings_and_bom_keep_lines_and_columns(data: bytes) -> None:
    expected = summary(parse_note(LINE_ENDINGS_NOTE))
    assert expected["sections"] == [("H1", 5), ("H2", 8)]
    assert expected["tag_pos"] == [("t", 6, 11), ("u", 9, 6)]
    assert summary(parse_source(decode(data), "note.md")) == expected


def test_not_utf8_is_vt001_with_byte_offset() -> None:
    data = "# Title\nok [[A]]\ncaf\xe9 #t\n".encode("latin-1")
    note = parse_source(decode(data), "bad.md")
    assert [(e.code, e.line) for e in note.errors] == [("VT001", 3)]
    assert "byte offset 20" in note.errors[0].message
    # What could be decoded is still there, so the run sees something of the note.
    assert ([s.heading for s in note.sections], note.tags) == (["Title"], ("t",))


FRONTMATTER_ERRORS = [
    pytest.param("---\na: 1\n  b: 2\nc: 3\n---\n# H\n#tag", "FM001", 3, id="bad-indent"),
    pytest.param("---\ntitle: x\nkey: [a, b\nnext: y\n---\n# H\n#tag", "FM001", 4,
                 id="unclosed-flow"),
    pytest.param("---\ntitle: 'open\n---\n# H\n#tag", "FM001", 2, id="unclosed-quote"),
    pytest.param("---\n- a\n- b\n---\n# H\n#tag", "FM002", 2, id="list"),
    pytest.param("---\njust text\n---\n# H\n#tag", "FM002", 2, id="string"),
]


@pytest.mark.parametrize(("text", "code", "line"), FRONTMATTER_ERRORS)
def test_broken_frontmatter_is_an_error_and_the_body_is_kept(text: str, code: str, line: int
                                                            ) -> None:
    note = parse_note(text)
    assert [(e.code, e.line) for e in note.errors] == [(code, line)]
    assert note.frontmatter_data == {}
    heading_line = text.split("\n").index("# H") + 1
    assert [(s.heading, s.line) for s in note.sections] == [("H", heading_line)]
    assert note.tags == ("tag",)


@pytest.mark.parametrize("text", ["---\n---\n# H", "---\n\n---\n# H", "no frontmatter\n# H"])
def test_empty_or_absent_frontmatter_is_no_error(text: str) -> None:
    note = parse_note(text)
    assert (note.errors, note.frontmatter_data) == ((), {})


def test_title_and_path() -> None:
    note = parse_note("x", "Folder/My note.md")
    assert (note.path, note.title) == ("Folder/My note.md", "My note")


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "cr"])
def test_frontmatter_error_line_with_any_line_ending(prefix: bytes, newline: bytes) -> None:
    data = prefix + newline.join([b"---", b"a: 1", b"  b: 2", b"---", b"# H", b"#tag"])
    note = parse_source(decode(data), "note.md")
    assert [(e.code, e.line, e.col) for e in note.errors] == [("FM001", 3, 4)]
    assert ([(s.heading, s.line) for s in note.sections], note.tags) == ([("H", 5)], ("tag",))


def test_notes_sharing_their_frontmatter_text_get_their_own_data() -> None:
    # load_yaml parses a given text once; each note must still own what it holds.
    text = "---\ntags: [a]\nnested: {b: [1]}\n---\nbody\n"
    first, second = parse_note(text), parse_note(text)
    assert first.frontmatter == second.frontmatter
    assert first.frontmatter is not None and second.frontmatter is not None
    assert first.frontmatter.data is not second.frontmatter.data
    assert first.frontmatter.data["nested"] is not second.frontmatter.data["nested"]


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085"])
def test_yaml_11_line_breaks_are_text_in_frontmatter(char: str) -> None:
    # YAML 1.2 (Obsidian) reads NEL, LS and PS as characters; PyYAML's 1.1 scanner breaks
    # lines at them, which made `title: one<LS>two` broken YAML and lost the note's tags.
    text = f"---\ntitle: one{char}two\nk{char}ey: v\ntags: [a, b]\nq: \"e\\L\"\n---\n# H\n"
    note = parse_note(text)
    assert note.errors == ()
    assert note.frontmatter is not None
    assert note.frontmatter.data == {"title": f"one{char}two", f"k{char}ey": "v",
                                     "tags": ["a", "b"], "q": "e\u2028"}
    assert note.tags == ("a", "b")
    assert [(k.name, k.line) for k in note.frontmatter.keys] == [
        ("title", 2), (f"k{char}ey", 3), ("tags", 4), ("q", 5)]


def test_yaml_stand_ins_avoid_characters_the_text_holds() -> None:
    text = "---\na: \ue000\u2028\ue001\n---\n"
    note = parse_note(text)
    assert note.frontmatter is not None
    assert note.frontmatter.data == {"a": "\ue000\u2028\ue001"}


def test_a_repeated_key_leaves_no_properties_as_obsidian_refuses_them() -> None:
    # Obsidian's YAML reader rejects a mapping that repeats a key (nested ones too), and the
    # note then has no properties: no tags, aliases or property links from it (FM003 says so).
    for text, repeated in (
            ('---\ntags: [a]\nup: "[[Parent]]"\naliases: [A]\ntags: [b]\n---\n#inline\n', 5),
            ('---\ntags: [a]\nup: "[[Parent]]"\nmeta:\n  x: 1\n  x: 2\n---\n#inline\n', 6)):
        note = parse_note(text)
        assert note.tags == ("inline",) and note.aliases == () and note.links == ()
        assert note.frontmatter is not None and note.frontmatter.data == {}
        assert [(e.code, e.line) for e in note.errors] == [("FM003", repeated)]
