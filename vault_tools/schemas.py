"""Structure schemas: which notes get which JSON Schema, validators built once per run, and every
violation turned into a plain message at the line it is about (see docs/schemas.md).

A `[[schemas]]` entry maps a tag (nested tags match too) or a glob to a `frontmatter` schema,
validated against the note's frontmatter, and/or a `structure` schema, validated against the
note's NOTE record of the export format. Every schema file is read and checked against its
metaschema up front, with the local files it `$ref`s; a remote `$ref` is refused, never fetched.
Those are the operator's mistakes: one line, exit 2, before any note is read.
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urldefrag, urljoin, urlsplit

from vault_tools.config import Config, key_path
from vault_tools.errors import UsageError
from vault_tools.model import Note
from vault_tools.schema_refs import inline_local_refs, iter_refs, top_level_reads

if TYPE_CHECKING:
    from jsonschema.protocols import Validator
    from referencing import Registry

FRONTMATTER, BODY = "frontmatter", "body"  # where a violation is: SC001 or SC002
# Frontmatter that is not YAML, not a mapping or too large reads as {}: FM001/2/8 report it.
_BROKEN_FRONTMATTER = frozenset({"FM001", "FM002", "FM008"})
_SKIPPABLE = ("sections", "highlights", "links", "callouts", "block_ids")  # Note fields


@dataclass(frozen=True, order=True)
class SchemaViolation:
    line: int
    col: int
    message: str
    part: str  # FRONTMATTER or BODY


@dataclass(frozen=True)
class SchemaEntry:
    """One `[[schemas]]` entry with its files as URIs into the loaded documents."""

    tag: str | None  # lower case, without '#'
    glob: str | None
    frontmatter: str | None
    structure: str | None
    label: str  # how `schema check` names it: "schemas/role-note.schema.json (tag Work)"

    def applies(self, note: Note, rel: str) -> bool:
        if self.glob is not None and fnmatch.fnmatchcase(rel, self.glob):
            return True
        if self.tag is None:
            return False
        return any(tag.lower() == self.tag or tag.lower().startswith(self.tag + "/")
                   for tag in note.tags)


class CompiledSchema:
    """A validator built once, and a way to read the subschemas a `$ref` points to."""

    def __init__(self, uri: str, contents: Any, registry: Registry) -> None:
        from jsonschema import validators

        cls = validators.validator_for(contents)
        self.uri = uri
        self.registry = registry
        root = inline_local_refs(_with_id(contents, uri, cls), legacy=_is_legacy(cls))
        self.validator: Validator = cls(root, registry=registry,
                                        format_checker=cls.FORMAT_CHECKER)
        self.reads = top_level_reads(root)  # None: any part of the NOTE record

    def deref(self, schema: Any) -> Any:
        """`schema`, or what its `$ref` points to (relative to this schema's file)."""
        for _ in range(8):  # a chain of $refs to $refs; cycles stop here
            if not isinstance(schema, dict) or not isinstance(schema.get("$ref"), str):
                return schema
            schema = self.registry.resolver(self.uri).lookup(schema["$ref"]).contents
        return schema


class SchemaSet:
    """Every configured schema, compiled once; picklable (worker processes rebuild it)."""

    def __init__(self, entries: tuple[SchemaEntry, ...], documents: Mapping[str, Any],
                 files: tuple[Path, ...] = ()) -> None:
        from referencing import Resource
        from referencing.jsonschema import DRAFT202012

        self.entries = entries
        self.documents = dict(documents)
        self.files = files  # every schema file read, $ref'd ones included (for cache keys)
        resources = [(uri, Resource.from_contents(doc, default_specification=DRAFT202012))
                     for uri, doc in self.documents.items()]
        registry: Registry = _empty_registry().with_resources(resources)
        roots = {uri for e in entries for uri in (e.frontmatter, e.structure) if uri}
        self.compiled = {uri: CompiledSchema(uri, self.documents[uri], registry)
                         for uri in sorted(roots)}

    def __reduce__(self) -> tuple[Any, ...]:
        return (SchemaSet, (self.entries, self.documents, self.files))

    def matching(self, note: Note, rel: str | None = None) -> tuple[SchemaEntry, ...]:
        """The entries that apply to `note`; `rel` is its path from the config's folder."""
        where = note.path if rel is None else rel
        return tuple(entry for entry in self.entries if entry.applies(note, where))

    def for_note(self, note: Note, rel: str | None = None) -> NoteSchemas:
        return NoteSchemas(self, note, self.matching(note, rel))


class NoteSchemas:
    """The schemas that apply to one note; validated once, on first use, for SC001 and SC002."""

    def __init__(self, schemas: SchemaSet, note: Note, entries: tuple[SchemaEntry, ...]) -> None:
        self.schemas = schemas
        self.note = note
        self.entries = entries

    @cached_property
    def violations(self) -> tuple[SchemaViolation, ...]:
        from vault_tools.export import note_record
        from vault_tools.schema_violations import frontmatter_violations, structure_violations

        found: set[SchemaViolation] = set()
        record: dict[str, Any] | None = None
        checkable = not any(problem.code in _BROKEN_FRONTMATTER for problem in self.note.errors)
        for entry in self.entries:
            if entry.frontmatter is not None and checkable:  # broken YAML is FM001's
                compiled = self.schemas.compiled[entry.frontmatter]
                found.update(frontmatter_violations(compiled, self.note))
            if entry.structure is not None:
                record = note_record(self._trimmed()) if record is None else record
                compiled = self.schemas.compiled[entry.structure]
                found.update(structure_violations(compiled, self.note, record))
        return tuple(sorted(found))

    def _trimmed(self) -> Note:
        """The note without the parts no structure schema here reads: building the record of
        every link of a large vault costs as much as validating it."""
        reads: set[str] = set()
        for entry in self.entries:
            if entry.structure is None:
                continue
            wanted = self.schemas.compiled[entry.structure].reads
            if wanted is None:
                return self.note
            reads.update(wanted)
        note = self.note
        unread: dict[str, Any] = {name: () for name in _SKIPPABLE if name not in reads}
        if "preamble" not in reads:
            unread["preamble"] = replace(note.preamble, bullets=(), paragraphs=(), highlights=())
        return replace(note, **unread)

    def part(self, part: str) -> Iterator[SchemaViolation]:
        return (violation for violation in self.violations if violation.part == part)


# --- loading ------------------------------------------------------------------------------------


def build_schema_set(config: Config) -> SchemaSet | None:
    """Read and check every schema of `config` (exit 2 on a bad one); None when there are none."""
    if not config.schemas:
        return None
    loader = _Loader()
    entries = []
    for index, mapping in enumerate(config.schemas):
        uris = {}
        for kind in ("frontmatter", "structure"):
            path: Path | None = getattr(mapping, kind)
            if path is not None:
                uris[kind] = loader.load_root(path, _config_key(config, index, kind))
        shown = ", ".join(shown_path(p) for p in (mapping.frontmatter, mapping.structure) if p)
        which = f"tag {mapping.tag}" if mapping.tag else f"glob {mapping.glob}"
        tag = mapping.tag.lstrip("#").lower() if mapping.tag else None
        entries.append(SchemaEntry(tag, mapping.glob, uris.get("frontmatter"),
                                   uris.get("structure"), f"{shown or 'no schema'} ({which})"))
    return SchemaSet(tuple(entries), loader.documents, tuple(loader.files))


def shown_path(path: Path) -> str:
    """A path as the user can open it from here (relative when under the working folder)."""
    relative = os.path.relpath(path.absolute())
    return Path(path.absolute() if relative.startswith("..") else relative).as_posix()


def _config_key(config: Config, index: int, kind: str) -> str:
    prefix = f"{config.source}: " if config.source is not None else ""
    return f"{prefix}key '{key_path(config.source, ['schemas', index, kind])}'"


def _empty_registry() -> Registry:
    from referencing import Registry

    return Registry(retrieve=_never_retrieve)  # type: ignore[call-arg]  # attrs alias


def _never_retrieve(uri: str) -> Any:
    # Everything a schema refers to was loaded up front; reaching here means a reference the
    # crawl could not see, and the answer is still never the network.
    raise LookupError(f"{uri} was not loaded beforehand; vault-tools never downloads schemas")


def _is_legacy(cls: Any) -> bool:
    """Drafts before 2019-09: `$ref` siblings are ignored; 3 and 4 spell `$id` as `id`."""
    return cls.__name__ in ("Draft3Validator", "Draft4Validator", "Draft6Validator",
                            "Draft7Validator")


def _with_id(contents: Any, uri: str, cls: Any) -> Any:
    """The root schema with its file's URI as base, so relative `$ref`s start at its folder."""
    if not isinstance(contents, dict):
        return contents
    keyword = "id" if cls.__name__ in ("Draft3Validator", "Draft4Validator") else "$id"
    return contents if keyword in contents else {**contents, keyword: uri}


class _Loader:
    """Reads schema files and every local file they `$ref`, each checked against its metaschema."""

    def __init__(self) -> None:
        self.documents: dict[str, Any] = {}  # URI (file URI and own $id) -> contents
        self.files: list[Path] = []

    def load_root(self, path: Path, key: str) -> str:
        if not path.is_file():
            raise UsageError(f"{key}: no such schema file {shown_path(path)}")
        return self.load(path)

    def load(self, path: Path) -> str:
        uri = path.resolve().as_uri()
        if uri in self.documents:
            return uri
        contents = _read_schema(path)
        self.documents[uri] = contents
        self.files.append(path.resolve())
        base = uri
        own_id = _own_id(contents)
        if own_id:
            base = urljoin(uri, own_id)
            self.documents.setdefault(urldefrag(base).url, contents)
        self._follow_refs(path, contents, base)
        return uri

    def _follow_refs(self, path: Path, contents: Any, base: str) -> None:
        from urllib.request import url2pathname  # with http.client: not for every lint run

        from jsonschema_specifications import REGISTRY as METASCHEMAS  # type: ignore[import-untyped]
        from referencing import Resource
        from referencing.exceptions import Unresolvable
        from referencing.jsonschema import DRAFT202012

        refs = list(iter_refs(contents, base))
        for ref_base, keyword, ref in refs:
            target = urldefrag(urljoin(ref_base, ref)).url
            if target in self.documents or target in METASCHEMAS:
                continue
            if urlsplit(target).scheme != "file":
                raise UsageError(_remote_message(path, ref, target, base))
            local = Path(url2pathname(urlsplit(target).path))
            if not local.is_file():
                raise UsageError(f"{shown_path(path)}: {keyword} {json.dumps(ref)}: "
                                 f"no such file {shown_path(local)}")
            self.load(local)
        registry: Registry = METASCHEMAS.combine(_empty_registry().with_resources(
            (uri, Resource.from_contents(doc, default_specification=DRAFT202012))
            for uri, doc in self.documents.items()))
        for ref_base, keyword, ref in refs:
            if keyword != "$ref":
                continue  # $dynamicRef names an anchor that only exists while validating
            try:
                registry.resolver(ref_base).lookup(ref)
            except Unresolvable as exc:
                raise UsageError(f"{shown_path(path)}: $ref {json.dumps(ref)} does not resolve "
                                 f"({type(exc).__name__}: {exc})") from exc


def _remote_message(path: Path, ref: str, target: str, base: str) -> str:
    hint = ("save it next to the schema and $ref it by relative path" if urlsplit(ref).scheme
            else f"it is relative to the schema's $id {base}; remove the $id to resolve it "
                 "next to the file")
    return (f"{shown_path(path)}: $ref {json.dumps(ref)} is remote ({target}); vault-tools never "
            f"downloads schemas: {hint}")


def _own_id(contents: Any) -> str | None:
    if not isinstance(contents, dict):
        return None
    value = contents.get("$id", contents.get("id"))
    return value if isinstance(value, str) and value else None


def _read_schema(path: Path) -> Any:
    from jsonschema import validators
    from jsonschema.exceptions import SchemaError

    shown = shown_path(path)
    try:
        contents = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read schema: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"{shown}: not UTF-8 (byte offset {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise UsageError(f"{shown}: not valid JSON: {exc.msg} "
                         f"(line {exc.lineno}, column {exc.colno})") from exc
    if not isinstance(contents, (dict, bool)):
        raise UsageError(f"{shown}: a JSON Schema is an object (or true/false), "
                         f"not {type(contents).__name__}")
    declared = isinstance(contents, dict) and "$schema" in contents
    cls = validators.validator_for(contents, default=cast(Any, None) if declared else
                                   validators.Draft202012Validator)
    if cls is None:
        raise UsageError(f"{shown}: unknown $schema {json.dumps(contents['$schema'])} "
                         "(use https://json-schema.org/draft/2020-12/schema, or leave it out)")
    try:
        cls.check_schema(cast(Any, contents))
    except SchemaError as exc:
        where = "/" + "/".join(map(str, exc.absolute_path)) if exc.absolute_path else "top level"
        raise UsageError(f"{shown}: not a valid JSON Schema: {_one_line(exc.message)} "
                         f"(at {where})") from exc
    return contents


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."

