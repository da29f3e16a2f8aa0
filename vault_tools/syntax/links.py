"""Links as Obsidian sees them: `[[wikilinks]]`, `![[embeds]]`, `[text](dest)`, `![alt](src)`,
`<autolinks>` and bare `https://` URLs. Each finder returns raw matches with offsets; the caller
turns offsets into positions and masks the matched text so later scanners skip it.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import unquote

from vault_tools.syntax import spans

# No `!?` in front: a pattern that starts with a literal is searched for far faster (a third
# less time on the benchmark vault); a `!` right before the match makes it an embed.
WIKILINK = re.compile(r"\[\[([^\[\]\n]+?)\]\]")
# `(?=(?P<x>\s*))(?P=x)` takes all the whitespace at once (an atomic group, before Python 3.11):
# with plain `\s*` ... `\s+` ... `\s*` every split of a long run of spaces was tried, and
# `[a](` followed by 20,000 spaces took seconds.
MARKDOWN_LINK = re.compile(
    r"\[(?P<label>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\((?=(?P<lead>\s*))(?P=lead)"
    r"(?P<dest><[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?=(?P<gap>\s*))(?P=gap)"
    r"(?:(?<=\s)(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\))(?=(?P<tail>\s*))(?P=tail))?\)"
)
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>")
# Not inside a word, a path or an HTML attribute value; Markdown link destinations and
# autolinks are masked before this runs, so `(https://...)` in prose is a URL (GFM).
# The look-behind comes after the `h` so that the pattern starts with a literal (searched for
# twice as fast); it checks the same character, the one before the `h`.
BARE_URL = re.compile(r"h(?<![\w/<\"'=]h)ttps?://[^\s<>\x00]+")
_TRAILING = ".,:;!?'\"*_~"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


# A named tuple: a frozen dataclass cost three times as much to build, once per link found.
class RawLink(NamedTuple):
    kind: str
    target: str
    heading: str | None
    block: str | None
    alias: str | None
    start: int
    end: int


def split_wikilink(inner: str) -> tuple[str, str | None, str | None, str | None]:
    """`Note#H1#H2|alias` -> (target, heading, block, alias); `\\|` (tables) counts as `|`."""
    if "|" not in inner and "#" not in inner:
        return inner.strip(), None, None, None  # most links: `[[Note]]`
    alias: str | None = None
    if "|" in inner:
        inner, alias = inner.split("|", 1)
        inner = inner.removesuffix("\\")
        alias = alias.strip()
    target, _, anchor = inner.partition("#")
    heading: str | None = None
    block: str | None = None
    if anchor:
        if anchor.startswith("^"):
            block = anchor[1:].strip()
        else:
            heading = "#".join(part.strip() for part in anchor.split("#"))
    return target.strip(), heading, block, alias


def _group(match: re.Match[str], text: str, group: int | str) -> str:
    """A group's text read from the unmasked `text` (the regex ran over the masked copy)."""
    return text[match.start(group) : match.end(group)]


def find_wikilinks(masked: str, text: str) -> list[RawLink]:
    out = []
    for match in WIKILINK.finditer(masked):
        start, end = match.span()
        target, heading, block, alias = split_wikilink(text[start + 2 : end - 2])
        if target or heading or block:
            if _bang_before(masked, start):
                out.append(RawLink("embed", target, heading, block, alias, start - 1, end))
            else:
                out.append(RawLink("wikilink", target, heading, block, alias, start, end))
    return out


def _bang_before(masked: str, start: int) -> bool:
    """Does a `!` right before a match make it an embed? (It is never in an earlier match:
    those end with `]` or `)`.)"""
    return start > 0 and masked[start - 1] == "!"


def split_destination(dest: str) -> tuple[str, str | None, str | None]:
    """`Note%20name.md#Heading` -> (target, heading, block), percent-decoded for local paths."""
    dest = dest.strip()
    if dest.startswith("<") and dest.endswith(">"):
        dest = dest[1:-1]
    if _SCHEME.match(dest):
        return dest, None, None  # external URLs keep their fragment
    path, _, anchor = dest.partition("#")
    anchor = unquote(anchor)
    if anchor.startswith("^"):
        return unquote(path), None, anchor[1:]
    return unquote(path), anchor or None, None


def find_markdown_links(masked: str, text: str) -> list[RawLink]:
    out = []
    for match in MARKDOWN_LINK.finditer(masked):
        target, heading, block = split_destination(_group(match, text, "dest"))
        label = _group(match, text, "label")
        start = match.start()
        if _bang_before(masked, start):
            out.append(RawLink("embed", target, heading, block, label, start - 1, match.end()))
        else:
            out.append(RawLink("markdown", target, heading, block, label, start, match.end()))
    return out


def find_urls(masked: str, text: str) -> list[RawLink]:
    out = []
    for match in AUTOLINK.finditer(masked):
        target = _group(match, text, 1)
        if "@" in target and ":" not in target:
            target = "mailto:" + target
        out.append(RawLink("url", target, None, None, None, match.start(), match.end()))
    if out:
        # `<mailto:https://x>` holds a bare URL too; the autolink is the link, and a second,
        # overlapping one threw every later position in the text off by one.
        masked = spans.blank(masked, [(raw.start, raw.end) for raw in out])
    for match in BARE_URL.finditer(masked):
        url = _trim_url(_group(match, text, 0))
        end = match.start() + len(url)
        out.append(RawLink("url", url, None, None, None, match.start(), end))
    return out


def _trim_url(url: str) -> str:
    """GFM's extended autolink rule: drop trailing punctuation and unbalanced `)`."""
    # Counted once and kept up to date: recounting per dropped `)` was quadratic.
    end, opened, closed = len(url), url.count("("), url.count(")")
    while end:
        last = url[end - 1]
        if last == ")" and closed > opened:
            closed -= 1
        elif last not in _TRAILING:
            break
        end -= 1
    return url[:end]
