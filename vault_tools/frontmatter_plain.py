r"""The common, simple frontmatter read by its line shapes, without PyYAML's scanner.

Most notes' frontmatter is a few `key: value` lines, `key: [a, b]`, and `key:` followed by
`- item` lines, many values quoted by Obsidian's Properties editor (`- "[[Books]]"`, `"A: B"`).
Reading those line by line gives the same Frontmatter as libyaml and PyYAML's node and
constructor layers, several times faster. Anything outside the small subset below returns None,
and PyYAML reads it: comments, flow mappings, tabs, carriage returns, characters YAML refuses or
reads as line breaks, a plain scalar starting with an indicator (`&`, `*`, `!`, `|`, `>`, `?`,
`:`, `-` ...) or holding `#`, `{`, `}` or `: `, a quoted key, a quoted scalar spanning lines or
followed by more than spaces, a backslash escape other than `\"` and `\\`, a multi-line scalar,
nested collections, an unusual indentation, a line of only spaces, a duplicated key.

A plain scalar's type is not decided here: `typed` is PyYAML's resolver table and constructors
(the loader's own), so `no`, `017` or `2024-01-31` mean here what they mean there. It raises
NotPlain for a tag outside the subset or a value its constructor refuses. A quoted scalar is
always a string: YAML never resolves it.
tests/test_frontmatter_fast.py compares both routes on every corpus block and generated ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from vault_tools.model import Frontmatter, FrontmatterKey, JSONValue


class NotPlain(Exception):
    """The text is outside the subset: PyYAML must read it."""


Typed = Callable[[str], JSONValue]

# Anywhere in the block: tabs, carriage returns, and every character that libyaml refuses
# (C0/C1 controls, DEL, surrogates, U+FEFF, U+FFFE/F) or that YAML 1.1 reads as a line break
# (NEL, LS, PS: frontmatter_text swaps those for PyYAML).
_REFUSED = re.compile("[\t\r\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"
                      "\ufeff\ufffe\uffff]")
# A plain key at column 0; a longer key than this is near libyaml's 1,024-character limit on
# simple keys, and never seen in a vault.
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,127}):(?: +(.*))?")
_ITEM_LINE = re.compile(r"( *)-(?: +(.*))?")
# YAML's indicators: a plain scalar starting with one is something else, or an error.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Inside a plain scalar, `#` may start a comment and `{`/`}` a flow mapping (templates'
# `{{date}}`); quotes there are ordinary characters (`title: It's`). These are rare: only a
# block that holds one looks for them in each plain scalar.
_MARKS = re.compile("[#{}]")
# A quoted scalar on one line: "..." whose only escapes are \" and \\ (the same in every YAML
# version and loader), or '...' with '' for a quote. Inside, `: `, `#`, `,`, `[` are content.
_QUOTED = r'"[^"\\]*(?:\\["\\][^"\\]*)*"|\'[^\']*(?:\'\'[^\']*)*\''
_QUOTED_SCALAR = re.compile(_QUOTED)
_ESCAPE = re.compile(r"\\(.)")
# One item of a one-line flow sequence, quoted or plain, then the `,` or `]` after it. A plain
# item ends at YAML's flow indicators; `:` and `?` are refused in it (a flow mapping's, and
# libyaml and PyYAML's pure-Python scanner end a plain scalar differently at `?`). Its words
# are spelled out so that no space can be read two ways (a long line of them stays linear).
_FLOW_PLAIN = r"[^,\[\]{}:? ]*(?: +[^,\[\]{}:? ]+)*"
_FLOW_ITEM = re.compile(rf" *({_QUOTED}|{_FLOW_PLAIN}) *([,\]])")


def load_plain(raw: str, first_line: int, end_line: int, typed: Typed,
               max_values: int) -> Frontmatter | None:
    """The frontmatter as PyYAML's route would give it, or None when `raw` is outside the
    subset. `max_values` is the route's bound on values (above it PyYAML's route says FM008)."""
    if _REFUSED.search(raw):
        return None
    lines = raw.split("\n")
    marked = "#" in raw or "{" in raw or "}" in raw  # three scans beat one regex search
    try:
        reader = _Reader(lines, first_line, typed, marked)
        reader.read()
    except NotPlain:
        return None
    if reader.values > max_values:
        return None
    return Frontmatter(reader.data, first_line - 1, end_line, raw, tuple(reader.keys), ())


class _Reader:
    """A block mapping at column 0 of plain keys, each with a scalar (plain, or quoted on one
    line), a one-line flow sequence of scalars, nothing, or a block sequence of scalars (at
    column 0 or indented, every item at the same column)."""

    def __init__(self, lines: list[str], first_line: int, typed: Typed, marked: bool) -> None:
        self.lines = lines
        self.first_line = first_line
        self.typed = typed
        self.marked = marked  # the block holds a `#`, `{` or `}`, maybe outside quotes
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
        # `[a, "b, c"]`, `[a,b,]`, `[]`, `[ ]`: one line, scalars only, no nesting.
        items: list[JSONValue] = []
        at, end = 1, ","
        while end == ",":
            match = _FLOW_ITEM.match(text, at)
            if match is None:
                raise NotPlain  # no `]` on this line, or a plain item with `:` or `?`
            item, end = match.group(1), match.group(2)
            if item:
                items.append(self._scalar(item))
            elif end == ",":
                raise NotPlain  # an empty item, `[,]` or `[a,,b]` (`[a,]` is fine)
            at = match.end()
        if at != len(text):
            raise NotPlain  # `[a] b`, `[a]]`
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
            raise NotPlain  # callers pass none (`key:`, `- `, `[a,]` have their own reading)
        if text[0] in "\"'":
            return _unquoted(text)
        if text[0] in _INDICATORS and not (text[0] == "-" and text[1:2] in _NUMBER_START):
            raise NotPlain
        if ": " in text or text.endswith(":") or (self.marked and _MARKS.search(text)):
            raise NotPlain  # a nested mapping, a comment, a flow mapping, or an error
        return self.typed(text)


def _unquoted(text: str) -> str:
    # The whole of `text` is one quoted scalar, or it is unclosed, spans lines, is followed by
    # more (`"a" b`, `"a": b`, `"a" # c`) or holds another escape: PyYAML's to read or refuse.
    if _QUOTED_SCALAR.fullmatch(text) is None:
        raise NotPlain
    if text[0] == "'":
        return text[1:-1].replace("''", "'")
    return _ESCAPE.sub(r"\1", text[1:-1])  # only \" and \\ get here


_NUMBER_START = frozenset("0123456789.")
