"""The PyYAML loader frontmatter_yaml.py reads with, and how the values it reads become JSON.

Obsidian reads frontmatter as YAML 1.2; PyYAML reads 1.1. The loader here (libyaml's safe
loader when present, several times faster than the pure-Python one) resolves scalars as 1.2
does, notes every duplicated key (YAML keeps the last silently; Obsidian refuses the note) and
bounds what aliases, merge keys and nesting may cost. frontmatter_plain types the scalars of
the simple frontmatter it reads with the same resolvers and constructors (plain_scalar), so
both routes give the same values; to_json_safe makes PyYAML's values what the model holds.
A module apart from frontmatter_yaml.py (the two routes, the cache, the problems a note gets)
to keep each a readable size; the rules that scan raw YAML (FM004, FM006, WS001) take
SAFE_LOADER from here.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import re
from functools import lru_cache
from typing import Any

import yaml

from vault_tools.frontmatter_plain import NotPlain
from vault_tools.model import JSONValue

# libyaml's loader when PyYAML was built with it: several times faster than the pure-Python one.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Aliases let a few lines of YAML describe gigabytes ("billion laughs"); the JSON-safe copy
# stops at this many values and the note gets FM008 instead of the data. Merge keys (`<<: *a`)
# copy while loading, so the loader counts what they copy against the same bound.
MAX_VALUES = 100_000
# libyaml composes nested collections by C recursion: `[[[[...` 100,000 deep crashes the process
# (a segmentation fault, not an exception). Deeper than this is refused before composing (FM008).
MAX_DEPTH = 100
MAX_INT_DIGITS = 1_000
_MERGE = "tag:yaml.org,2002:merge"


class TooLarge(Exception):
    """More values than MAX_VALUES: frontmatter_yaml.py gives the note FM008."""


def _yaml_12_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """PyYAML's implicit types, with YAML 1.2's booleans and numbers instead of YAML 1.1's.

    Obsidian reads frontmatter as YAML 1.2: `tags: [no, on]` are the tags "no" and "on", and
    `time: 12:30` is text, while YAML 1.1 makes them False, True and 750 (FM006 warns about
    such values for tools that read 1.1). Timestamps stay: dates export as ISO 8601.
    """
    replaced = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
    table: dict[Any, list[tuple[str, re.Pattern[str]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in replaced]
        for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    }
    core = [
        ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
         "tTfF"),
        ("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
         "-+0123456789"),
        ("tag:yaml.org,2002:float", re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"), "-+.0123456789"),
    ]
    for tag, regexp, firsts in reversed(core):  # int before float: "017" is an integer
        for first in firsts:
            table.setdefault(first, []).insert(0, (tag, regexp))
    return table


class PositionedLoader(SAFE_LOADER):  # type: ignore[valid-type, misc]
    """Safe YAML 1.2 loader that notes every duplicated mapping key with its position."""

    yaml_implicit_resolvers = _yaml_12_resolvers()

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | str:
        # YAML 1.2: "017" is seventeen (1.1 read a leading zero as octal).
        value = str(self.construct_scalar(node))
        if len(value) > MAX_INT_DIGITS:
            # Python refuses to print an int of more than 4,300 digits (json.dumps would raise
            # on a hexadecimal one that int() still reads), so such a number stays text.
            return value
        if value.startswith("0o"):
            return int(value[2:], 8)
        return int(value, 16) if value.startswith("0x") else int(value, 10)

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[yaml.Node] = []
        self.merged = 0  # key/value pairs copied by merge keys so far

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        # Each `<<: [*a, *a, ...]` copies a's pairs, so nine lines of merges can build 9**9 of
        # them; count what would be copied (flattening the merged mappings first) and stop early.
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                continue
            merged = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for sub in merged:
                if isinstance(sub, yaml.MappingNode):
                    self.merged += len(sub.value)
                    if self.merged > MAX_VALUES:
                        raise TooLarge
                    self.flatten_mapping(sub)
        super().flatten_mapping(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen and key_node.tag != "tag:yaml.org,2002:merge":
                    self.duplicates.append(key_node)
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def too_deep(raw: str) -> bool:
    """Does the YAML nest collections more than MAX_DEPTH deep? Read from libyaml's events
    (an iterative parser), and only when the text could nest that deep at all."""
    # Each level needs a `[`, `{`, `-`, `?` or a new line: most frontmatter is not scanned.
    bound = sum(raw.count(mark) for mark in "\n[{-?")
    if bound < MAX_DEPTH:
        return False
    depth = 0
    try:
        for event in yaml.parse(raw, Loader=SAFE_LOADER):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return True  # stop here: libyaml's scanner slows down with every level
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # PyYAML 6.0.4's scanner refuses flow collections over 1,000 deep before the parser
        # emits a single event: that is this bound too. Other errors are load_yaml's (FM001).
        return "nesting depth" in str(exc.problem)
    return False


PositionedLoader.add_constructor("tag:yaml.org,2002:int", PositionedLoader.construct_yaml_int)


# The tags frontmatter_plain may produce; the others (`=`, `<<`, and what `!`, `&`, `*` start)
# mean more than a scalar, and PyYAML reads them.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}"
                        for name in ("str", "null", "bool", "int", "float", "timestamp"))


@lru_cache(maxsize=1)
def _scalar_loader() -> PositionedLoader:
    # Only its resolver table and constructors are used: it never reads a stream.
    return PositionedLoader("")


# Keys and values repeat from note to note (`tags`, `true`, dates); the values are immutable.
@lru_cache(maxsize=4096)
def plain_scalar(text: str) -> JSONValue:
    """A plain scalar's JSON-safe value, typed as the loader types it: the same resolver table
    and constructors, then the same conversion as to_json_safe."""
    loader = _scalar_loader()
    tag = loader.resolve(yaml.ScalarNode, text, (True, False))
    if tag not in _PLAIN_TAGS:
        raise NotPlain
    try:
        value = loader.yaml_constructors[tag](loader, yaml.ScalarNode(tag, text))
    except Exception as exc:
        raise NotPlain from exc  # `2024-02-30`: PyYAML's route reports it (FM001)
    return _scalar(value)


def to_json_safe(value: Any, budget: list[int], ancestors: frozenset[int]) -> JSONValue:
    """A copy of a YAML value that json.dumps accepts, bounded in size and free of cycles."""
    budget[0] -= 1
    if budget[0] < 0:
        raise TooLarge
    if isinstance(value, (dict, list, tuple, set)):
        if id(value) in ancestors:
            raise TooLarge  # a recursive alias has no finite JSON form
        inner = ancestors | {id(value)}
        if isinstance(value, dict):
            return {_key_text(k): to_json_safe(v, budget, inner) for k, v in value.items()}
        items = sorted(value, key=repr) if isinstance(value, set) else value
        return [to_json_safe(item, budget, inner) for item in items]
    return _scalar(value)


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    return str(_scalar(key)) if key is not None else "null"


def _scalar(value: Any) -> JSONValue:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return str(value)
