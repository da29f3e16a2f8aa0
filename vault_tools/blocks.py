"""Splitting a note's body into top-level chunks, and a fast path for the simple ones.

markdown-it-py's block pass is the reference for structure, but it costs a Python call per rule
per line. Most of a real note is plain paragraphs and ATX headings, whose structure needs no
such machinery. The body is cut into chunks at points where CommonMark's block state is known to
be clean (a blank line followed by a line starting in column 1, outside any fenced code, `$$`
math or multi-line HTML block); a chunk made only of ATX headings and paragraph lines that no
block rule could claim is handled here, and every other chunk goes to markdown-it-py.

Cutting more cautiously than needed only costs speed: a chunk that is unsure goes to markdown-it.
tests/test_fast_path.py checks that both routes give identical notes on every corpus note, the
benchmark vault and generated notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from markdown_it.common import utils as _md_utils

# Trim exactly as the installed markdown-it-py trims paragraph and heading text (older
# releases used str.strip, newer ones strip only CommonMark whitespace).
md_trim: Callable[[str], str] = getattr(_md_utils, "mdTrim", str.strip)

_ATX = re.compile(r"(#{1,6})(?:[ \t]|$)")
_SETEXT_EQUALS = re.compile(r"=+[ \t]*$")
_ORDERED = re.compile(r"\d{1,9}[.)]")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_MATH_OPEN = re.compile(r"^ {0,3}\$\$")
# HTML blocks of CommonMark kinds 1-5 run past blank lines until their own end marker.
_HTML_OPEN = re.compile(r"^ {0,3}<(script|pre|style|textarea|!--|\?|![A-Za-z]|!\[CDATA\[)",
                        re.IGNORECASE)
_HTML_CLOSE = {"script": "</script>", "pre": "</pre>", "style": "</style>",
               "textarea": "</textarea>", "!--": "-->", "?": "?>", "![cdata[": "]]>"}
# First characters that some block rule may claim (lists, quotes, code, tables, HTML, math,
# setext underlines, thematic breaks, reference and footnote definitions).
_UNSAFE_START = frozenset(" \t>-+*_=|<$~`:[0123456789")


def is_plain_line(line: str) -> bool:
    """True when no block rule but `heading` or `paragraph` can apply to this line."""
    first = line[0]
    if first not in _UNSAFE_START:
        return True
    if first == "[":
        return line.startswith("[[")  # a reference label cannot contain `[`
    if first == "=":
        return _SETEXT_EQUALS.match(line) is None
    if first.isdigit():
        return _ORDERED.match(line) is None
    return False


def _closer(line: str) -> str | None:
    """The end marker of a block that may span blank lines, if `line` opens one."""
    fence = _FENCE_OPEN.match(line)
    if fence is not None:
        return fence.group(1)
    if _MATH_OPEN.match(line) is not None:
        rest = line.lstrip(" ")[2:]
        return None if "$$" in rest else "$$"
    html = _HTML_OPEN.match(line)
    if html is not None:
        marker = html.group(1).lower()
        closing = _HTML_CLOSE.get(marker, ">" if marker.startswith("!") else "")
        return None if closing and closing in line[html.end():].lower() else closing or None
    return None


def _closes(line: str, closer: str) -> bool:
    if closer[0] in "`~":
        stripped = line.lstrip(" ")
        run = len(stripped) - len(stripped.lstrip(closer[0]))
        return (len(line) - len(stripped) < 4 and run >= len(closer)
                and not stripped[run:].strip(" \t"))
    return closer in line.lower()


def iter_chunks(lines: list[str]) -> Iterator[tuple[int, int, bool]]:
    """(start, end, plain) line ranges covering `lines`; `plain` chunks take the fast path."""
    start = 0
    plain = True
    previous_blank = False
    closer: str | None = None
    for index, line in enumerate(lines):
        if closer is not None:
            if _closes(line, closer):
                closer = None
            previous_blank = False
            continue
        if not line.strip(" \t"):  # markdown-it's notion of an empty line
            previous_blank = True
            continue
        if previous_blank and line[0] not in " \t" and index > start:
            yield start, index, plain
            start, plain = index, True
        previous_blank = False
        if plain and not is_plain_line(line):
            plain = False
        if not plain:
            closer = _closer(line)
    if start < len(lines):
        yield start, len(lines), plain


def atx_heading(line: str) -> tuple[int, str, int] | None:
    """(level, text, 1-based column of the text) of an ATX heading in column 1."""
    match = _ATX.match(line)
    if match is None:
        return None
    level = len(match.group(1))
    end = len(line.rstrip(" \t"))
    begin = level
    if end < begin:
        end = begin
    tail = end
    while tail > begin and line[tail - 1] == "#":
        tail -= 1
    if begin < tail < end and line[tail - 1] in " \t":
        end = tail  # drop the optional closing `###` sequence
    text = md_trim(line[begin:end])
    found = line.find(text, begin) if text else -1
    return level, text, (found + 1 if found >= 0 else begin + 1)
