"""The YAML frontmatter block, read the way Obsidian reads it.

Obsidian takes frontmatter only from a `---` line that is the file's first line, up to the next
`---` line. We keep python-frontmatter's handler interface (so `frontmatter.loads(text,
handler=ObsidianYAMLHandler())` gives the same metadata) but split by lines, because the body's
line numbers must stay the file's, and load with libyaml's safe loader when present (several
times faster than the pure-Python one) through a loader that also records where each key stands
and which keys repeat (YAML keeps the last silently; Obsidian refuses the note). The common,
simple frontmatter (plain `key: value` and `- item` lines) is read first by frontmatter_plain,
which types its scalars with this loader's resolvers and constructors.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import math
import re
from functools import lru_cache
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from vault_tools.frontmatter_plain import NotPlain, load_plain
from vault_tools.frontmatter_text import YamlText, find_block, yaml_text
from vault_tools.model import Frontmatter, FrontmatterKey, JSONValue, Problem

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


class _TooLarge(Exception):
    pass


def _restored(value: JSONValue, swapped: YamlText) -> JSONValue:
    if isinstance(value, str):
        return swapped.restore(value)
    if isinstance(value, list):
        return [_restored(item, swapped) for item in value]
    if isinstance(value, dict):
        return {swapped.restore(key): _restored(item, swapped) for key, item in value.items()}
    return value


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


class _PositionedLoader(SAFE_LOADER):  # type: ignore[valid-type, misc]
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
                        raise _TooLarge
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


_PositionedLoader.add_constructor("tag:yaml.org,2002:int", _PositionedLoader.construct_yaml_int)


# The tags frontmatter_plain may produce; the others (`=`, `<<`, and what `!`, `&`, `*` start)
# mean more than a scalar, and PyYAML reads them.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}"
                        for name in ("str", "null", "bool", "int", "float", "timestamp"))


@lru_cache(maxsize=1)
def _scalar_loader() -> _PositionedLoader:
    # Only its resolver table and constructors are used: it never reads a stream.
    return _PositionedLoader("")


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


class ObsidianYAMLHandler(YAMLHandler):
    def split(self, text: str) -> tuple[str, str]:
        lines = text.split("\n")
        end = find_block(lines)
        if end is None:
            return "", text
        return "\n".join(lines[1:end]), "\n".join(lines[end + 1 :])

    def load(self, fm: str, **kwargs: object) -> Any:
        matter, _ = load_yaml(fm, first_line=2, end_line=fm.count("\n") + 3)
        return matter.data if matter else None


def load_yaml(
    raw: str, first_line: int, end_line: int
) -> tuple[Frontmatter | None, list[Problem]]:
    """Parse frontmatter text starting at file line `first_line`; `end_line` holds the `---`.

    Notes made from one template often share their frontmatter to the byte: the same short
    text is parsed once, and each note gets its own copy of the data."""
    if len(raw) > _MAX_CACHED:
        return _load_yaml(raw, first_line, end_line)
    matter, problems = _load_yaml_once(raw, first_line, end_line)
    if matter is not None:
        matter = dataclasses.replace(matter, data=_copy(matter.data))
    return matter, list(problems)


def _copy(data: dict[str, JSONValue]) -> dict[str, JSONValue]:
    return {key: _copy_value(value) for key, value in data.items()}


def _copy_value(value: JSONValue) -> JSONValue:
    if isinstance(value, dict):
        return _copy(value)
    if isinstance(value, list):
        return [_copy_value(item) for item in value]
    return value  # str, int, float, bool, None: immutable


# Template frontmatter is a few lines; a cache of 256 texts of at most 4 KiB stays small.
_MAX_CACHED = 4096


@lru_cache(maxsize=256)
def _load_yaml_once(
    raw: str, first_line: int, end_line: int
) -> tuple[Frontmatter | None, tuple[Problem, ...]]:
    matter, problems = _load_yaml(raw, first_line, end_line)
    return matter, tuple(problems)


def _load_yaml(
    raw: str, first_line: int, end_line: int
) -> tuple[Frontmatter | None, list[Problem]]:
    # Most frontmatter is a few plain `key: value` and `- item` lines: read by their shape
    # first (frontmatter_plain), several times faster than composing libyaml's nodes.
    plain = load_plain(raw, first_line, end_line, plain_scalar, MAX_VALUES)
    if plain is not None:
        return plain, []
    return load_with_pyyaml(raw, first_line, end_line)


def load_with_pyyaml(
    raw: str, first_line: int, end_line: int
) -> tuple[Frontmatter | None, list[Problem]]:
    swapped = yaml_text(raw)
    loader = _PositionedLoader(swapped.text)
    ignored = Frontmatter({}, first_line - 1, end_line, raw, (), (), False)
    try:
        if too_deep(swapped.text):
            return ignored, [_too_large(f"nests more than {MAX_DEPTH} levels deep", first_line)]
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    except _TooLarge:
        return ignored, [_too_large(_ALIAS_BOMB, first_line)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        col = mark.column + 1 if mark else 1
        return None, [Problem("FM001", f"frontmatter is not valid YAML: {_yaml_message(exc)}",
                              line, col)]
    except Exception as exc:
        # PyYAML's constructors raise what they like on odd values (`!!timestamp 99999-01-01`
        # is an AttributeError): whatever it is, it is this note's problem, not the run's.
        return None, [Problem("FM001", f"frontmatter is not valid YAML: {exc}", first_line)]
    finally:
        loader.dispose()
    end = end_line
    duplicates = tuple(_key_position(key, None, first_line, swapped) for key in loader.duplicates)
    if value is None:
        value = {}
    if not isinstance(value, dict):
        kind = type(value).__name__
        problem = Problem("FM002", f"frontmatter is a {_yaml_kind(kind)}, not a mapping of keys",
                          first_line)
        return Frontmatter({}, first_line - 1, end, raw, (), duplicates, False), [problem]
    budget = [MAX_VALUES]
    try:
        data = {str(key): to_json_safe(item, budget, frozenset()) for key, item in value.items()}
    except _TooLarge:
        problem = _too_large(_ALIAS_BOMB, first_line)
        return Frontmatter({}, first_line - 1, end, raw, (), duplicates, False), [problem]
    if swapped.swaps:
        data = {swapped.restore(key): _restored(item, swapped) for key, item in data.items()}
    keys = _top_level_keys(node, first_line, swapped) if isinstance(node, yaml.MappingNode) \
        else ()
    return Frontmatter(data, first_line - 1, end, raw, keys, duplicates), []


_ALIAS_BOMB = (f"expands to more than {MAX_VALUES:,} values (recursive or exponential YAML "
               "aliases or merge keys)")


def _too_large(what: str, line: int) -> Problem:
    return Problem("FM008", f"frontmatter {what}; ignored", line)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    parts = [part for part in (exc.context, exc.problem) if part]
    return ", ".join(parts) if parts else str(exc).splitlines()[0]


def _yaml_kind(name: str) -> str:
    return {"list": "list", "str": "string", "int": "number", "float": "number",
            "bool": "boolean"}.get(name, name)


def _top_level_keys(node: yaml.MappingNode, first_line: int, swapped: YamlText
                    ) -> tuple[FrontmatterKey, ...]:
    return tuple(
        _key_position(key_node, value_node, first_line, swapped)
        for key_node, value_node in node.value
        if isinstance(key_node, yaml.ScalarNode)
    )


def _key_position(key: yaml.Node, value: yaml.Node | None, first_line: int,
                  swapped: YamlText) -> FrontmatterKey:
    target = value if value is not None else key
    return FrontmatterKey(
        swapped.restore(str(key.value)),
        first_line + key.start_mark.line,
        key.start_mark.column + 1,
        first_line + target.start_mark.line,
        target.start_mark.column + 1,
    )


def to_json_safe(value: Any, budget: list[int], ancestors: frozenset[int]) -> JSONValue:
    """A copy of a YAML value that json.dumps accepts, bounded in size and free of cycles."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    if isinstance(value, (dict, list, tuple, set)):
        if id(value) in ancestors:
            raise _TooLarge  # a recursive alias has no finite JSON form
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
