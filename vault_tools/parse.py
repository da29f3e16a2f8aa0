"""SourceText -> Note: frontmatter, then markdown-it-py's block pass, then our inline scanners.

markdown-it-py decides the block structure (headings, lists, paragraphs, code, quotes, tables),
so what we call a bullet or a paragraph is what a CommonMark renderer shows. Its inline pass is
not run: it costs more than the block pass and builds tokens we would throw away; our scanners
look only at the inline text of paragraphs, headings and table rows (never code, math or HTML).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from vault_tools import blocks, frontmatter_text, frontmatter_yaml
from vault_tools.blocklines import md_trim
from vault_tools.events import (
    Block,
    CloseItem,
    ContainedParagraph,
    EmptyItem,
    Event,
    Heading,
    OpenItem,
    Paragraph,
    Quote,
    SetextHeading,
    Table,
)
from vault_tools.model import Frontmatter, JSONValue, Note, Problem
from vault_tools.outline import OutlineBuilder, TextAt
from vault_tools.source import SourceText, decode
from vault_tools.syntax import callouts, comments, tags

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# markdown-it stops descending past this many nested containers (and skips what is deeper);
# the bound is what keeps 10,000 nested quotes from exhausting the stack.
MAX_NESTING = 50


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")
    # $$math$$ blocks and footnote definitions change block structure in Obsidian.
    md.use(dollarmath_plugin, allow_labels=False, allow_space=True, allow_digits=False)
    md.use(footnote_plugin)
    return md


def parse_note(text: str, path: str = "note.md") -> Note:
    """Parse one note's text (any line endings); `path` is what the note reports as its path."""
    return parse_source(decode(text.encode("utf-8", "surrogatepass")), path)


def parse_source(source: SourceText, path: str, fast: bool = True) -> Note:
    """`fast=False` sends the whole body through markdown-it-py (the reference route)."""
    lines = source.text.split("\n")
    problems = list(source.problems)
    matter, body_start = _read_frontmatter(lines, problems)
    body_lines = [""] * body_start + lines[body_start:]
    body_lines, found_comments = comments.extract(body_lines)
    builder = OutlineBuilder(total_lines=len(lines))
    for start, end, events in _plan(body_lines, fast):
        if events is None:
            _markdown_it_chunk(body_lines, start, end, builder)
        else:
            _replay(events, body_lines, builder)
    outline = builder.finish()
    data = matter.data if matter else {}
    return Note(
        path=path,
        title=_title(path),
        frontmatter=matter,
        tags=_merge_tags(_frontmatter_tags(data), [tag.name for tag in outline.tags]),
        aliases=tuple(_string_list(data.get("aliases", data.get("alias")))),
        preamble=outline.preamble,
        sections=outline.sections,
        highlights=outline.highlights,
        links=outline.links,
        inline_tags=outline.tags,
        callouts=outline.callouts,
        block_ids=outline.block_ids,
        comments=tuple(found_comments),
        inline_texts=outline.inline_texts,
        verbatim=outline.verbatim,
        errors=tuple(sorted(problems, key=lambda p: (p.line, p.col, p.code))),
    )


def _title(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.endswith(".md") else name


def _read_frontmatter(lines: list[str], problems: list[Problem]) -> tuple[Frontmatter | None, int]:
    """The frontmatter (None when absent or broken) and the index of the body's first line."""
    end = frontmatter_text.find_block(lines)
    if end is None:
        return None, 0
    raw = "\n".join(lines[1:end])
    matter, found = frontmatter_yaml.load_yaml(raw, first_line=2, end_line=end + 1)
    problems.extend(found)
    return matter, end + 1


def _string_list(value: JSONValue) -> list[str]:
    """A YAML list, or a string of comma/space separated items, as clean strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in re.split(r"[,\s]+", value) if part]
    if isinstance(value, list):
        return [str(item).strip() for item in value if item is not None and str(item).strip()]
    return [str(value)]


def _frontmatter_tags(data: dict[str, JSONValue]) -> list[str]:
    names = _string_list(data.get("tags")) + _string_list(data.get("tag"))
    return [tags.normalise(name) for name in names if tags.normalise(name)]


def _merge_tags(*groups: list[str]) -> tuple[str, ...]:
    """Frontmatter first; duplicates dropped case-insensitively, the first spelling kept."""
    seen: set[str] = set()
    merged: list[str] = []
    for group in groups:
        for name in group:
            key = name.casefold()
            if key not in seen:
                seen.add(key)
                merged.append(name)
    return tuple(merged)


def _plan(lines: list[str], fast: bool) -> list[blocks.Segment]:
    """Segments with their fast-path events, or None where markdown-it must parse."""
    return blocks.plan(lines) if fast else [(0, len(lines), None)]


def _markdown_it_chunk(lines: list[str], start: int, end: int, builder: OutlineBuilder) -> None:
    md = markdown_parser()
    text = "\n".join(lines[start:end])
    if end < len(lines):
        # markdown-it drops the "" after a text's last newline. A chunk ends with blank lines,
        # and a block of a list item before them (a fence, an HTML block) runs over them to
        # the item's end, as it does in the whole note: they must all count.
        text += "\n"
    tokens = md.block.parse(text, md, {}, [])
    _walk(tokens or [], lines, start, builder)


def _replay(events: list[Event], lines: list[str], builder: OutlineBuilder) -> None:
    """Feed the fast path's events to the builder exactly as _walk feeds markdown-it's."""
    # The most frequent kinds first; `type(...) is` costs half as much as isinstance.
    for event in events:
        if type(event) is OpenItem:
            _item(event, lines, builder)
        elif type(event) is Paragraph:
            builder.paragraph(*_plain_paragraph(lines, event.start, event.end))
        elif type(event) is Heading:
            builder.heading(event.level, event.text, event.index + 1, (event.col,))
        elif type(event) is CloseItem:
            builder.close_item()
        elif type(event) is Block:
            builder.content((event.start + 1, event.end) if event.verbatim else None)
        elif type(event) is Table:
            _table(event.start, event.end, lines, builder)
        elif type(event) is ContainedParagraph:
            builder.paragraph(*_cut_text(lines, event.start, event.end, event.cuts))
        elif type(event) is SetextHeading:
            builder.heading(event.level, *_cut_text(lines, event.start, event.end, event.cuts))
        elif type(event) is Quote:
            _quote(event, lines, builder)
        elif type(event) is EmptyItem:
            builder.open_item(event.index + 1, event.col, event.marker)
            builder.close_item()


def _item(item: OpenItem, lines: list[str], builder: OutlineBuilder) -> None:
    line = item.index + 1
    if item.end == line:
        # One line, whose text starts with a character that is not blank (blocklines.ITEM): no
        # trim at its start, and the column is the text's offset.
        text = md_trim(lines[item.index][item.text_start:])
        if item.closed:
            builder.leaf_item(line, item.col, item.marker, text, item.text_start + 1)
            return
        paragraph: TextAt = (text, line, (item.text_start + 1,))
    else:
        paragraph = _item_paragraph(lines, item)
    builder.open_item(line, item.col, item.marker)
    builder.paragraph(*paragraph)
    if item.closed:
        builder.close_item()


def _item_paragraph(lines: list[str], item: OpenItem) -> TextAt:
    """The paragraph of an item's line and its continuation lines, less the item's indent."""
    indent = item.text_start
    text = "\n".join([lines[item.index][indent:]]
                     + [line[indent:] for line in lines[item.index + 1 : item.end]])
    return _text_at(md_trim(text), item.index, item.end, lines)


def _plain_paragraph(lines: list[str], start: int, end: int) -> TextAt:
    """The top-level paragraph on lines start to end."""
    if end - start == 1:  # most are
        source = lines[start]
        content = md_trim(source)
        # Nothing trimmed at the start (most lines): _column_of would find column 1.
        col = 1 if source.startswith(content) else _column_of(source, content)
        return content, start + 1, (col,)
    text = "\n".join(lines[start:end])
    content = md_trim(text)
    # Whole first lines the trim dropped (Unicode spaces) move the text's first line down.
    first = start + (text.count("\n", 0, text.find(content)) if content else 0)
    cols = tuple(_column_of(lines[first + row], piece)
                 for row, piece in enumerate(content.split("\n")))
    return content, first + 1, cols


def _walk(tokens: list[Token], lines: list[str], offset: int, builder: OutlineBuilder) -> None:
    """Feed markdown-it's tokens to the builder; token maps count from line `offset`."""
    index = 0
    count = len(tokens)
    while index < count:
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            inline = tokens[index + 1]
            builder.heading(int(token.tag[1]),
                            *_heading_text(inline, lines, offset, token.markup))
            index += 3
            continue
        if kind == "inline" and token.map is not None:
            builder.paragraph(*_inline_text(token, lines, offset))
        elif kind == "list_item_open" and token.map is not None:
            first = offset + token.map[0]
            builder.open_item(first + 1, _marker_col(lines[first]), _marker(token))
        elif kind == "list_item_close":
            builder.close_item()
        elif kind == "blockquote_open" and token.map is not None:
            _maybe_callout(tokens, index, offset, builder)
        elif kind == "table_open" and token.map is not None:
            _table(offset + token.map[0], offset + token.map[1], lines, builder)
            index = _skip_to(tokens, index, "table_close")
        elif kind in _VERBATIM_BLOCKS and token.map is not None:
            builder.content((offset + token.map[0] + 1, offset + token.map[1]))
        elif kind in _CONTENT_BLOCKS:
            builder.content()
        index += 1


# Blocks that make a section non-empty though they hold no text we extract; the verbatim ones
# hold text where no Markdown applies (rules skip their lines).
_VERBATIM_BLOCKS = frozenset({"fence", "code_block", "math_block", "math_block_label",
                              "html_block"})
_CONTENT_BLOCKS = frozenset({"hr", "footnote_reference_open"})


def _marker(token: Token) -> str:
    return token.markup or "-"


def _marker_col(line: str) -> int:
    return len(line) - len(line.lstrip(" \t>")) + 1


def _skip_to(tokens: list[Token], index: int, kind: str) -> int:
    while index < len(tokens) and tokens[index].type != kind:
        index += 1
    return index


def _inline_text(token: Token, lines: list[str], offset: int) -> TextAt:
    """The inline token's text with the file column where each of its lines starts."""
    assert token.map is not None
    return _text_at(token.content, offset + token.map[0], offset + token.map[1], lines)


def _text_at(content: str, first: int, end: int, lines: list[str]) -> TextAt:
    """A block's trimmed text, taken from lines `first` to `end`, with the file column where
    each of its lines starts."""
    pieces = content.split("\n")
    # The trim may have dropped whole first lines (Unicode spaces such as U+00A0 or U+2003):
    # start at the source line that really holds the text's first line.
    extra = end - first - len(pieces)
    if extra > 0 and pieces[0].strip():
        first += next((k for k in range(extra + 1)
                       if lines[first + k].rstrip().endswith(pieces[0].rstrip())), 0)
    cols: list[int] = []
    for row, piece in enumerate(pieces):
        source = lines[first + row] if first + row < len(lines) else ""
        cols.append(_column_of(source, piece))
    return content, first + 1, tuple(cols)


def _column_of(source: str, piece: str) -> int:
    """Where `piece` (a suffix of the line, less container markers) starts in `source`."""
    trimmed = source.rstrip()
    wanted = piece.rstrip()
    if wanted and trimmed.endswith(wanted):
        return len(trimmed) - len(wanted) + 1
    stripped = piece.strip()
    found = source.find(stripped) if stripped else -1
    if found < 0:
        return 1
    # Not a suffix: the piece starts with what markdown-it left of a tab it expanded, blanks
    # that are not in the file. Its text starts at `found`; the blanks come before it.
    return found + 1 - (len(piece) - len(piece.lstrip()))


def _heading_text(inline: Token, lines: list[str], offset: int, markup: str) -> TextAt:
    assert inline.map is not None
    first = offset + inline.map[0]
    if markup.startswith("#"):
        source = lines[first]
        start = source.find("#") + len(markup)
        found = source.find(inline.content, start) if inline.content else -1
        col = found + 1 if found >= 0 else start + 1
        return inline.content, first + 1, (col,)
    return _inline_text(inline, lines, offset)  # setext heading: text lines above the underline


def _maybe_callout(tokens: list[Token], index: int, offset: int, builder: OutlineBuilder
                   ) -> None:
    following = tokens[index + 1 : index + 3]
    opens_with_text = len(following) == 2 and following[0].type == "paragraph_open"
    line = offset + tokens[index].map[0] + 1  # type: ignore[index]
    _open_quote(builder, following[1].content if opens_with_text else None, line)


def _open_quote(builder: OutlineBuilder, first_paragraph: str | None, line: int) -> None:
    """A block quote opens at `line`: a callout when its first block is a paragraph whose
    first line is `[!type] Title`."""
    builder.content()
    if first_paragraph is None:
        return
    found = callouts.parse_callout(first_paragraph.split("\n", 1)[0])
    if found is not None:
        builder.callout(*found, line=line)


def _quote(event: Quote, lines: list[str], builder: OutlineBuilder) -> None:
    first = event.events[0] if event.events else None
    text = (_cut_text(lines, first.start, first.end, first.cuts)[0]
            if type(first) is ContainedParagraph else None)
    _open_quote(builder, text, event.start + 1)
    _replay(event.events, lines, builder)


def _cut_text(lines: list[str], start: int, end: int, cuts: list[int]) -> TextAt:
    """The text of lines start to end, each from its offset in `cuts` on (a paragraph in a
    container, a setext heading), as markdown-it's getLines cuts them."""
    pieces = [line[cut:] for line, cut in zip(lines[start:end], cuts, strict=True)]
    return _text_at(md_trim("\n".join(pieces)), start, end, lines)


def _table(first: int, end: int, lines: list[str], builder: OutlineBuilder) -> None:
    """Table rows are scanned whole: cell borders mean nothing to links, tags or highlights."""
    builder.content()
    for row in range(first, end):
        if row == first + 1:
            continue  # the |---|---| delimiter row
        text = lines[row]
        start = len(text) - len(text.lstrip())
        builder.inline_only(text[start:], row + 1, (start + 1,))
