"""Obsidian comments: `%%` ... `%%`, inline or over several lines, hidden in reading view.

They are found before the Markdown parse (a comment may span blocks) and blanked with spaces,
so their content yields no tags, links or highlights; `%%` inside fenced code or a code span is
text. An unclosed `%%` hides the rest of the file, as in Obsidian.
"""

from __future__ import annotations

import re

from vault_tools.model import Comment
from vault_tools.syntax.spans import MASK, code_spans

_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
# What may stand before a line's text without being text: indentation, quote markers and list
# markers (each followed by a space or tab, as a list item's marker is).
_MARKERS_ONLY = re.compile(r"(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t])))*[ \t]*")


def _fence_toggle(line: str, fence: str | None) -> str | None:
    """The open fence after `line`: a new one, the same, or None when `line` closes it."""
    match = _FENCE.match(line)
    if match is None:
        return fence
    run = match.group(1)
    if fence is None:
        if run[0] == "`" and "`" in line[match.end():]:
            return None  # ```` ```inline``` ```` is a code span, not a fence
        return run
    if run[0] == fence[0] and len(run) >= len(fence) and not line[match.end():].strip():
        return None
    return fence


def _free_positions(line: str) -> list[int]:
    """Offsets of `%%` on the line that are not inside a code span."""
    spans = code_spans(line) if "`" in line else []
    found: list[int] = []
    start = line.find("%%")
    span = 0  # spans are sorted and disjoint: walk them alongside (a line of 50,000 "`%%`")
    while start != -1:
        while span < len(spans) and spans[span][1] <= start:
            span += 1
        if span == len(spans) or start < spans[span][0]:
            found.append(start)
            start = line.find("%%", start + 2)
        else:
            start = line.find("%%", start + 1)
    return found


Span = tuple[int, int, int, int, bool]


def _lines_to_look_at(lines: list[str]) -> list[int]:
    """Indices of the lines find_comments must look at, in order: those holding `%%` or a run
    of three backticks or tildes (all fence lines among them). Every other line leaves its
    state as it is; they are found by searching the whole text (a regex tried at every
    character cost more than the loop over lines it replaced). [] when no line holds `%%`."""
    text = "\n".join(lines)
    if "%%" not in text:
        return []
    offsets = sorted(_offsets(text, "%%") + _offsets(text, "```") + _offsets(text, "~~~"))
    indices: list[int] = []
    row = 0
    last = 0
    for offset in offsets:
        row += text.count("\n", last, offset)
        last = offset
        if not indices or indices[-1] != row:
            indices.append(row)
    return indices


def _offsets(text: str, needle: str) -> list[int]:
    found: list[int] = []
    at = text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + len(needle))
    return found


def find_comments(lines: list[str]) -> list[Span]:
    """(start line, start col, end line, end col, closed): 0-based, end col exclusive."""
    found: list[Span] = []
    fence: str | None = None
    open_at: tuple[int, int] | None = None
    for index in _lines_to_look_at(lines):
        line = lines[index]
        if open_at is None and "%%" not in line:
            fence = _fence_toggle(line, fence)
            continue
        if open_at is None and fence is not None:
            fence = _fence_toggle(line, fence)
            continue
        for pos in _free_positions(line) if open_at is None else _all_positions(line):
            if open_at is None:
                open_at = (index, pos)
            elif (index, pos) >= (open_at[0], open_at[1] + 2):
                found.append((open_at[0], open_at[1], index, pos + 2, True))
                open_at = None
        if open_at is None:
            fence = _fence_toggle(line, fence) if "%%" not in line else fence
    if open_at is not None:
        found.append((open_at[0], open_at[1], len(lines) - 1, len(lines[-1]), False))
    return found


def _all_positions(line: str) -> list[int]:
    out: list[int] = []
    start = line.find("%%")
    while start != -1:
        out.append(start)
        start = line.find("%%", start + 2)
    return out


def extract(lines: list[str]) -> tuple[list[str], list[Comment]]:
    """The lines with every comment blanked, and the comments themselves (1-based positions)."""
    spans = find_comments(lines)
    if not spans:
        return lines, []
    comments: list[Comment] = []
    blanked: dict[int, list[tuple[int, int]]] = {}
    for l0, c0, l1, c1, closed in spans:
        comments.append(Comment(_slice(lines, l0, c0, l1, c1), l0 + 1, c0 + 1, l1 + 1, closed))
        for index in range(l0, l1 + 1):
            start = c0 if index == l0 else 0
            end = c1 if index == l1 else len(lines[index])
            blanked.setdefault(index, []).append((start, end))
    out = list(lines)
    # Each line is rebuilt once, however many comments it holds: rebuilding it per comment
    # made a line of 20,000 `%%` take seconds.
    for index, pieces in blanked.items():
        out[index] = _blank_line(lines[index], pieces)
    return out, comments


def _blank_line(line: str, pieces: list[tuple[int, int]]) -> str:
    """`line` with each (start, end) piece, left to right, overwritten by spaces, except where
    text follows a comment that opens the line or its item or quote (`- %%c%% text`): spaces
    there would indent that text into a code block, so MASK (not whitespace, stripped from the
    model's texts) keeps it in place."""
    text_end = len(line.rstrip())  # nothing but whitespace from here on
    parts: list[str] = []
    last = 0
    text_before = False  # MASK counts as text: only the first comment of a line can get it
    for start, end in pieces:
        kept = line[last:start]
        text_before = text_before or _MARKERS_ONLY.fullmatch(kept) is None
        parts.append(kept)
        if text_before or end >= text_end:
            parts.append(" " * (end - start))
        else:
            parts.append(MASK * (end - start))
            text_before = True
        last = end
    parts.append(line[last:])
    return "".join(parts)


def _slice(lines: list[str], l0: int, c0: int, l1: int, c1: int) -> str:
    if l0 == l1:
        return lines[l0][c0:c1]
    middle = lines[l0 + 1 : l1]
    return "\n".join([lines[l0][c0:], *middle, lines[l1][:c1]])
