"""What a line of Markdown may be, read from the line alone: the shapes linkscan looks for.

Regular expressions and small predicates after CommonMark and markdown-it-py's block rules
(ATX headings, setext underlines, list markers, fences, `$$` math, HTML blocks, table delimiter
rows...). They know nothing of the lines around; linkscan keeps that state.
"""

from __future__ import annotations

import bisect
import re

from markdown_it.common.html_blocks import block_names
from markdown_it.common.html_re import HTML_OPEN_CLOSE_TAG_STR

WS = " \t"  # CommonMark's spaces: a no-break space is text (`\xa0` alone is no blank line)
# A line starting with none of these (or empty) can only be paragraph text (see blocklines.py).
SPECIAL_START = frozenset([*" \t><-*+_=`~$|:[#0123456789", ""])
# After `- `, these may make the line something else than an item with text: a thematic break
# (`- - -`), an empty item or a setext underline, more indentation (code in the item).
ITEM_UNSURE = frozenset([*" \t-*_", ""])
# Block quote markers; a quote in a quote may start up to three spaces after the outer `> `.
QUOTE = re.compile(r"^ {0,3}>[ \t]?(?: {0,3}>[ \t]?)*")
QUOTE_ON = re.compile(r"^[ \t]*>[ \t]?(?: {0,3}>[ \t]?)*")  # a quote's next line, as markdown-it
FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
MATH = re.compile(r"[ \t]*\$\$")
ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
UNDERLINE = re.compile(r" {0,3}(=+|-+)[ \t]*$")
FOOTNOTE = re.compile(r" {0,3}\[\^[^\]\s]+\]:")
DELIMITER_ROW = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|(\d{1,9})[.)])(?:[ \t]|$)")
# CommonMark HTML blocks: kinds 1-5 run to their end marker, kinds 6-7 to a blank line.
# HTML_RAW finds the openers of kinds 1-5 more loosely than markdown-it-py (it ignores case
# everywhere, and then U+017F matches `s`): html_end tells which open a block.
# A kind-1 tag name must end there (`<prefix` is a paragraph), as markdown-it checks it: `\s`.
HTML_RAW = re.compile(
    r" {0,3}<((?:script|pre|style|textarea)(?=\s|>|$)|!--|\?|![A-Za-z]|!\[CDATA\[)", re.IGNORECASE)
# The end marker html_end gives a raw block (`<script>`, `<pre>`, `<style>`, `<textarea>`): it
# ends at the first line holding the end tag of any of the four, whichever opened it
# (markdown-it's pattern, ASCII case-blind).
RAW_HTML_END = "</script|pre|style|textarea>"
_RAW_END_TAG = re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE | re.ASCII)
_HTML_END = {"!--": "-->", "?": "?>"}
# Kinds 6 and 7 with markdown-it-py's own tag names and tag pattern (`\s`: any Unicode space).
HTML_BLOCK = re.compile(rf" {{0,3}}</?(?a:{'|'.join(block_names)})(?=\s|/?>|$)", re.IGNORECASE)
HTML_TAG_LINE = re.compile(rf" {{0,3}}{HTML_OPEN_CLOSE_TAG_STR.removeprefix('^')}\s*$")


def html_end(marker: str) -> str | None:
    """The end marker of the HTML block (kinds 1-5) that HTML_RAW's `marker` opens, as
    markdown-it-py reads it (html_closes finds it); None when it opens none."""
    if not marker.isascii():
        return None  # a letter matching an ASCII one only ignoring case (U+017F for `s`)
    lower = marker.lower()
    if lower in ("script", "pre", "style", "textarea"):
        return RAW_HTML_END
    if lower == "![cdata[":
        return "]]>" if marker == "![CDATA[" else None  # that opener's case matters
    return _HTML_END.get(lower, ">")  # `!--`, `?`, or `!X`: a declaration


def html_closes(text: str, closer: str) -> bool:
    """Whether `text` holds `closer`, html_end's end marker. On the opener's line, markdown-it
    looks for it from the opener's start: `<!-->` and `<?>` end there."""
    if closer == RAW_HTML_END:
        return _RAW_END_TAG.search(text) is not None
    return closer in text  # (no letters in the other markers: case does not matter)


def opens_html_block(body: str) -> bool:
    """Whether `body` opens an HTML block that may interrupt a paragraph (kinds 1-6)."""
    raw = HTML_RAW.match(body)
    if raw is not None and html_end(raw.group(1)) is not None:
        return True
    return HTML_BLOCK.match(body) is not None


def interrupts_paragraph(body: str) -> bool:
    return fence_run(body) is not None or opens_html_block(body) or any(
        pattern.match(body) for pattern in (ATX, LIST_ITEM, BREAK, QUOTE))


def fence_run(body: str) -> str | None:
    """The backticks or tildes opening a fence on this line (```` ```x` ```` opens none)."""
    fence = FENCE.match(body)
    if fence is None:
        return None
    run = fence.group(1)
    return None if run[0] == "`" and "`" in body[fence.end():] else run


def expand_indent(line: str) -> str:
    text = line.lstrip(" \t")
    return line[:len(line) - len(text)].expandtabs(4) + text


def math_end(closers: list[int], index: int, body: str) -> int | None:
    """The line closing a `$$` block opened here (as mdit-py-plugins' dollarmath finds it:
    the next line ending with `$$`, blank lines allowed), or None when it is not one.
    `closers`: the lines that end with `$$`, in order (math_closers)."""
    text = body.strip()
    if len(text) > 3:
        if text.endswith("$$"):
            return index
        if "$$" in text[2:]:
            return None
    after = bisect.bisect_right(closers, index)
    return closers[after] if after < len(closers) else None


def math_closers(lines: list[str]) -> list[int]:
    return [index for index, line in enumerate(lines)
            if "$$" in line and QUOTE.sub("", line, count=1).strip().endswith("$$")]


def cells(row: str) -> int:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return len(re.split(r"(?<!\\)\|", row)) if row else 0
