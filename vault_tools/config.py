"""Configuration: found by walking up from the linted path, validated once against
config.schema.json, merged defaults < file < command line into a frozen Config.

`.vault-tools.toml` wins over `pyproject.toml`'s `[tool.vault-tools]` in the same folder; the
nearest folder that has either wins over folders further up.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vault_tools.errors import UsageError
from vault_tools.findings import Severity

CONFIG_FILE = ".vault-tools.toml"
PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class SchemaMapping:
    """One `[[schemas]]` entry: which notes (tag or glob) get which schema files."""

    tag: str | None
    glob: str | None
    frontmatter: Path | None
    structure: Path | None


@dataclass(frozen=True)
class Config:
    source: Path | None = None  # the file it came from, None for defaults
    root: Path | None = None  # the folder relative globs and schema paths start from
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    schemas: tuple[SchemaMapping, ...] = ()


def load_packaged_schema(name: str) -> dict[str, Any]:
    from importlib import resources  # about 10 ms: only when there is a config file to check

    text = resources.files("vault_tools").joinpath("schemas").joinpath(name).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def find_config_file(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The nearest config file at or above `start` and its raw vault-tools table."""
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own, _read_toml(own)
        project = candidate / PYPROJECT
        if project.is_file():
            table = _tool_table(_read_toml(project))
            if table is not None:
                return project, table
    return None


def _tool_table(data: Mapping[str, Any]) -> Any:
    """`[tool.vault-tools]`, or None; a pyproject.toml whose `tool` is not a table has none."""
    tool = data.get("tool")
    return tool.get("vault-tools") if isinstance(tool, dict) else None


def _read_toml(path: Path) -> dict[str, Any]:
    # Imported here: most vaults have no configuration file, and every run would pay for it.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:  # tomllib decodes the bytes itself and lets this through
        raise UsageError(f"{path}: invalid TOML: not UTF-8 (byte offset {exc.start})") from exc
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UsageError(f"{path}: cannot read configuration: {reason}") from exc


def validate(raw: Mapping[str, Any], source: Path) -> None:
    """Exit 2 with the file, the key and what was expected on the first schema violation."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(load_packaged_schema("config.schema.json"))
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise UsageError(f"{source}: {describe_config_error(errors[0], source)}")


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# JSON Schema type -> what a TOML user calls it, and Python type of a parsed value -> same.
_TOML_TYPES = {"array": "an array", "object": "a table", "string": "a string",
               "integer": "an integer", "number": "a number", "boolean": "a boolean"}
_VALUE_TYPES = {"str": "a string", "int": "an integer", "float": "a float", "bool": "a boolean",
                "list": "an array", "tuple": "an array", "dict": "a table",
                "datetime": "a date-time", "date": "a date", "time": "a time"}


def key_path(source: Path | None, parts: Sequence[str | int]) -> str:
    """`per-file-ignores."notes/*"[0]`: a key as it is written in the file (dotted, TOML style)."""
    text = "tool.vault-tools" if source is not None and source.name == PYPROJECT else ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if _BARE_KEY.fullmatch(part) else json.dumps(part)
            text += f".{name}" if text else name
    return text


def toml_type(value: Any) -> str:
    """A parsed value's type as TOML names it: "a string", "an array", "a table"."""
    name = type(value).__name__
    return _VALUE_TYPES.get(name, name)


def toml_value(value: Any) -> str:
    """A value as it would be written in TOML (strings in double quotes)."""
    try:
        return json.dumps(value)
    except (TypeError, ValueError):  # dates and times
        return str(value)


def describe_config_error(error: Any, source: Path | None = None) -> str:
    """One line for the first schema violation, in the file's own terms (TOML keys and types)."""
    parts = list(error.absolute_path)
    where = key_path(source, parts) or "top level"
    if error.validator == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(known))
        hint = f" (known keys: {', '.join(known)})" if known else ""
        return f"unknown key '{key_path(source, [*parts, extra[0]])}'{hint}"
    if error.validator == "pattern" and "propertyNames" in error.relative_schema_path:
        return (f"key '{key_path(source, [*parts, error.instance])}': not a rule code "
                "(expected a code such as HD001, in upper case)")
    if error.validator == "pattern":
        return (f"key '{where}': {toml_value(error.instance)} is not a rule code or prefix "
                "(expected e.g. HD, HD001 or ALL, in upper case)")
    if error.validator == "enum":
        choices = ", ".join(map(toml_value, error.validator_value))
        return f"key '{where}': expected one of {choices}, got {toml_value(error.instance)}"
    if error.validator == "type":
        expected = _TOML_TYPES.get(str(error.validator_value), str(error.validator_value))
        return f"key '{where}': expected {expected}, got {toml_type(error.instance)}"
    if error.validator == "anyOf" and all("required" in s for s in error.validator_value):
        keys = " or ".join(f"'{key}'" for s in error.validator_value for key in s["required"])
        return f"key '{where}': needs a {keys} key"
    if error.validator == "minLength":
        return f"key '{where}': expected a non-empty string"
    return f"key '{where}': {error.message}"


def from_mapping(raw: Mapping[str, Any], source: Path) -> Config:
    root = source.parent
    schemas = tuple(
        SchemaMapping(
            entry.get("tag"), entry.get("glob"),
            root / entry["frontmatter"] if "frontmatter" in entry else None,
            root / entry["structure"] if "structure" in entry else None,
        )
        for entry in raw.get("schemas", [])
    )
    return Config(
        source=source,
        root=root,
        select=tuple(raw.get("select", ())),
        extend_select=tuple(raw.get("extend-select", ())),
        ignore=tuple(raw.get("ignore", ())),
        per_file_ignores=tuple((glob, tuple(codes))
                               for glob, codes in raw.get("per-file-ignores", {}).items()),
        exclude=tuple(raw.get("exclude", ())),
        fail_on=Severity.parse(raw.get("fail-on", "warning")),
        rules={code: dict(table) for code, table in raw.get("rules", {}).items()},
        schemas=schemas,
    )


def load_config(start: Path, explicit: Path | None = None) -> Config:
    """The configuration for the vault at `start` (or the file given with --config)."""
    if explicit is not None:
        if not explicit.is_file():
            raise UsageError(f"{explicit}: configuration file not found")
        raw: Mapping[str, Any] = _read_toml(explicit)
        if explicit.name == PYPROJECT:
            table = _tool_table(raw)
            raw = {} if table is None else table
        found: tuple[Path, Mapping[str, Any]] | None = (explicit, raw)
    else:
        found = find_config_file(start)
    if found is None:
        return Config(root=start if start.is_dir() else start.parent)
    source, raw = found
    validate(raw, source)
    return from_mapping(raw, source)


def with_overrides(config: Config, **changes: Any) -> Config:
    """Command-line values win over the file; None means "not given"."""
    given = {key: value for key, value in changes.items() if value is not None}
    return replace(config, **given)


def split_codes(values: Sequence[str]) -> tuple[str, ...]:
    """`--select HD,FM --select WS001` -> ("HD", "FM", "WS001")."""
    return tuple(code.strip().upper() for value in values for code in value.split(",")
                 if code.strip())
