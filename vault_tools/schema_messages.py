"""Schema violations in the note's own terms.

jsonschema speaks JSON Schema ("[] is too short", "None of [...] are valid under the given
schema"); these messages speak of the note: "section 'Not' > 'Data Engineer' has no bullets",
"missing top-level section 'Yes'", "'tags' must contain 'Work'". A schema's own `x-message`
wins over the generated text; `title` and `description` are used where they say more
(docs/schemas.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from vault_tools.schemas import CompiledSchema, one_line

MESSAGE_KEYWORD = "x-message"
JSONPath = Sequence[str | int]

_TYPES = {"array": "a list", "object": "a mapping", "string": "text", "number": "a number",
          "integer": "a whole number", "boolean": "true or false", "null": "empty"}
_FIELDS = {"sections": "sub-sections", "children": "nested bullets", "level": "heading level",
           "task": "task status", "marker": "bullet marker", "block_ids": "block ids",
           "kind": "link kind", "target": "link target"}
_BOUNDS = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
           "exclusiveMaximum": "less than", "multipleOf": "a multiple of"}
_HINTED = frozenset({"pattern", "format", "not"})  # keywords whose text the description helps


def extra_keys(error: ValidationError) -> list[str]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [name for name in instance if name not in known
            and not any(re.search(pattern, name) for pattern in patterns)]


def known_keys(error: ValidationError) -> str:
    known = sorted(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []
    return f" (known keys: {', '.join(known)})" if 0 < len(known) <= 12 else ""


def field_words(rest: JSONPath) -> str:
    words = []
    for part in rest:
        if isinstance(part, int):
            words.append(f"item {part + 1}")
        else:
            words.append(_FIELDS.get(part, part.replace("_", " ")))
    return " ".join(words)


# --- the words --------------------------------------------------------------------------------


def describe(error: ValidationError, compiled: CompiledSchema, owner: str, field: str,
             path: JSONPath, in_frontmatter: bool) -> str:
    """The schema's own x-message, or a sentence built from the failing keyword."""
    custom = error.schema.get(MESSAGE_KEYWORD) if isinstance(error.schema, dict) else None
    if isinstance(custom, str) and custom.strip():
        if custom[0].isupper() or owner == "the note":
            return custom
        return f"{owner} {custom}"
    who = f"{owner}: {field}" if field else owner
    text = _generated(error, compiled, owner, field, who, path, in_frontmatter)
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if error.validator in _HINTED and isinstance(description, str):
        text += f" ({description.rstrip('.')})"
    return text


def _generated(error: ValidationError, compiled: CompiledSchema, owner: str, field: str,
               who: str, path: JSONPath, in_frontmatter: bool) -> str:
    keyword = str(error.validator)
    expected: Any = error.validator_value
    value: Any = error.instance
    if keyword == "required":
        return _required(error, who, in_frontmatter and not path)
    if keyword in ("anyOf", "oneOf"):
        return _alternatives(error, compiled, owner, field, who, path, in_frontmatter)
    if keyword == "contains":
        return _contains(error, compiled, owner, field, who, path)
    if keyword == "type":
        kinds = [expected] if isinstance(expected, str) else list(expected)
        return (f"{who} must be {' or '.join(_TYPES.get(k, k) for k in kinds)} "
                f"(it is {_kind(value)})")
    if keyword == "const" or (keyword == "enum" and len(expected) == 1):
        wanted = expected if keyword == "const" else expected[0]
        return f"{who} is {show_value(value)}, expected {show_value(wanted)}"
    if keyword == "enum":
        choices = ", ".join(map(show_value, expected))
        return f"{who} is {show_value(value)}, expected one of {choices}"
    if keyword in ("minItems", "maxItems"):
        noun = field or "items"
        if keyword == "minItems" and expected == 1:
            return f"{owner} has no {noun}" if field else f"{who} is empty"
        bound = "at least" if keyword == "minItems" else "at most"
        noun = noun[:-1] if len(value) == 1 and noun.endswith("s") else noun
        return f"{owner} has {len(value)} {noun}, expected {bound} {expected}"
    if keyword in ("minLength", "maxLength"):
        if keyword == "minLength" and expected == 1:
            return f"{who} is empty"
        bound = "shorter" if keyword == "minLength" else "longer"
        return f"{who} is {bound} than {expected} characters"
    if keyword in _BOUNDS:
        return f"{who} is {show_value(value)}, expected {_BOUNDS[keyword]} {expected}"
    if keyword in ("minProperties", "maxProperties"):
        bound = "at least" if keyword == "minProperties" else "at most"
        keys = "key" if len(value) == 1 else "keys"
        return f"{who} has {len(value)} {keys}, expected {bound} {expected}"
    if keyword in ("minContains", "maxContains"):
        bound = "at least" if keyword == "minContains" else "at most"
        wanted = compiled.deref(error.schema.get("contains")) if isinstance(error.schema, dict) \
            else None
        what = wanted.get("title") if isinstance(wanted, dict) else None
        return f"{who} has the wrong number of {what or 'matching items'}, expected {bound} " \
               f"{expected}"
    return _other(error, keyword, who)


def _other(error: ValidationError, keyword: str, who: str) -> str:
    expected: Any = error.validator_value
    value = error.instance
    if keyword == "pattern":
        return f"{who} is {show_value(value)}, which does not match the pattern {expected}"
    if keyword == "format":
        return f"{who} is {show_value(value)}, not a valid {expected}"
    if keyword == "uniqueItems":
        return f"{who} has duplicates"
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        return f"{who} has unexpected {', '.join(map(show_value, extra_keys(error)))}"
    if keyword == "None":  # a `false` subschema (jsonschema does not say where it was)
        return f"{who}: the value {show_value(value)} is not allowed"
    if keyword == "not":
        sub = expected if isinstance(expected, dict) else {}
        return f"{who} must not be {sub.get('title', 'what the schema excludes')}"
    if keyword == "dependentRequired" and isinstance(value, dict):
        pairs = [(key, need) for key, needs in expected.items() if key in value
                 for need in needs if need not in value]
        if pairs:
            return f"{who} has '{pairs[0][0]}' but not '{pairs[0][1]}'"
    return f"{who}: {one_line(error.message)}"


def _required(error: ValidationError, who: str, top_of_frontmatter: bool) -> str:
    instance = error.instance if isinstance(error.instance, dict) else {}
    wanted: Any = error.validator_value
    missing = [key for key in wanted if key not in instance]
    named = next((key for key in missing if error.message.startswith(repr(key))), None)
    keys = [named] if named is not None else missing
    listed = ", ".join(f"'{key}'" for key in keys)
    noun = "key" if len(keys) == 1 else "keys"
    return f"missing {noun} {listed}" if top_of_frontmatter else f"{who} has no {noun} {listed}"


def _alternatives(error: ValidationError, compiled: CompiledSchema, owner: str, field: str,
                  who: str, path: JSONPath, in_frontmatter: bool) -> str:
    if not error.context:
        return f"{who} matches more than one of the allowed forms"
    lacking = _all_lacking(error)
    if lacking:
        return f"{who} has no {' or '.join(lacking)}"
    types = _all_types(error)
    if types:
        return f"{who} must be {' or '.join(types)} (it is {_kind(error.instance)})"
    best = best_match(error.context)
    below = list(best.absolute_path)[len(error.absolute_path):]
    inner_field = " ".join(filter(None, [field, field_words(below)]))
    return describe(best, compiled, owner, inner_field, [*path, *below], in_frontmatter)


def _all_lacking(error: ValidationError) -> list[str]:
    """["bullets", "paragraphs"] when each alternative only asks for one non-empty list."""
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        by_branch.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    lacking = []
    for subs in by_branch.values():
        if len(subs) != 1 or subs[0].validator != "minItems" or subs[0].validator_value != 1:
            return []
        relative = list(subs[0].relative_path)
        if len(relative) != 1 or not isinstance(relative[0], str):
            return []
        lacking.append(_FIELDS.get(relative[0], relative[0].replace("_", " ")))
    return lacking


def _all_types(error: ValidationError) -> list[str]:
    """["text", "a list"] when every alternative failed only on its `type`."""
    subs = list(error.context or ())
    if not subs or any(sub.validator != "type" or sub.relative_path for sub in subs):
        return []
    kinds: list[str] = []
    for sub in subs:
        wanted: Any = sub.validator_value
        for kind in [wanted] if isinstance(wanted, str) else wanted:
            if _TYPES.get(kind, kind) not in kinds:
                kinds.append(_TYPES.get(kind, kind))
    return kinds


def _contains(error: ValidationError, compiled: CompiledSchema, owner: str, field: str,
              who: str, path: JSONPath) -> str:
    sub = compiled.deref(error.validator_value)
    sub = sub if isinstance(sub, dict) else {}
    heading = _wanted_heading(sub, compiled)
    if heading is not None and path and path[-1] == "sections":
        if len(path) == 1:
            return f"missing top-level section {show_value(heading)}"
        return f"{owner} has no sub-section {show_value(heading)}"
    if "const" in sub:
        return f"{who} must contain {show_value(sub['const'])}"
    if isinstance(sub.get("enum"), list):
        return f"{who} must contain one of {', '.join(map(show_value, sub['enum']))}"
    if isinstance(sub.get("title"), str):
        return f"{owner} has no {sub['title']}"
    hint = f" ({sub['description']})" if isinstance(sub.get("description"), str) else ""
    return f"{owner} has no {field or 'item'} of the required kind{hint}"


def _wanted_heading(sub: dict[str, Any], compiled: CompiledSchema) -> str | None:
    heading = compiled.deref(sub.get("properties", {}).get("heading"))
    if not isinstance(heading, dict):
        return None
    if isinstance(heading.get("const"), str):
        return str(heading["const"])
    choices = heading.get("enum")
    return str(choices[0]) if isinstance(choices, list) and len(choices) == 1 else None


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    name = {dict: "object", list: "array", str: "string", int: "integer", float: "number"}
    return _TYPES.get(name.get(type(value), ""), type(value).__name__)


def show_value(value: Any) -> str:
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return "'" + short.replace("\n", " ") + "'"
    return one_line(json.dumps(value, ensure_ascii=False), 40)
