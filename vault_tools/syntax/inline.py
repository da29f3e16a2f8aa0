"""One pass of every inline scanner over a block's text (a paragraph, heading or table row).

A Fragment is the block's text as markdown-it hands it over (container markers and indentation
already removed) plus the file column where each of its lines starts, so every match can be
reported at its true line and column.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from vault_tools.model import BlockId, Link, Tag
from vault_tools.syntax import blockids, highlights, links, spans, tags

# A block holding none of these cannot hold anything we extract (or anything the inline rules
# look for); most prose and most list items are skipped by this one search.
_TRIGGER = re.compile(r"\[\[|\]\(|==|#|<|\^|://")


@dataclass(frozen=True, slots=True)
class Fragment:
    text: str
    line: int  # file line of the text's first line
    cols: tuple[int, ...]  # file column (1-based) where each line of `text` starts

    def position(self, offset: int) -> tuple[int, int]:
        if len(self.cols) == 1:  # one line (a column per line): no line starts to look up
            return self.line, self.cols[0] + offset
        starts = line_starts(self.text)
        row = bisect_right(starts, offset) - 1
        return self.line + row, self.cols[row] + offset - starts[row]


# Counting newlines up to each match made a paragraph of 500,000 tags take minutes (quadratic);
# the line starts are found once per text. Keyed by the text itself: rules build a new Fragment
# for every match of the same text, and a str caches its hash, so each lookup is cheap.
@lru_cache(maxsize=8)
def line_starts(text: str) -> tuple[int, ...]:
    """Offset of the first character of each line of `text`."""
    starts = [0]
    found = text.find("\n")
    while found != -1:
        starts.append(found + 1)
        found = text.find("\n", found + 1)
    return tuple(starts)


@dataclass(slots=True)
class Inline:
    links: list[Link] = field(default_factory=list)
    highlights: list[tuple[str, int, int]] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    block_id: BlockId | None = None
    # The text with code, math, HTML, escapes and links overwritten (same length): the prose
    # that rules look through.
    masked: str = ""


def scan(fragment: Fragment) -> Inline | None:
    """What the fragment holds; None when it holds no trigger (nothing found, nothing masked)."""
    text = fragment.text
    if _TRIGGER.search(text) is None:
        return None
    result = Inline(masked=text)
    masked = spans.mask(text)
    masked = result.masked = _take_links(fragment, masked, result)
    for start, end in highlights.find_highlights(masked):
        line, col = fragment.position(start - 2)  # the opening `==`, as findings point there
        result.highlights.append((text[start:end], line, col))
    for name, offset in tags.find_tags(masked):
        line, col = fragment.position(offset)
        result.tags.append(Tag(name, line, col))
    found = blockids.find_block_id(masked)
    if found is not None:
        line, col = fragment.position(found[1])
        result.block_id = BlockId(found[0], line, col)
    return result


def _take_links(fragment: Fragment, masked: str, result: Inline) -> str:
    """Find links in precedence order, masking each kind before the next looks."""
    found: list[links.RawLink] = []
    # Each finder runs only when its syntax can be present, in precedence order.
    for present, finder in (("[[" in masked, links.find_wikilinks),
                            ("](" in masked, links.find_markdown_links),
                            ("://" in masked or "<" in masked, links.find_urls)):
        if not present:
            continue
        batch = finder(masked, fragment.text)
        if batch:
            found.extend(batch)
            masked = spans.blank(masked, [(raw.start, raw.end) for raw in batch])
    found.sort(key=lambda raw: raw.start)
    for raw in found:
        line, col = fragment.position(raw.start)
        result.links.append(
            Link(raw.kind, raw.target, raw.heading, raw.block, raw.alias, line, col)
        )
    return masked
