"""SourceText -> Note: frontmatter, then markdown-it-py's block pass, then our inline scanners.

markdown-it-py decides the block structure (headings, lists, paragraphs, code, quotes, tables),
so what we call a bullet or a paragraph is what a CommonMark renderer shows. Its inline pass is
not run: it costs more than the block pass and builds tokens we would throw away; our scanners
look only at the inline text of paragraphs, headings and table rows (never code, math or HTML).
The fast path (blocks.py) plans the simple chunks of a body without markdown-it; here each chunk
goes down its route: tokenwalk.py feeds markdown-it's tokens to the outline, replay.py the fast
path's events, both through blocktext.py's helpers.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from vault_tools import blocks, frontmatter_text, frontmatter_yaml
from vault_tools.model import INTERNAL_ERROR, Comment, Frontmatter, JSONValue, Link, Note, Problem
from vault_tools.outline import Outline, OutlineBuilder
from vault_tools.replay import replay
from vault_tools.source import SourceText, decode
from vault_tools.syntax import comments, proplinks, tags
from vault_tools.tokenwalk import walk

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

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
    try:
        found_comments, outline = _read_body(body_lines, len(lines), fast)
    except Exception as exc:  # a bug here or in markdown-it-py: report it, lose only this body
        problems.append(Problem(INTERNAL_ERROR, f"internal error while parsing the note: "
                                f"{type(exc).__name__}: {exc} (please report); its headings, "
                                "lists, links and tags are left out", 1))
        found_comments, outline = [], OutlineBuilder(total_lines=len(lines)).finish()
    return Note(
        path=path,
        title=_title(path),
        frontmatter=matter,
        tags=_merge_tags(_frontmatter_tags(matter), [tag.name for tag in outline.tags]),
        aliases=_aliases(matter),
        preamble=outline.preamble,
        sections=outline.sections,
        highlights=outline.highlights,
        links=_property_links(matter, lines) + outline.links,
        inline_tags=outline.tags,
        callouts=outline.callouts,
        block_ids=outline.block_ids,
        comments=tuple(found_comments),
        inline_texts=outline.inline_texts,
        verbatim=outline.verbatim,
        errors=tuple(sorted(problems, key=lambda p: (p.line, p.col, p.code))),
    )


def _read_body(body_lines: list[str], total: int, fast: bool) -> tuple[list[Comment], Outline]:
    body_lines, found_comments = comments.extract(body_lines)
    builder = OutlineBuilder(total_lines=total)
    for start, end, events in _plan(body_lines, fast):
        if events is None:
            _markdown_it_chunk(body_lines, start, end, builder)
        else:
            replay(events, body_lines, builder)
    return found_comments, builder.finish()


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


# A string value is a list written on one line. A tag cannot hold a space, so spaces separate
# tags too (tags.STRING_SEPARATORS); an alias can (`aliases: My Note, Other` is two aliases).
_ALIAS_SEPARATORS = re.compile(r"\s*,\s*")


def _property_links(matter: Frontmatter | None, lines: list[str]) -> tuple[Link, ...]:
    if matter is None or "[[" not in matter.raw:  # nearly every note: no link up there
        return ()
    return tuple(proplinks.property_links(matter, lines))


def _string_list(value: JSONValue, separators: re.Pattern[str] = tags.STRING_SEPARATORS
                 ) -> list[str]:
    """A YAML list, or a string of items split at `separators`, as clean strings. Obsidian
    takes the strings of a list only: a number, boolean, list or mapping names nothing."""
    if isinstance(value, str):
        return [part for part in separators.split(value.strip()) if part]
    if isinstance(value, list):
        return [item.strip() for item in value if isinstance(item, str) and item.strip()]
    return []


def _frontmatter_tags(matter: Frontmatter | None) -> list[str]:
    """The frontmatter's tag names that Obsidian shows as tags (FM004 reports the others)."""
    if matter is None:
        return []
    names = _string_list(matter.value_of("tags")) + _string_list(matter.value_of("tag"))
    return [name for name in map(tags.normalise, names) if tags.is_valid_name(name)]


def _aliases(matter: Frontmatter | None) -> tuple[str, ...]:
    if matter is None:
        return ()
    value = matter.value_of("aliases")
    return tuple(_string_list(matter.value_of("alias") if value is None else value,
                              _ALIAS_SEPARATORS))


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
    try:
        tokens = md.block.parse(text, md, {}, [])
    except IndexError:
        if text.endswith("\n"):
            raise
        # markdown-it-py reads one character past the end of a text whose last line is a
        # quote marker under an HTML block in a list (`> - <!--`, then `>` with no newline
        # after it), where markdown-it reads NaN and goes on. A final newline adds no line
        # after a line that is not blank, and is the character markdown-it sees there.
        tokens = md.block.parse(text + "\n", md, {}, [])
    walk(tokens or [], lines, start, builder)
