"""Every Obsidian syntax rule of the note model, one table per rule: note text in, what the parser
extracts out. Positions are in test_parse.py; here only what is found and how it is split."""

from __future__ import annotations

import pytest

from vault_tools.model import Note
from vault_tools.parse import parse_note, parse_source
from vault_tools.source import decode

LinkParts = tuple[str, str, str | None, str | None, str | None]


def links_of(text: str) -> list[LinkParts]:
    """(kind, target, heading, block, alias) of every link, in source order."""
    return [(x.kind, x.target, x.heading, x.block, x.alias) for x in parse_note(text).links]


def found(note: Note) -> tuple[list[str], list[str], list[str]]:
    """(inline tag names, link targets, highlight texts): what a note yields as content."""
    return ([t.name for t in note.inline_tags], [x.target for x in note.links],
            [h.text for h in note.highlights])


def wl(target: str, heading: str | None = None, block: str | None = None,
       alias: str | None = None, kind: str = "wikilink") -> LinkParts:
    return (kind, target, heading, block, alias)


WIKILINKS = [
    ("[[Note]]", [wl("Note")]),
    ("[[Folder/Note name]]", [wl("Folder/Note name")]),
    ("[[Note#Heading]]", [wl("Note", "Heading")]),
    ("[[Note#^block-1]]", [wl("Note", block="block-1")]),
    ("[[Note|Alias text]]", [wl("Note", alias="Alias text")]),
    ("[[Note#H1#H2]]", [wl("Note", "H1#H2")]),
    ("[[Note#H1#H2|Alias]]", [wl("Note", "H1#H2", alias="Alias")]),
    ("[[Note#^blk|Alias]]", [wl("Note", block="blk", alias="Alias")]),
    ("[[#Heading]]", [wl("", "Heading")]),
    ("[[#^block-1]]", [wl("", block="block-1")]),
    ("[[a]] then [[b]]", [wl("a"), wl("b")]),
    ("[[a]][[b]]", [wl("a"), wl("b")]),
    ("![[Note]]", [wl("Note", kind="embed")]),
    ("![[Note#Heading]]", [wl("Note", "Heading", kind="embed")]),
    ("![[image.png|100]]", [wl("image.png", alias="100", kind="embed")]),
    ("![[image.png|100x200]]", [wl("image.png", alias="100x200", kind="embed")]),
    ("[[]]", []),
    # A `!` right before makes an embed, whatever stands before it.
    ("x![[Note]] !![[B]]", [wl("Note", kind="embed"), wl("B", kind="embed")]),
    # In a table the pipe of an alias is escaped so that it does not split the cell.
    ("| [[Note\\|Alias]] | x |\n|---|---|\n| a | b |", [wl("Note", alias="Alias")]),
]


@pytest.mark.parametrize(("text", "expected"), WIKILINKS)
def test_wikilinks_and_embeds(text: str, expected: list[LinkParts]) -> None:
    assert links_of(text) == expected


MARKDOWN_LINKS = [
    ("[x](Note%20name.md#Heading)", [wl("Note name.md", "Heading", alias="x", kind="markdown")]),
    ("[x](Note.md#Some%20Heading)", [wl("Note.md", "Some Heading", alias="x", kind="markdown")]),
    ("[x](Note.md#^block-1)", [wl("Note.md", block="block-1", alias="x", kind="markdown")]),
    ("[x](<Note name.md>)", [wl("Note name.md", alias="x", kind="markdown")]),
    ('[x](Note.md "title")', [wl("Note.md", alias="x", kind="markdown")]),
    # An external URL keeps its fragment and its percent-escapes.
    ("[x](https://example.com/a%20b#frag)",
     [wl("https://example.com/a%20b#frag", alias="x", kind="markdown")]),
    ("![alt text](x.png)", [wl("x.png", alias="alt text", kind="embed")]),
    ("![](attachments/a%20b.png)", [wl("attachments/a b.png", alias="", kind="embed")]),
    ("x![a](y.png) [[N]]![b](z.md)", [wl("y.png", alias="a", kind="embed"), wl("N"),
                                       wl("z.md", alias="b", kind="embed")]),
]


@pytest.mark.parametrize(("text", "expected"), MARKDOWN_LINKS)
def test_markdown_links_and_images(text: str, expected: list[LinkParts]) -> None:
    assert links_of(text) == expected


URLS = [
    ("<https://example.com/x>", "https://example.com/x"),
    ("<https://x.com/#frag>", "https://x.com/#frag"),
    ("<me@example.com>", "mailto:me@example.com"),
    ("https://example.com", "https://example.com"),
    ("http://example.com/a", "http://example.com/a"),
    ("see https://example.com/a. Next", "https://example.com/a"),
    ("see https://example.com/a, then", "https://example.com/a"),
    ("really https://example.com/a!", "https://example.com/a"),
    ("is it https://example.com/a?", "https://example.com/a"),
    ("https://example.com/x);", "https://example.com/x"),
    ("https://en.wikipedia.org/wiki/Set_(mathematics)",
     "https://en.wikipedia.org/wiki/Set_(mathematics)"),
    ("https://example.com/a?b=1&c=2", "https://example.com/a?b=1&c=2"),
    ("https://x.com/#frag", "https://x.com/#frag"),
    ("*https://example.com/a*", "https://example.com/a"),
    pytest.param("(see https://example.com/a)", "https://example.com/a", id="inside-parens-space"),
    pytest.param("(https://example.com/a)", "https://example.com/a", id="right-after-paren"),
]


@pytest.mark.parametrize(("text", "url"), URLS)
def test_urls(text: str, url: str) -> None:
    assert links_of(text) == [wl(url, kind="url")]


@pytest.mark.parametrize("text", ["xhttps://example.com", "=https://example.com",
                                  "/https://example.com", "'https://example.com'", "éhttp://a.b"])
def test_no_bare_url_after_a_word_path_or_attribute(text: str) -> None:
    assert links_of(text) == []


def test_bare_url_after_a_rejected_one() -> None:
    # The rejected `xhttps://` match must not hide the URL that starts inside it.
    assert links_of("xhttps://a.b(https://c.d") == [wl("https://c.d", kind="url")]


HIGHLIGHTS = [
    ("==hi==", ["hi"]),
    ("a ==two words== b", ["two words"]),
    ("==a== and ==b==", ["a", "b"]),
    ("==*em* inside==", ["*em* inside"]),
    ("==a\nb==", ["a\nb"]),  # several lines of one paragraph
    ("- ==in a bullet==", ["in a bullet"]),
    ("## ==in a heading==", ["in a heading"]),
    ("== x ==", []),
    ("==x ==", []),
    ("== x==", []),
    ("====", []),
    ("==a\n\nb==", []),  # not across paragraphs
    ("`==code==`", []),
    ("\\==x==", []),
]


@pytest.mark.parametrize(("text", "expected"), HIGHLIGHTS)
def test_highlights(text: str, expected: list[str]) -> None:
    assert [h.text for h in parse_note(text).highlights] == expected


TAGS = [
    ("#tag", ["tag"]),
    ("#café", ["café"]),
    ("#日本", ["日本"]),
    ("#v2", ["v2"]),
    ("#2024-review", ["2024-review"]),
    ("#snake_case", ["snake_case"]),
    ("#kebab-case", ["kebab-case"]),
    ("#area/sub/leaf", ["area/sub/leaf"]),
    ("text #a and #b", ["a", "b"]),
    ("text\t#tab", ["tab"]),
    ("#tag. Next", ["tag"]),
    ("#tag, more", ["tag"]),
    ("one\n#two #three#four\t#five", ["two", "three", "five"]),
    ("> #quoted", ["quoted"]),
    ("- #in-list", ["in-list"]),
    ("## Heading #in-heading", ["in-heading"]),
    ("#123", []),
    ("#2024", []),
    ("a#b", []),
    ("word#tag", []),
    ("(#tag)", []),
    ("[[a]]#b", []),
    ("# Heading", []),
    ("[[Note#Heading]]", []),
    ("[x](Note.md#Heading)", []),
    ("[[Note|#alias]]", []),
    ("https://x.com/#frag", []),
    ("<https://x.com/#frag>", []),
    ("[x](https://x.com/#frag)", []),
]


@pytest.mark.parametrize(("text", "expected"), TAGS)
def test_inline_tags(text: str, expected: list[str]) -> None:
    note = parse_note(text)
    assert [t.name for t in note.inline_tags] == expected
    assert list(note.tags) == expected


def test_tag_at_line_start_is_not_a_heading() -> None:
    note = parse_note("#tag\ntext")
    assert (note.sections, note.tags) == ((), ("tag",))
    assert [p.text for p in note.preamble.paragraphs] == ["#tag\ntext"]


CALLOUTS = [
    ("> [!note] Title\n> body", ("note", "Title", None)),
    ("> [!NOTE] Upper", ("note", "Upper", None)),
    ("> [!Tip]+ Open", ("tip", "Open", "+")),
    ("> [!warning]- Closed", ("warning", "Closed", "-")),
    ("> [!my-Custom] Any type", ("my-custom", "Any type", None)),
    ("> [!faq]", ("faq", "", None)),
    ("> [!todo]-", ("todo", "", "-")),
    ("> plain quote", None),
    ("[!note] not in a quote", None),
    ("```\n> [!note] in code\n```", None),
]


@pytest.mark.parametrize(("text", "expected"), CALLOUTS)
def test_callouts(text: str, expected: tuple[str, str, str | None] | None) -> None:
    got = [(c.type, c.title, c.fold) for c in parse_note(text).callouts]
    assert got == ([expected] if expected else [])


def test_callout_line() -> None:
    note = parse_note("Text.\n\n> [!info] Later\n> body\n\n> [!tip]")
    assert [(c.type, c.line) for c in note.callouts] == [("info", 3), ("tip", 6)]


BLOCK_IDS = [
    ("A paragraph ^block-1", ("block-1", 1, 13)),
    ("- item ^abc", ("abc", 1, 8)),
    ("line one\nline two ^end", ("end", 2, 10)),
    ("Trailing space ^id  ", ("id", 1, 16)),
    ("no id^here", None),
    ("a ^id then text", None),
    ("`code ^x`", None),
    ("a ^under_score", None),
]


@pytest.mark.parametrize(("text", "expected"), BLOCK_IDS)
def test_block_ids(text: str, expected: tuple[str, int, int] | None) -> None:
    got = [(b.id, b.line, b.col) for b in parse_note(text).block_ids]
    assert got == ([expected] if expected else [])


TASKS = [
    ("- [ ] todo", " ", "todo", "-"),
    ("- [x] done", "x", "done", "-"),
    ("- [X] Done", "X", "Done", "-"),
    ("- [?] maybe", "?", "maybe", "-"),
    ("- [/] half", "/", "half", "-"),
    ("- [-] dropped", "-", "dropped", "-"),
    ("- [x]", "x", "", "-"),
    ("* [x] star", "x", "star", "*"),
    ("+ [ ] plus", " ", "plus", "+"),
    ("1. [x] ordered", "x", "ordered", "."),
    ("1) [ ] paren", " ", "paren", ")"),
    ("- plain", None, "plain", "-"),
    ("- [xx] no", None, "[xx] no", "-"),
    ("- [x]no-space", None, "[x]no-space", "-"),
    ("- [] empty", None, "[] empty", "-"),
    ("- not [x] a task", None, "not [x] a task", "-"),
]


@pytest.mark.parametrize(("text", "task", "body", "marker"), TASKS)
def test_tasks(text: str, task: str | None, body: str, marker: str) -> None:
    [item] = parse_note(text).preamble.bullets
    assert (item.task, item.text, item.marker) == (task, body, marker)


# What a code block, math, HTML or a comment hides: a tag, a wikilink, a highlight and a URL.
HIDDEN = "#notag [[nolink]] ==nohl== https://example.com/nourl"

INERT = [
    pytest.param(f"`{HIDDEN}` #after", ["after"], id="code-span"),
    pytest.param(f"``{HIDDEN} ` `` #after", ["after"], id="code-span-double"),
    pytest.param(f"```\n{HIDDEN}\n```\n\n#after", ["after"], id="fence-backtick"),
    pytest.param(f"~~~md\n{HIDDEN}\n~~~\n#after", ["after"], id="fence-tilde"),
    pytest.param(f"- item\n  ```\n  {HIDDEN}\n  ```\n\n#after", ["after"], id="fence-in-list"),
    pytest.param(f"> ```\n> {HIDDEN}\n> ```\n\n#after", ["after"], id="fence-in-quote"),
    pytest.param(f"Para.\n\n    {HIDDEN}\n\n#after", ["after"], id="indented-code"),
    pytest.param(f"${HIDDEN}$ #after", ["after"], id="inline-math"),
    pytest.param(f"$${HIDDEN}$$ #after", ["after"], id="display-math-inline"),
    pytest.param(f"$$\n{HIDDEN}\n$$\n\n#after", ["after"], id="display-math-block"),
    pytest.param(f"<div>\n{HIDDEN}\n</div>\n\n#after", ["after"], id="html-block"),
    pytest.param(f"<!--\n{HIDDEN}\n-->\n\n#after", ["after"], id="html-comment-block"),
    pytest.param(f"text <!-- {HIDDEN} --> #after", ["after"], id="html-comment-inline"),
    pytest.param(f"Text %%{HIDDEN}%% #after", ["after"], id="comment-inline"),
    pytest.param(f"a %%x%% #after %%{HIDDEN}%%", ["after"], id="comment-twice-on-a-line"),
    pytest.param(f"%%\n{HIDDEN}\n\n# Heading\n%%\n#after", ["after"], id="comment-multi-line"),
    pytest.param(f"#before\n%%\n{HIDDEN}\n\n# Heading", ["before"], id="comment-unclosed"),
    pytest.param("\\#notag \\[\\[nolink]] \\==nohl== #after", ["after"], id="escapes"),
    pytest.param("\\[[nolink]] #after", ["after"], id="escaped-first-bracket"),
    pytest.param("$5 and #after $10", ["after"], id="dollars-are-not-math"),
]


@pytest.mark.parametrize(("text", "tags"), INERT)
def test_nothing_is_found_in_code_math_html_comments_escapes(text: str, tags: list[str]) -> None:
    note = parse_note(text)
    assert found(note) == (tags, [], [])
    assert [s.heading for s in note.iter_sections()] == []


COMMENTS = [
    ("a %%c%% b", [(1, 3, 1, True)]),
    ("a %%c%% b %%d%%", [(1, 3, 1, True), (1, 11, 1, True)]),
    ("x\n%%\nhidden\n%%\ny", [(2, 1, 4, True)]),
    ("x\nend %%open\nto the end", [(2, 5, 3, False)]),
    ("x `%%` y `%%`", []),
    ("```\n%%\n```", []),
    # Only lines with `%%` or a fence are looked at: the lines between must not count.
    ("a\nb\n```\nc\n~~~\n%%\n```\nd\n%%x%%", [(9, 1, 9, True)]),
    ("> ```\n> %%\n> ```\n\ntext\n\n%%\n%%", [(7, 1, 8, True)]),
    ("%%\n```\n%%\nx\n```\n%%\ny", [(1, 1, 3, True)]),  # the last `%%` is in a fence
    ("x\n\n\n  %% a\n\n```\nb %%", [(4, 3, 7, True)]),
]


@pytest.mark.parametrize(("text", "expected"), COMMENTS)
def test_comment_spans(text: str, expected: list[tuple[int, int, int, bool]]) -> None:
    got = [(c.line, c.col, c.end_line, c.closed) for c in parse_note(text).comments]
    assert got == expected


@pytest.mark.parametrize("text", ["x `%%` #t1 `%%` #t2", "```\n%%\n```\n#t1\n\n#t2"])
def test_percent_signs_in_code_open_no_comment(text: str) -> None:
    assert parse_note(text).tags == ("t1", "t2")


# On a line that begins inside a comment, what follows the closing `%%` must stay content
# (blanking the comment with spaces would indent it into a code block).
@pytest.mark.parametrize(("text", "expected"), [
    ("%%c%% #after [[Link]]", [("after", 1, 7)]),
    ("Text %%hidden\n[[no]]\nstill hidden%% #after", [("after", 3, 16)]),
])
def test_text_after_a_comment_is_content(text: str, expected: list[tuple[str, int, int]]) -> None:
    note = parse_note(text)
    assert [(t.name, t.line, t.col) for t in note.inline_tags] == expected


# The same after a list marker or a quote's `>`: spaces there made the item's or quote's text
# an indented code block, and its links and tags were lost.
@pytest.mark.parametrize(("text", "bullets", "paragraphs", "links"), [
    ("- %%comment%% text [[L]] #t\n", ["text [[L]] #t"], [], [("L", 1, 20)]),
    ("1. %%c%%     x [[M]]\n", ["x [[M]]"], [], [("M", 1, 16)]),
    ("> %%comment%% quoted [[Q]]\n", [], ["quoted [[Q]]"], [("Q", 1, 22)]),
    ("> - %%c%% in both [[B]]\n", ["in both [[B]]"], [], [("B", 1, 19)]),
    ("- item\n  - %%c%% nested [[N]]\n", ["item"], [], [("N", 2, 18)]),
])
def test_text_after_a_comment_after_a_marker_is_content(
        text: str, bullets: list[str], paragraphs: list[str],
        links: list[tuple[str, int, int]]) -> None:
    for fast in (True, False):  # the fast path and markdown-it alike
        note = parse_source(decode(text.encode()), "note.md", fast=fast)
        assert [item.text for item in note.preamble.bullets] == bullets
        assert [p.text for p in note.preamble.paragraphs] == paragraphs
        assert [(link.target, link.line, link.col) for link in note.links] == links
