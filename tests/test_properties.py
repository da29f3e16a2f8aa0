"""Properties of the parser on generated notes that mix every syntax element (issue 9).

For any note: parsing never raises; every line number points inside the file and every column
inside its line; every highlight, tag and link stands in the source at its stated line and
column; the export of the note, through JSON and back, is valid against note.schema.json (also
through `vault-tools export`, which adds resolved links and backlinks).

Notes are built from blocks (frontmatter, headings, lists, tasks, quotes, callouts, code, math,
comments, tables, HTML) whose lines are built from inline pieces (wikilinks, embeds, Markdown
links, URLs, highlights, tags, block ids, code spans, math, comments, HTML), plus stray syntax
characters and arbitrary text, so that half-formed syntax is generated as often as good syntax.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from vault_tools.cli import cli
from vault_tools.export import render_jsonl
from vault_tools.model import Item, Note, Section
from vault_tools.parse import parse_note, parse_source
from vault_tools.source import decode

SCHEMA = Path(__file__).resolve().parent.parent / "vault_tools" / "schemas" / "note.schema.json"
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])

# -- generated notes -----------------------------------------------------------------------------

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(
    "abc xyz _-/é漢🌲"), min_size=1, max_size=8)
names = st.text("abcdefXYZ0129 _-/é", min_size=1, max_size=10).filter(lambda s: s.strip())
stray = st.sampled_from(["[", "]", "[[", "]]", "(", ")", "=", "==", "%", "%%", "`", "```", "$",
                         "$$", "<", ">", "#", "|", "!", "^", "\\", "*", "_", "~", ":", "://",
                         "\t", "  ", "&amp;", "<!--", "-->", "[!", "- [ ]", "\u00a0", "\ufeff"])

inline_piece = st.one_of(
    words,
    stray,
    st.builds("[[{}]]".format, names),
    st.builds("[[{}#{}|{}]]".format, names, names, names),
    st.builds("[[{}#^{}]]".format, names, st.from_regex(r"[a-z0-9-]{1,6}", fullmatch=True)),
    st.builds("![[{}.png|{}]]".format, names, st.integers(1, 999)),
    st.builds("[{}]({})".format, names, st.sampled_from(
        ["Note.md", "Note%20two.md#Head", "https://example.com/a_(b)", "<a b.md>", "x.md \"t\""])),
    st.builds("![{}]({})".format, names, st.sampled_from(["img.png", "https://e.org/i.png"])),
    st.sampled_from(["https://example.com/path?q=1.", "<https://example.org>", "<me@x.org>",
                     "http://a.b/c)", "(https://x.y/z)", "<mailto:https://x.y>"]),
    st.builds("=={}==".format, names),
    st.builds("#{}".format, st.from_regex(r"[A-Za-z_][A-Za-z0-9_/-]{0,8}", fullmatch=True)),
    st.builds("`{}`".format, names),
    st.builds("${}$".format, names),
    st.builds("%%{}%%".format, names),
    st.builds("<span>{}</span>".format, names),
    st.builds("[^{}]".format, st.integers(1, 9)),
)
inline_text = st.lists(inline_piece, min_size=1, max_size=8).map(" ".join)
block_id = st.from_regex(r" \^[a-z0-9-]{1,6}", fullmatch=True)


@st.composite
def frontmatter(draw: st.DrawFn) -> list[str]:
    keys = draw(st.lists(st.sampled_from([
        "tags: [a, b/c]", "tags:\n  - x\n  - y z", "tags: one, two", "aliases: [Other]",
        "title: \"Quoted: title\"", "date: 2024-01-02", "n: 017", "flag: no",
        "nested:\n  a: {b: [1, 2]}", "a: &x [1]\nb: *x", "dup: 1\ndup: 2", "broken: [", "- list",
        "cssclasses: wide", "empty:",
    ]), max_size=4))
    return ["---", *"\n".join(keys).split("\n"), *draw(st.sampled_from([["---"], []]))]


@st.composite
def block(draw: st.DrawFn) -> list[str]:
    text = draw(inline_text)
    kind = draw(st.sampled_from([
        "heading", "paragraph", "list", "task", "ordered", "quote", "callout", "fence", "math",
        "comment", "table", "html", "blank", "break", "footnote", "setext", "indented"]))
    if kind == "heading":
        return ["#" * draw(st.integers(1, 7)) + " " + text + draw(st.sampled_from(["", " ##"]))]
    if kind == "paragraph":
        return [text, *draw(st.lists(inline_text, max_size=2))]
    if kind in ("list", "task", "ordered"):
        indent = " " * draw(st.sampled_from([0, 0, 2, 4, 6]))
        marker = {"list": draw(st.sampled_from("-*+")) + " ",
                  "task": "- [" + draw(st.sampled_from("x ?/-")) + "] ",
                  "ordered": draw(st.sampled_from(["1. ", "2) "]))}[kind]
        return [indent + marker + text + draw(st.just("") | block_id)]
    if kind == "quote":
        return ["> " + text, ">" * draw(st.integers(1, 3)) + " " + draw(inline_text)]
    if kind == "callout":
        head = "> [!" + draw(st.sampled_from(["note", "TIP", "warning"])) + "]"
        return [head + draw(st.sampled_from(["", "+", "-"])) + " " + text, "> " + draw(inline_text)]
    if kind == "fence":
        fence = draw(st.sampled_from(["```", "~~~", "````"]))
        return [fence + "py", text, *draw(st.sampled_from([[fence], []]))]
    if kind == "math":
        return ["$$", text, *draw(st.sampled_from([["$$"], []]))]
    if kind == "comment":
        return ["%%", text, *draw(st.sampled_from([["%%"], []]))]
    if kind == "table":
        return ["| " + text + " | b |", "|---|:-:|", "| " + draw(inline_text) + " | c \\| d |"]
    if kind == "html":
        return ["<div>", text, "</div>"]
    if kind == "break":
        return [draw(st.sampled_from(["---", "***", "- - -"]))]
    if kind == "footnote":
        return ["[^1]: " + text]
    if kind == "setext":
        return [text, draw(st.sampled_from(["===", "---"]))]
    if kind == "indented":
        return ["    " + text]
    return [""]


@st.composite
def notes(draw: st.DrawFn) -> str:
    lines = draw(frontmatter()) if draw(st.booleans()) else []
    for chunk in draw(st.lists(block(), min_size=1, max_size=12)):
        lines.extend(chunk)
        if draw(st.booleans()):
            lines.append("")
    ending = draw(st.sampled_from(["\n", "\n", "", "\r\n"]))
    return ending.join(lines) + (ending if draw(st.booleans()) else "")


any_notes = notes() | st.text(max_size=300)

# -- what the properties look at -----------------------------------------------------------------


def iter_items(items: tuple[Item, ...]) -> Iterator[Item]:
    for item in items:
        yield item
        yield from iter_items(item.children)


def iter_positions(note: Note) -> Iterator[tuple[str, int, int | None]]:
    """(what, line, col or None) of everything the note reports a position for."""
    for section in (note.preamble, *note.iter_sections()):
        assert isinstance(section, Section)
        if section.heading is not None:
            yield "heading", section.line, section.col
        yield "section end", max(section.end_line, 1), None
        yield from (("paragraph", p.line, None) for p in section.paragraphs)
        yield from (("bullet", i.line, i.col) for i in iter_items(section.bullets))
        yield from (("section highlight", h.line, h.col) for h in section.highlights)
    yield from (("highlight", h.line, h.col) for h in note.highlights)
    yield from (("link", link.line, link.col) for link in note.links)
    yield from (("tag", tag.line, tag.col) for tag in note.inline_tags)
    yield from (("callout", c.line, None) for c in note.callouts)
    yield from (("block id", b.line, b.col) for b in note.block_ids)
    for comment in note.comments:
        yield "comment", comment.line, comment.col
        yield "comment end", comment.end_line, None
    yield from (("error", e.line, e.col) for e in note.errors)
    if note.frontmatter is not None:
        for key in (*note.frontmatter.keys, *note.frontmatter.duplicates):
            yield "key", key.line, key.col
            yield "value", key.value_line, key.value_col


def source_lines(text: str) -> list[str]:
    return decode(text.encode("utf-8", "surrogatepass")).lines


@cache
def note_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def exported(note: Note) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(render_jsonl(note))
    return record


# -- the properties ------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(any_notes)
def test_every_position_is_inside_the_file(text: str) -> None:
    note = parse_note(text)
    lines = source_lines(text)
    for what, line, col in iter_positions(note):
        assert 1 <= line <= len(lines), (what, line, len(lines))
        if col is not None:
            assert 1 <= col <= len(lines[line - 1]) + 1, (what, line, col)


@PROPERTY_SETTINGS
@given(notes())
def test_highlights_tags_and_links_stand_where_stated(text: str) -> None:
    note = parse_note(text)
    lines = source_lines(text)

    def at(line: int, col: int) -> str:
        return lines[line - 1][col - 1 :]

    for highlight in note.highlights:
        first = highlight.text.split("\n", 1)[0]
        assert at(highlight.line, highlight.col).startswith("==" + first), highlight
    for tag in note.inline_tags:
        assert at(tag.line, tag.col).startswith("#" + tag.name), tag
    for link in note.links:
        here = at(link.line, link.col)
        if link.kind == "url":  # `<me@x.org>` is reported as mailto:me@x.org
            shown = here.removeprefix("<")
            assert shown.startswith((link.target, link.target.removeprefix("mailto:"))), link
            continue
        assert here.startswith(("[[", "![[", "[", "![")), link
        if link.kind in ("wikilink", "embed") and here.lstrip("!").startswith("[["):
            assert link.target in here.split("]]", 1)[0], link
        elif link.alias is not None and "\n" not in link.alias:
            assert here.lstrip("!")[1:].startswith(link.alias), link
    for block in note.block_ids:
        assert at(block.line, block.col).startswith("^" + block.id), block


@PROPERTY_SETTINGS
@given(any_notes)
def test_export_through_json_is_valid_against_the_schema(text: str) -> None:
    record = exported(parse_note(text, "folder/Generated note.md"))
    errors = sorted(note_validator().iter_errors(record), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


@PROPERTY_SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_parse_and_export(data: bytes) -> None:
    """What a file on disk can hold (not UTF-8, NUL, lone CR, BOM): never an exception."""
    note = parse_source(decode(data), "bytes.md")
    assert not list(note_validator().iter_errors(exported(note)))
    lines = decode(data).lines
    for what, line, _ in iter_positions(note):
        assert 1 <= line <= len(lines), (what, line)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(notes(), min_size=1, max_size=3))
def test_cli_export_of_generated_vaults_is_valid(texts: list[str]) -> None:
    """Through `vault-tools export`, with what only the CLI adds (`resolved`, `backlinks`):
    the notes link to each other by name, so some links resolve."""
    with tempfile.TemporaryDirectory() as folder:
        vault = Path(folder)
        (vault / ".obsidian").mkdir()
        for index, text in enumerate(texts):
            (vault / f"{index}.md").write_text(text + "\n[[0]] [[1#Head]]\n", encoding="utf-8",
                                                newline="")
        result = CliRunner().invoke(cli, ["export", str(vault), "--format", "jsonl", "-j", "1"],
                                    catch_exceptions=False)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["path"] for record in records] == [f"{i}.md" for i in range(len(texts))]
    for record in records:
        assert "backlinks" in record and all("resolved" in link for link in record["links"])
        assert not list(note_validator().iter_errors(record))
