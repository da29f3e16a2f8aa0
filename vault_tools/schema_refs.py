"""`$ref`s of loaded schemas: finding them all (to load or refuse them up front), and inlining
the ones that point inside the same document.

Inlining is a speed-up only: jsonschema resolves a `$ref` through the registry on every visit,
which on a schema applied to thousands of notes costs more than the rest of the validation.
A document that uses dynamic scope (`$dynamicRef`, anchors, nested `$id`s) is left as it is,
and so is a recursive reference (it stays a `$ref`, resolved as before).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urljoin

# Keywords whose values are data, not subschemas: a "$ref" key in there is not a reference.
DATA_KEYWORDS = frozenset({"const", "enum", "examples", "default"})
_SCOPED = frozenset({"$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef",
                     "$recursiveAnchor"})
_BUDGET = 20_000  # subschemas an inlined copy may have; past that, keep the $refs


class _TooBig(Exception):
    pass


def iter_refs(node: Any, base: str) -> Iterator[tuple[str, str, str]]:
    """(base URI, keyword, reference) of every `$ref`/`$dynamicRef`/`$recursiveRef` below node."""
    if isinstance(node, list):
        for item in node:
            yield from iter_refs(item, base)
        return
    if not isinstance(node, dict):
        return
    own = node.get("$id")
    if isinstance(own, str) and own and not own.startswith("#"):
        base = urljoin(base, own)
    for keyword in ("$ref", "$dynamicRef", "$recursiveRef"):
        if isinstance(node.get(keyword), str):
            yield base, keyword, node[keyword]
    for key, value in node.items():
        if key not in DATA_KEYWORDS:
            yield from iter_refs(value, base)


def inline_local_refs(root: Any, legacy: bool = False) -> Any:
    """`root` with each `{"$ref": "#/..."}` replaced by what it points to. `legacy` drafts
    (before 2019-09) ignore keywords beside a `$ref`, and scope with `id`."""
    scoped = _SCOPED | {"id"} if legacy else _SCOPED
    if not isinstance(root, dict) or _uses_scope(root, scoped, top=True):
        return root
    budget = [_BUDGET]

    def expand(node: Any, active: frozenset[str]) -> Any:
        if isinstance(node, list):
            return [expand(item, active) for item in node]
        if not isinstance(node, dict):
            return node
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooBig
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and ref not in active:
            found, target = _pointer(root, ref)
            if found:
                inlined = expand(target, active | {ref})
                rest = {key: value for key, value in node.items() if key != "$ref"}
                if not rest or legacy:
                    return inlined
                rest = {key: expand(value, active) if key not in DATA_KEYWORDS else value
                        for key, value in rest.items()}
                return {**rest, "allOf": [inlined, *rest.get("allOf", [])]}
        return {key: value if key in DATA_KEYWORDS else expand(value, active)
                for key, value in node.items()}

    try:
        return expand(root, frozenset())
    except _TooBig:
        return root


def _uses_scope(node: Any, scoped: frozenset[str], top: bool = False) -> bool:
    if isinstance(node, list):
        return any(_uses_scope(item, scoped) for item in node)
    if not isinstance(node, dict):
        return False
    keys = set(node) - {"$id", "id"} if top else set(node)
    if keys & scoped:
        return True
    return any(_uses_scope(value, scoped) for key, value in node.items()
               if key not in DATA_KEYWORDS)


def _pointer(document: Any, ref: str) -> tuple[bool, Any]:
    node = document
    for raw in ref[2:].split("/"):
        part = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False, None
    return True, node


# Root keywords that read nothing but the properties they name (annotations, and `required`,
# which only asks whether a key is there: every NOTE key always is).
_NARROW_ROOT = frozenset({"$schema", "$id", "$comment", "$defs", "definitions", "title",
                          "description", "x-message", "type", "properties", "required",
                          "examples", "default", "deprecated", "readOnly", "writeOnly"})


def top_level_reads(root: Any) -> frozenset[str] | None:
    """The top-level keys of the instance that `root` can look at; None when it may read any."""
    if not isinstance(root, dict) or not set(root) <= _NARROW_ROOT:
        return None
    properties = root.get("properties", {})
    return frozenset(properties) if isinstance(properties, dict) else None
