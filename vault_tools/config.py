"""Configuration: found by walking up from the linted path, validated once against
config.schema.json, merged defaults < file < command line into a frozen Config.

`.vault-tools.toml` wins over `pyproject.toml`'s `[tool.vault-tools]` in the same folder; the
nearest folder that has either wins over folders further up.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from vault_tools.errors import UsageError
from vault_tools.findings import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

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
            table = _read_toml(project).get("tool", {}).get("vault-tools")
            if table is not None:
                return project, table
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: cannot read configuration: {exc}") from exc


def validate(raw: Mapping[str, Any], source: Path) -> None:
    """Exit 2 with the file, the key and what was expected on the first schema violation."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(load_packaged_schema("config.schema.json"))
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise UsageError(f"{source}: {describe_config_error(errors[0])}")


def describe_config_error(error: Any) -> str:
    where = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(known))
        key = f"{where}.{extra[0]}" if where else extra[0]
        hint = f" (known keys: {', '.join(known)})" if known else ""
        return f"unknown key '{key}'{hint}"
    if error.validator == "pattern" and where:
        return f"key '{where}': {error.instance!r} is not a rule code or prefix (e.g. HD, HD001)"
    if error.validator == "enum":
        choices = ", ".join(map(str, error.validator_value))
        return f"key '{where}': {error.instance!r} is not one of {choices}"
    if error.validator == "type":
        return f"key '{where or 'top level'}': expected {error.validator_value}, " \
               f"got {type(error.instance).__name__}"
    return f"key '{where or 'top level'}': {error.message}"


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
            raw = raw.get("tool", {}).get("vault-tools", {})
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
