"""One pass of every inline scanner over a block's text (a paragraph, heading or table row).

A Fragment is the block's text as markdown-it hands it over (container markers and indentation
already removed) plus the file column where each of its lines starts, so every match can be
reported at its true line and column.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from vault_tools.model import BlockId, Link, Tag, new_link
from vault_tools.syntax import blockids, highlights, links, spans, tags

# A block holding none of these cannot hold anything we extract (or anything the inline rules
# look for); most prose and most list items are skipped by this one search.
TRIGGER = re.compile(r"\[\[|\]\(|==|#|<|\^|://")


# Not frozen: scan builds one for each text that holds a trigger, and a frozen dataclass costs
# three times as much to build. Nothing changes one once built.
@dataclass(slots=True)
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
    links: list[Link]
    highlights: list[tuple[str, int, int]]
    tags: list[Tag]
    block_id: BlockId | None
    # The text with code, math, HTML, escapes and links overwritten (same length): the prose
    # that rules look through.
    masked: str


def scan(text: str, line: int, cols: tuple[int, ...]) -> Inline:
    """What a block's text holds (`line` and `cols` as in Fragment). Only for a text where
    TRIGGER finds something: any other holds nothing, and is its own masked text."""
    # Most texts that get here hold a link or two and nothing else: a finder is called only
    # when its delimiter is present.
    raws, masked = _find_links(spans.mask(text), text)
    position = Fragment(text, line, cols).position
    found = Inline([new_link(*raw[:5], *position(raw.start)) for raw in raws], [], [], None,
                   masked)
    if "==" in masked:
        for start, end in highlights.find_highlights(masked):
            # The opening `==`, as findings point there.
            found.highlights.append((text[start:end], *position(start - 2)))
    if "#" in masked:
        found.tags = [Tag(name, *position(offset)) for name, offset in tags.find_tags(masked)]
    if "^" in masked:
        block_id = blockids.find_block_id(masked)
        if block_id is not None:
            found.block_id = BlockId(block_id[0], *position(block_id[1]))
    return found


def _find_links(masked: str, text: str) -> tuple[list[links.RawLink], str]:
    """The links in source order, and `masked` with them masked too. Each kind is looked for
    in precedence order, with the kinds before it masked."""
    found: list[links.RawLink] = []
    if "[[" in masked:
        masked = _take(links.find_wikilinks(masked, text), found, masked)
    if "](" in masked:
        masked = _take(links.find_markdown_links(masked, text), found, masked)
    if "://" in masked or "<" in masked:
        masked = _take(links.find_urls(masked, text), found, masked)
    if len(found) > 1:
        found.sort(key=lambda raw: raw.start)
    return found, masked


def _take(batch: list[links.RawLink], found: list[links.RawLink], masked: str) -> str:
    """Add `batch` to `found`; returns `masked` with its links masked."""
    if not batch:
        return masked
    found.extend(batch)
    return spans.blank(masked, [(raw.start, raw.end) for raw in batch])
