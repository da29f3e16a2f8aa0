"""Where a schema violation is in the note: JSON paths into the frontmatter or into the NOTE
record mapped back to source lines and columns (docs/schemas.md, "Positions").

SC001: at the offending key's value (for a block list, the offending item), at the key for an
unknown key, at the frontmatter's first line for a missing key. SC002: at the innermost section,
bullet, paragraph or highlight on the error's path; the note as a whole at its first heading.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError

from vault_tools.model import FrontmatterKey, Note
from vault_tools.schema_messages import (
    JSONPath,
    describe,
    extra_keys,
    field_words,
    known_keys,
    show_value,
)
from vault_tools.schemas import BODY, FRONTMATTER, CompiledSchema, SchemaViolation


def frontmatter_violations(compiled: CompiledSchema, note: Note) -> Iterator[SchemaViolation]:
    for error in compiled.validator.iter_errors(note.frontmatter_data):
        yield from _in_frontmatter(error, list(error.absolute_path), compiled, note)


def structure_violations(compiled: CompiledSchema, note: Note, record: dict[str, Any]
                         ) -> Iterator[SchemaViolation]:
    for error in compiled.validator.iter_errors(record):
        path = list(error.absolute_path)
        if path and path[0] == "frontmatter":
            yield from _in_frontmatter(error, path[1:], compiled, note)
        else:
            yield _in_body(error, path, compiled, note, record)


# --- frontmatter: SC001 ---------------------------------------------------------------------------


def _in_frontmatter(error: ValidationError, path: list[str | int], compiled: CompiledSchema,
                    note: Note) -> Iterator[SchemaViolation]:
    if error.validator in ("additionalProperties", "unevaluatedProperties") and not path:
        for name in extra_keys(error):
            key = _key(note, name)
            line, col = (key.line, key.col) if key else _frontmatter_start(note)
            yield SchemaViolation(line, col, f"unknown key '{name}'{known_keys(error)}",
                                  FRONTMATTER)
        return
    line, col = _frontmatter_position(note, path)
    subject = _key_subject(path)
    if "propertyNames" in error.relative_schema_path and isinstance(error.instance, str):
        key = _key(note, error.instance) if not path else None
        line, col = (key.line, key.col) if key else (line, col)
        subject = f"the name of key '{error.instance}'"
    yield SchemaViolation(line, col, describe(error, compiled, subject, "", path, True),
                          FRONTMATTER)


def _key(note: Note, name: str | int) -> FrontmatterKey | None:
    keys = note.frontmatter.keys if note.frontmatter else ()
    return next((key for key in keys if key.name == name), None)


def _frontmatter_start(note: Note) -> tuple[int, int]:
    return (note.frontmatter.start, 1) if note.frontmatter else (1, 1)


def _frontmatter_position(note: Note, path: JSONPath) -> tuple[int, int]:
    """The value of the offending key (its item, in a block list); a missing key: line 1."""
    key = _key(note, path[0]) if path else None
    if key is None:
        return _frontmatter_start(note)
    if len(path) > 1 and isinstance(path[1], int):
        item = _list_item(note, key, path[1])
        if item is not None:
            return item
    return key.value_line, key.value_col


def _list_item(note: Note, key: FrontmatterKey, index: int) -> tuple[int, int] | None:
    """Where item `index` of a block list (`- a` lines) starts, counting its siblings."""
    assert note.frontmatter is not None
    lines = note.frontmatter.raw.split("\n")
    first = note.frontmatter.start + 1  # line number of lines[0]
    indent = key.value_col - 1
    seen = -1
    for number in range(key.value_line, first + len(lines)):
        text = lines[number - first]
        depth = len(text) - len(text.lstrip(" "))
        if not text.strip() or depth > indent:
            continue
        if depth < indent or not text.lstrip(" ").startswith("-"):
            return None  # the list ended before item `index`
        seen += 1
        if seen == index:
            after_dash = text[depth + 1:]
            return number, depth + 2 + len(after_dash) - len(after_dash.lstrip(" "))
    return None


def _key_subject(path: JSONPath) -> str:
    if not path:
        return "the frontmatter"
    text = f"'{path[0]}'"
    for part in path[1:]:
        text += f" item {part + 1}" if isinstance(part, int) else f" key '{part}'"
    return text



# --- the note's structure: SC002 -----------------------------------------------------------------


def _in_body(error: ValidationError, path: list[str | int], compiled: CompiledSchema,
             note: Note, record: dict[str, Any]) -> SchemaViolation:
    holder, rest = _holder(record, path)
    if holder is None:
        owner, line, col = "the note", _first_line(note), 1
        if rest and rest[0] == "preamble":
            owner, rest, line = "the text before the first heading", rest[1:], _body_start(note)
        field = "top-level sections" if rest == ["sections"] else field_words(rest)
    else:
        owner, line, col = _describe(holder), holder["line"], int(holder.get("col", 1))
        field = field_words(rest)
    return SchemaViolation(line, col, describe(error, compiled, owner, field, path, False), BODY)


def _holder(record: dict[str, Any], path: JSONPath
            ) -> tuple[dict[str, Any] | None, list[str | int]]:
    """The innermost object with a `line` on the way to the error, and the path below it."""
    chain: list[Any] = [record]
    for part in path:
        chain.append(chain[-1][part])
    for depth in range(len(chain) - 1, -1, -1):
        node = chain[depth]
        if isinstance(node, dict) and isinstance(node.get("line"), int):
            return node, list(path[depth:])
    return None, list(path)


def _body_start(note: Note) -> int:
    return note.frontmatter.end + 1 if note.frontmatter else 1


def _first_line(note: Note) -> int:
    """Where a note-level violation is shown: its first heading, else where its body starts."""
    return note.sections[0].line if note.sections else _body_start(note)


def _describe(node: dict[str, Any]) -> str:
    if "heading" in node and "path" in node:
        return "section " + " > ".join(f"'{part}'" for part in node["path"])
    if "marker" in node:
        return f"bullet {show_value(node['text'])}"
    if "kind" in node:
        return f"link {show_value(node['target'])}"
    if "fold" in node:
        return f"callout {show_value(node['type'])}"
    if "id" in node:
        return f"block id '^{node['id']}'"
    if "col" in node and "text" in node:
        return f"highlight {show_value(node['text'])}"
    if "text" in node:
        return f"paragraph {show_value(node['text'])}"
    return f"line {node['line']}"
