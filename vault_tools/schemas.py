"""Structure schemas: which notes get which JSON Schema, validators built once per run, and every
violation turned into a plain message at the line it is about (see docs/schemas.md).

A `[[schemas]]` entry maps a tag (nested tags match too) or a glob to a `frontmatter` schema,
validated against the note's frontmatter, and/or a `structure` schema, validated against the
note's NOTE record of the export format. The schema files are read and checked up front, by
schema_loader; this module holds what a run (and each worker process) keeps of them.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vault_tools.model import Note
from vault_tools.schema_refs import inline_local_refs, top_level_reads

if TYPE_CHECKING:
    from jsonschema.protocols import Validator
    from referencing import Registry

FRONTMATTER, BODY = "frontmatter", "body"  # where a violation is: SC001 or SC002
# Frontmatter that is not YAML, not a mapping, repeats a key or is too large reads as {}:
# FM001/2/3/8 report it.
_BROKEN_FRONTMATTER = frozenset({"FM001", "FM002", "FM003", "FM008"})
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
        registry: Registry = empty_registry().with_resources(resources)
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


def empty_registry() -> Registry:
    """A registry to add loaded documents to, which never retrieves a URI itself."""
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


# Here, not in schema_messages (which imports jsonschema): schema_loader, imported by every lint
# run, uses it too.
def one_line(text: str, limit: int = 160) -> str:
    """`text` on one line (runs of whitespace as one space), cut to `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
