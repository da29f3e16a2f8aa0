"""Protected spans: inline code, escapes, inline math and HTML tags hold no tags, links or
highlights. `mask` overwrites them with MASK (same length, so offsets stay true) in one pass per
kind, in CommonMark's order of precedence: code spans bind before everything else.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# NUL never survives decoding (source.decode replaces it), so it is free to mark masked text.
# It is neither whitespace nor a tag character, so `x`#y` does not become a tag after masking.
MASK = "\x00"

_BACKTICKS = re.compile(r"`+")
_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
_DISPLAY_MATH = re.compile(r"(?<![\\$])\$\$(?!\$).+?(?<!\\)\$\$", re.DOTALL)
# Obsidian/Pandoc inline math: no space inside the dollars, and `$5 and $10` is not math.
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?=[^\s$])[^$\n]*?(?<=[^\s\\$])\$(?![\d$])")
# Greedy `[^<>]*` stops at the same `>` a lazy one would, without retrying every split of the
# whitespace before it (`<a` and 20,000 spaces took seconds). Comments are found apart.
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every code span, backticks included (CommonMark 6.1)."""
    if "`" not in text:
        return []
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    # Run indices by width, so that finding a closer is a bisection, not a walk over every later
    # run (a paragraph of 50,000 escaped "\\``" took minutes).
    by_width: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_width.setdefault(end - start, []).append(index)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(runs):
        start, end = runs[i]
        if _escaped(text, start):
            start += 1  # an escaped backtick is literal; the rest of the run may still open
            if start == end:
                i += 1
                continue
        same = by_width.get(end - start, [])
        found = bisect_right(same, i)
        if found == len(same):
            i += 1
            continue
        closer = same[found]
        spans.append((start, runs[closer][1]))
        i = closer + 1
    return spans


def _escaped(text: str, index: int) -> bool:
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def blank(text: str, spans: list[tuple[int, int]], fill: str = MASK) -> str:
    if not spans:
        return text
    parts: list[str] = []
    last = 0
    for start, end in sorted(spans):
        if end <= last:
            continue  # inside a span already blanked (a tag inside an HTML comment)
        if start < last:
            start = last  # overlapping spans blank once
        parts.append(text[last:start])
        chunk = text[start:end]
        if "\n" in chunk:
            # Newlines stay so that offsets keep mapping to the same lines.
            parts.append("\n".join(fill * len(piece) for piece in chunk.split("\n")))
        else:
            parts.append(fill * len(chunk))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _blank_matches(pattern: re.Pattern[str], text: str) -> str:
    return blank(text, [m.span() for m in pattern.finditer(text)])


def mask(text: str) -> str:
    """`text` with code spans, escapes, math and HTML tags overwritten by MASK."""
    masked = blank(text, code_spans(text)) if "`" in text else text
    if "\\" in masked:
        masked = _blank_matches(_ESCAPE, masked)
    if "$" in masked:
        masked = _blank_matches(_DISPLAY_MATH, masked)
        masked = _blank_matches(_INLINE_MATH, masked)
    if "<" in masked:
        masked = _mask_html(masked)
    return masked


def _mask_html(text: str) -> str:
    # Autolinks (<https://...>) never match: a tag name cannot be followed by ":".
    # Tags are looked for in the text itself, not after blanking comments: blanked, a comment
    # would no longer stop a tag (`<a <!-- x --> >`); a tag found inside a comment is harmless.
    found = html_comments(text) if "<!--" in text else []
    found.extend(match.span() for match in _HTML_TAG.finditer(text))
    return blank(text, found)


def html_comments(text: str) -> list[tuple[int, int]]:
    """(start, end) of each closed `<!-- ... -->`. A regex retried from every unclosed `<!--` to
    the end of the text: 50,000 of them in one paragraph never finished."""
    found: list[tuple[int, int]] = []
    start = text.find("<!--")
    while start != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break  # no later `<!--` can close either
        found.append((start, end + 3))
        start = text.find("<!--", end + 3)
    return found
