"""What a line of Markdown may be, read from the line alone: the shapes the planner (blocks.py)
and the chunk cutter (chunks.py) test lines for.

Regular expressions and small predicates after CommonMark and markdown-it-py's block rules
(list markers, HTML blocks). They know nothing of the lines around; the planner keeps that state.
"""

from __future__ import annotations

import re

# A line starting with none of these (or empty) can only be paragraph text (see blocklines.py).
SPECIAL_START = frozenset([*" \t><-*+_=`~$|:[#0123456789", ""])
LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|(\d{1,9})[.)])(?:[ \t]|$)")

# CommonMark HTML blocks of kinds 1-5 run to their end marker, over blank lines (kinds 6-7 end
# at a blank line).
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
