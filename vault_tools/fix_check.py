"""Did a fix change only what it is about? The exported model before and after, compared.

The model before a fix is first brought to what the fix should make of it: positions moved by
the edits (removing blank lines moves everything below), then what each applied rule may
change set to one form on both sides (EXPECTED_CHANGES: bullet markers unified, a tag string
read as a list, a deprecated key under its new name, the heading tree flattened). After that
the two must be equal; any other difference is a bug in a fix, and the caller does not write.
A fixable rule that is not listed there may change nothing at all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from vault_tools.export import note_record
from vault_tools.findings import Edit
from vault_tools.model import Note
from vault_tools.syntax.tags import STRING_SEPARATORS

Record = dict[str, Any]
Normaliser = Callable[[Record], None]  # brings one side to the common form, in place

_LINE_END_SPACE = re.compile(r"[ \t]+(?=\n)")
RENAMED_KEYS = {"tag": "tags", "alias": "aliases", "cssclass": "cssclasses"}


def _walk(value: Any, skip: str = "") -> Iterator[Record]:
    """Every dict inside `value` (depth first), not descending into the key `skip`."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(v for k, v in item.items() if k != skip)
        elif isinstance(item, list):
            stack.extend(item)


def _soft_line_ends(record: Record) -> None:
    """Spaces before a line end inside a text mean nothing, except two or more spaces, which
    are a hard line break (kept, as one mark). The frontmatter is left as it is: trailing
    spaces in a YAML block scalar are part of the value."""

    def soft(match: re.Match[str]) -> str:
        return "  " if match.group().endswith("  ") else ""

    for item in _walk(record, skip="frontmatter"):
        for key, value in item.items():
            if isinstance(value, str):
                item[key] = _LINE_END_SPACE.sub(soft, value)


def _one_bullet_marker(record: Record) -> None:
    for item in _walk(record, skip="frontmatter"):
        if item.get("marker") in ("*", "+"):
            item["marker"] = "-"


def _tags_as_list(record: Record) -> None:
    matter = record["frontmatter"]
    if isinstance(matter.get("tags"), str):
        matter["tags"] = [part for part in STRING_SEPARATORS.split(matter["tags"]) if part]


def _renamed_keys(record: Record) -> None:
    matter = record["frontmatter"]
    for old, new in RENAMED_KEYS.items():
        if old in matter and new not in matter:
            matter[new] = matter.pop(old)


def _flat_sections(sections: Iterable[Record]) -> Iterator[Record]:
    for section in sections:
        yield {key: value for key, value in section.items()
               if key not in ("level", "path", "sections")}
        yield from _flat_sections(section["sections"])


def _flat_outline(record: Record) -> None:
    """Levels and nesting may change; every heading, in order, with what it holds, may not."""
    record["sections"] = list(_flat_sections(record["sections"]))
    for highlight in record["highlights"]:
        highlight.pop("section", None)


EXPECTED_CHANGES: Mapping[str, tuple[Normaliser, ...]] = {
    "WS001": (_soft_line_ends,),
    "WS002": (),
    "WS003": (),
    "LS001": (_one_bullet_marker,),
    "FM004": (_tags_as_list,),
    "FM005": (_renamed_keys,),
    "HD001": (_flat_outline,),
}


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(match.end() for match in re.finditer("\n", text))
    return starts


def moved(offset: int, edits: Sequence[Edit]) -> int:
    """Where `offset` of the old text lands once `edits` (sorted, apart) are applied."""
    delta = 0
    for edit in edits:
        if offset < edit.start:
            break
        if offset >= edit.end:
            delta += len(edit.text) - (edit.end - edit.start)
            continue
        return edit.start + delta + min(offset - edit.start, len(edit.text))
    return offset + delta


def _move_positions(record: Record, edits: Sequence[Edit], old: str, new: str) -> None:
    old_starts, new_starts = _line_starts(old), _line_starts(new)
    for item in _walk(record, skip="frontmatter"):
        line = item.get("line")
        if not isinstance(line, int) or not 0 < line <= len(old_starts):
            continue
        col = item.get("col", 1)
        target = moved(old_starts[line - 1] + col - 1, edits)
        new_line = bisect_right(new_starts, target)
        item["line"] = new_line
        if "col" in item:
            item["col"] = target - new_starts[new_line - 1] + 1


def _first_difference(old: Any, new: Any, where: str) -> str | None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys()):
            if key not in old or key not in new:
                return f"{where}.{key}".lstrip(".")
            found = _first_difference(old[key], new[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(old, list) and isinstance(new, list):
        for index, (a, b) in enumerate(zip(old, new, strict=False)):
            found = _first_difference(a, b, f"{where}[{index}]")
            if found:
                return found
        return f"{where}[{min(len(old), len(new))}]" if len(old) != len(new) else None
    return None if old == new else where.lstrip(".") or "note"


def _record(note: Note) -> Record:
    """The exported note, safe to normalise in place: note_record builds every container
    afresh but hands out the model's own frontmatter mapping, whose top level we change."""
    record = note_record(note)
    record["frontmatter"] = dict(record["frontmatter"])
    return record


def model_difference(before: Note, after: Note, codes: Iterable[str], edits: Sequence[Edit],
                     old_text: str, new_text: str) -> str | None:
    """None when `after` is what the fixes of `codes` (made of `edits`, which turned
    `old_text` into `new_text`) should make of `before`; else the first field that differs,
    as a path into the exported note (`sections[0].paragraphs[1].text`)."""
    old, new = _record(before), _record(after)
    _move_positions(old, sorted(edits), old_text, new_text)
    for code in sorted(set(codes)):
        for normalise in EXPECTED_CHANGES.get(code, ()):
            normalise(old)
            normalise(new)
    return _first_difference(old, new, "")
