"""`vault-tools schema init` (a structure schema from an example note) and `schema check` (which
notes each configured schema applies to, and whether they match it)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from vault_tools.config import Config, load_config
from vault_tools.discover import (
    DiscoveryError,
    NotePath,
    find_vault_root,
    is_excluded,
    iter_note_paths,
)
from vault_tools.errors import UsageError
from vault_tools.model import Note, Section
from vault_tools.notepaths import display_path, relative_to_root
from vault_tools.notes import load
from vault_tools.safe_write import write_bytes
from vault_tools.schema_loader import build_schema_set
from vault_tools.schemas import BODY, NoteSchemas, SchemaEntry, SchemaSet

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")
EXIT_OK, EXIT_MISMATCH = 0, 1


@dataclass(frozen=True)
class InitSettings:
    example: Path
    output: Path | None = None  # None: stdout
    force: bool = False


@dataclass(frozen=True)
class CheckSettings:
    paths: tuple[str, ...]
    config: Path | None = None
    exclude: tuple[str, ...] = ()


# --- init ---------------------------------------------------------------------------------------


def build_structure_schema(note: Note) -> dict[str, Any]:
    """A structure schema that `note` passes: its frontmatter keys and their types, its
    top-level sections by title, heading levels, and bullets (or text) where it has them. No
    `type` for the record's own objects and lists: their shape is fixed, and each keyword is
    evaluated on every note."""
    properties: dict[str, Any] = {}
    if note.frontmatter_data:
        properties["frontmatter"] = build_frontmatter_schema(note.frontmatter_data)
    defs: dict[str, Any] = {}
    if note.sections:
        properties["sections"] = _top_sections(note.sections, defs)
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "title": f"Notes like {note.path}",
        "description": f"Written by `vault-tools schema init --from {note.path}`; edit it to "
                       "fit every note of this kind (docs/schemas.md).",
        "properties": properties,
    }
    if defs:
        schema["$defs"] = defs
    return schema


def build_frontmatter_schema(data: dict[str, Any]) -> dict[str, Any]:
    return {"required": list(data),
            "properties": {key: _value_schema(value) for key, value in data.items()}}


def _value_schema(value: Any) -> dict[str, Any]:
    if value is None:
        return {}  # an empty value in the example says nothing about the type
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        formats = (("date", _DATE), ("date-time", _DATETIME))
        fmt = next((name for name, pattern in formats if pattern.fullmatch(value)), None)
        return {"type": "string", "format": fmt} if fmt else {"type": "string"}
    if isinstance(value, list):
        items = [_value_schema(item) for item in value]
        same = items and all(item == items[0] for item in items)
        return {"type": "array", "items": items[0]} if same else {"type": "array"}
    return {"type": "object"}


def _top_sections(sections: tuple[Section, ...], defs: dict[str, Any]) -> dict[str, Any]:
    required, shapes = [], []
    for number, section in enumerate(sections, start=1):
        title = section.heading or ""
        name = f"section-{number}"
        defs[name] = {"title": title, **_shape([section])}
        is_this = {"properties": {"heading": {"const": title}}}
        required.append({"contains": is_this})
        shapes.append({"if": is_this, "then": {"$ref": f"#/$defs/{name}"}})
    return {"allOf": required, "items": {"allOf": shapes}}


def _shape(sections: Sequence[Section]) -> dict[str, Any]:
    """What every one of `sections` has: the levels, bullets (or text), sub-sections."""
    levels = sorted({section.level for section in sections})
    properties: dict[str, Any] = {
        "level": {"const": levels[0]} if len(levels) == 1 else {"enum": levels}}
    shape: dict[str, Any] = {"properties": properties}
    if all(section.bullets for section in sections):
        properties["bullets"] = {"minItems": 1}
    elif all(section.bullets or section.paragraphs for section in sections):
        shape["anyOf"] = [{"properties": {"bullets": {"minItems": 1}}},
                          {"properties": {"paragraphs": {"minItems": 1}}}]
    if all(section.sections for section in sections):
        children = [child for section in sections for child in section.sections]
        properties["sections"] = {"minItems": 1, "items": _shape(children)}
    return shape


def dumps_schema(value: Any, indent: int = 0) -> str:
    """JSON for people to edit: anything that fits on a line stays on one line."""
    flat = json.dumps(value, ensure_ascii=False)
    if indent + len(flat) <= 88 or not isinstance(value, (dict, list)) or not value:
        return flat + ("\n" if indent == 0 else "")
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        rows = [f"{inner}{json.dumps(key, ensure_ascii=False)}: "
                f"{dumps_schema(item, indent + 2).lstrip()}" for key, item in value.items()]
        opening, closing = "{", "}"
    else:
        rows = [inner + dumps_schema(item, indent + 2) for item in value]
        opening, closing = "[", "]"
    text = opening + "\n" + ",\n".join(rows) + "\n" + " " * indent + closing
    return text + ("\n" if indent == 0 else "")


def _read_example(path: Path) -> Note:
    if not path.is_file():
        raise UsageError(f"{path}: no such note")
    try:
        location = next(iter_note_paths([str(path)]))
    except (DiscoveryError, StopIteration) as exc:
        raise UsageError(f"{path}: not a note (expected a .md file)") from exc
    return load(location).note


def execute_init(settings: InitSettings) -> int:
    note = _read_example(settings.example)
    text = dumps_schema(build_structure_schema(note))
    target = settings.output
    if target is None or str(target) == "-":
        click.echo(text, nl=False)
        return EXIT_OK
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; give a file name to -o")
    if target.exists() and not settings.force and target.read_text("utf-8") != text:
        raise UsageError(f"{target}: already exists (pass --force to replace it)")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(target, text.encode("utf-8"))
    click.echo(f"wrote {target}; map it to notes with [[schemas]] in .vault-tools.toml "
               "(docs/schemas.md)", err=True)
    return EXIT_OK


# --- check --------------------------------------------------------------------------------------


def _config(settings: CheckSettings) -> Config:
    first = Path(settings.paths[0])
    start = first if first.is_dir() else find_vault_root(first.parent)
    return load_config(start, settings.config)


def _discover(settings: CheckSettings, config: Config) -> list[NotePath]:
    try:
        found = list(iter_note_paths(settings.paths, settings.exclude))
    except DiscoveryError as exc:
        raise UsageError(str(exc)) from exc
    return [location for location in found
            if not is_excluded(relative_to_root(location, config.root), config.exclude)]


@dataclass
class _Tally:
    passed: list[str]
    failed: list[tuple[str, NoteSchemas]]


def execute_check(settings: CheckSettings) -> int:
    config = _config(settings)
    schemas = build_schema_set(config)
    if schemas is None:
        where = config.source or "no configuration file found"
        raise UsageError(f"{where}: no [[schemas]] entries to check (docs/schemas.md)")
    tallies = [_Tally([], []) for _ in schemas.entries]
    unmatched = 0
    for location in _discover(settings, config):
        note = load(location).note
        rel = relative_to_root(location, config.root)
        matched = [i for i, entry in enumerate(schemas.entries) if entry.applies(note, rel)]
        unmatched += not matched
        for index in matched:
            _check_one(schemas, schemas.entries[index], note, display_path(location),
                       tallies[index])
    for entry, tally in zip(schemas.entries, tallies, strict=True):
        _print_tally(entry, tally)
    click.echo(f"{unmatched} note{'s' if unmatched != 1 else ''} matched no schema.")
    failing = any(tally.failed for tally in tallies)
    return EXIT_MISMATCH if failing else EXIT_OK


def _check_one(schemas: SchemaSet, entry: SchemaEntry, note: Note, shown: str,
               tally: _Tally) -> None:
    result = NoteSchemas(schemas, note, (entry,))
    if result.violations:
        tally.failed.append((shown, result))
    else:
        tally.passed.append(shown)


def _print_tally(entry: SchemaEntry, tally: _Tally) -> None:
    total = len(tally.passed) + len(tally.failed)
    click.echo(f"{entry.label}: {total} note{'s' if total != 1 else ''}, "
               f"{len(tally.passed)} ok, {len(tally.failed)} failing")
    rows = [(shown, None) for shown in tally.passed] + list(tally.failed)
    for shown, result in sorted(rows, key=lambda row: row[0]):
        if result is None:
            click.echo(f"  ok    {shown}")
            continue
        click.echo(f"  FAIL  {shown}")
        for found in result.violations:
            code = "SC002" if found.part == BODY else "SC001"
            click.echo(f"          {found.line}:{found.col}: {code} {found.message}")
