"""Loading structure schemas: every schema file of the configuration read, checked against its
metaschema and compiled into the run's SchemaSet, before any note is read.

Each schema is loaded with the local files it `$ref`s; a remote `$ref` is refused, never
fetched. A bad schema is the operator's mistake: one line naming the file (or the config key),
exit 2. Kept apart from schemas, which holds what a run keeps of them: these checks run once,
in the main process; a worker process rebuilds its SchemaSet from the documents checked here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urldefrag, urljoin, urlsplit

from vault_tools.config import Config, key_path
from vault_tools.errors import UsageError
from vault_tools.schema_refs import iter_refs
from vault_tools.schemas import SchemaEntry, SchemaSet, empty_registry, one_line

if TYPE_CHECKING:
    from referencing import Registry


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
        registry: Registry = METASCHEMAS.combine(empty_registry().with_resources(
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
        raise UsageError(f"{shown}: not a valid JSON Schema: {one_line(exc.message)} "
                         f"(at {where})") from exc
    return contents
