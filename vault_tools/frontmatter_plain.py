"""The common, simple frontmatter read by its line shapes, without PyYAML's scanner.

Most notes' frontmatter is a few `key: value` lines, `key: [a, b]`, and `key:` followed by
`- item` lines. Reading those line by line gives the same Frontmatter as libyaml and PyYAML's
node and constructor layers, several times faster. Anything outside the small subset below
returns None, and PyYAML reads it: quotes, `#`, `{`/`}`, tabs, carriage returns, characters
YAML refuses or reads as line breaks, a scalar starting with an indicator (`&`, `*`, `!`, `|`,
`>`, `?`, `:`, `-` ...), `: ` inside a value, a multi-line scalar, nested collections, an
unusual indentation, a line of only spaces, a duplicated key.

A scalar's type is not decided here: `typed` is PyYAML's resolver table and constructors (the
loader's own), so `no`, `017` or `2024-01-31` mean here what they mean there. It raises
NotPlain for a tag outside the subset or a value its constructor refuses.
tests/test_frontmatter_fast.py compares both routes on every corpus block and generated ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from vault_tools.model import Frontmatter, FrontmatterKey, JSONValue


class NotPlain(Exception):
    """The text is outside the subset: PyYAML must read it."""


Typed = Callable[[str], JSONValue]

# Anywhere in the block: quoting, comments, flow mappings, tabs, carriage returns, and every
# character that libyaml refuses (C0/C1 controls, DEL, surrogates, U+FEFF, U+FFFE/F) or that
# YAML 1.1 reads as a line break (NEL, LS, PS: frontmatter_text swaps those for PyYAML).
_REFUSED = re.compile("[\"'#{}\t\r\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"
                      "\ufeff\ufffe\uffff]")
# A plain key at column 0; a longer key than this is near libyaml's 1,024-character limit on
# simple keys, and never seen in a vault.
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,127}):(?: +(.*))?")
_ITEM_LINE = re.compile(r"( *)-(?: +(.*))?")
# YAML's indicators: a plain scalar starting with one is something else, or an error.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Flow collections end a plain scalar at these, inside `[...]`.
_FLOW_SPECIAL = re.compile(r"[\[\]{},:]")


def load_plain(raw: str, first_line: int, end_line: int, typed: Typed,
               max_values: int) -> Frontmatter | None:
    """The frontmatter as PyYAML's route would give it, or None when `raw` is outside the
    subset. `max_values` is the route's bound on values (above it PyYAML's route says FM008)."""
    if _REFUSED.search(raw):
        return None
    lines = raw.split("\n")
    try:
        reader = _Reader(lines, first_line, typed)
        reader.read()
    except NotPlain:
        return None
    if reader.values > max_values:
        return None
    return Frontmatter(reader.data, first_line - 1, end_line, raw, tuple(reader.keys), ())


class _Reader:
    """A block mapping at column 0 of plain keys, each with a plain scalar, a one-line flow
    sequence of plain scalars, nothing, or a block sequence of plain scalars (at column 0
    or indented, every item at the same column)."""

    def __init__(self, lines: list[str], first_line: int, typed: Typed) -> None:
        self.lines = lines
        self.first_line = first_line
        self.typed = typed
        self.data: dict[str, JSONValue] = {}
        self.keys: list[FrontmatterKey] = []
        self.values = 0  # what PyYAML's route counts against its bound

    def read(self) -> None:
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            if not line:
                index += 1
                continue
            match = _KEY_LINE.fullmatch(line)
            if match is None:
                raise NotPlain
            name, text = match.group(1), match.group(2)
            if name in self.data or not isinstance(self.typed(name), str):
                raise NotPlain  # a duplicate, or a key like `true` or `null`
            if text:
                value = self._inline_value(text.rstrip(" "))
                where = (index, match.start(2))
                following = index + 1
            else:
                value, where, following = self._block_value(index, len(name) + 1)
            self.data[name] = value
            self.keys.append(FrontmatterKey(name, self.first_line + index, 1,
                                            self.first_line + where[0], where[1] + 1))
            index = following

    def _inline_value(self, text: str) -> JSONValue:
        self.values += 1
        if text.startswith("["):
            return self._flow_items(text)
        return self._scalar(text)

    def _flow_items(self, text: str) -> list[JSONValue]:
        # `[a, b]`, `[a,b,]`, `[]`, `[ ]`: one line, plain items, no nesting.
        if not text.endswith("]"):
            raise NotPlain
        parts = [part.strip(" ") for part in text[1:-1].split(",")]
        if parts[-1] == "":
            parts.pop()  # `[a, b,]` and `[]`; `[,]` leaves an empty item and is refused below
        items: list[JSONValue] = []
        for part in parts:
            if _FLOW_SPECIAL.search(part):
                raise NotPlain
            items.append(self._scalar(part))
        self.values += len(items)
        return items

    def _block_value(self, index: int, colon_end: int
                     ) -> tuple[JSONValue, tuple[int, int], int]:
        """`key:` on line `index`: its sequence of `- item` lines, or None (libyaml places
        an empty value just after the colon)."""
        self.values += 1
        following = index + 1
        while following < len(self.lines) and not self.lines[following]:
            following += 1
        if following == len(self.lines):
            return self.typed(""), (index, colon_end), following
        first = _ITEM_LINE.fullmatch(self.lines[following])
        if first is None:
            return self.typed(""), (index, colon_end), index + 1
        indent = first.group(1)
        items: list[JSONValue] = []
        start = following
        while following < len(self.lines):
            line = self.lines[following]
            match = _ITEM_LINE.fullmatch(line) if line else None
            if line and (match is None or match.group(1) != indent):
                break  # the next key, or a line that read() refuses
            if match is not None:
                text = (match.group(2) or "").rstrip(" ")
                items.append(self._scalar(text) if text else self.typed(""))
            following += 1
        self.values += len(items)
        return items, (start, len(indent)), following

    def _scalar(self, text: str) -> JSONValue:
        if not text:
            raise NotPlain  # an empty flow item: `[,]`, `[a,,b]`
        if text[0] in _INDICATORS and not (text[0] == "-" and text[1:2] in _NUMBER_START):
            raise NotPlain
        if ": " in text or text.endswith(":"):
            raise NotPlain  # a nested mapping, or an error
        return self.typed(text)


_NUMBER_START = frozenset("0123456789.")
