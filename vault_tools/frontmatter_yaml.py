"""The YAML frontmatter block, read the way Obsidian reads it.

Obsidian takes frontmatter only from a `---` line that is the file's first line, up to the next
`---` line. We keep python-frontmatter's handler interface (so `frontmatter.loads(text,
handler=ObsidianYAMLHandler())` gives the same metadata) but split by lines, because the body's
line numbers must stay the file's, and load with libyaml's safe loader when present (several
times faster than the pure-Python one) through a loader that also records where each key stands
and which keys repeat (YAML keeps the last silently; Obsidian refuses the note). The common,
simple frontmatter (plain `key: value` and `- item` lines) is read first by frontmatter_plain,
which types its scalars with the loader's resolvers and constructors. The loader, that typing
and the JSON-safe copy of what it reads are in frontmatter_loader.py; here are the two routes,
the cache of repeated texts and the problems a note gets (FM001, FM002, FM008).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from vault_tools.frontmatter_loader import (
    MAX_DEPTH,
    MAX_VALUES,
    PositionedLoader,
    TooLarge,
    plain_scalar,
    to_json_safe,
    too_deep,
)
from vault_tools.frontmatter_plain import load_plain
from vault_tools.frontmatter_text import YamlText, find_block, yaml_text
from vault_tools.model import Frontmatter, FrontmatterKey, JSONValue, Problem


def _restored(value: JSONValue, swapped: YamlText) -> JSONValue:
    if isinstance(value, str):
        return swapped.restore(value)
    if isinstance(value, list):
        return [_restored(item, swapped) for item in value]
    if isinstance(value, dict):
        return {swapped.restore(key): _restored(item, swapped) for key, item in value.items()}
    return value


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
    loader = PositionedLoader(swapped.text)
    ignored = Frontmatter({}, first_line - 1, end_line, raw, (), (), False)
    try:
        if too_deep(swapped.text):
            return ignored, [_too_large(f"nests more than {MAX_DEPTH} levels deep", first_line)]
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    except TooLarge:
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
    except TooLarge:
        problem = _too_large(_ALIAS_BOMB, first_line)
        return Frontmatter({}, first_line - 1, end, raw, (), duplicates, False), [problem]
    if swapped.swaps:
        data = {swapped.restore(key): _restored(item, swapped) for key, item in data.items()}
    keys = _top_level_keys(node, first_line, swapped) if isinstance(node, yaml.MappingNode) \
        else ()
    if duplicates:
        # Obsidian's YAML reader (eemeli/yaml, uniqueKeys on) rejects a mapping that repeats a
        # key, nested ones too: the note has no properties, where PyYAML keeps the last value.
        # The keys stay for FM003, which reports each repetition.
        first = min(duplicates, key=lambda key: (key.line, key.col))
        problem = Problem("FM003", f"frontmatter repeats the key {first.name!r}; Obsidian reads "
                          "no properties from it", first.line, first.col)
        return Frontmatter({}, first_line - 1, end, raw, keys, duplicates, False), [problem]
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
