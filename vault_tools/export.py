"""EXPORTERS: the note model -> JSON, JSON Lines, CSV, a CSV of links and an SQLite database
(format in docs/export-format.md).

Every exporter streams: it writes each note as it arrives, so memory does not grow with the
vault. Output is deterministic (fixed key order, notes in discovery order, no timestamps).
What the vault index adds to a note (where each link leads, how many notes link to it) comes
in as a LinkInfo; the backlink count, which needs every note read, may come as a mark that
`fill_backlinks` replaces later (commands/export.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

from vault_tools.model import Highlight, Item, Link, Note, Section

FORMAT_NAME = "vault-tools/export"
FORMAT_VERSION = 1
CSV_HEADER = ("path", "section", "heading", "level", "kind", "depth", "text", "line")
LINKS_CSV_HEADER = ("source", "target", "resolved", "kind", "line")

Record = dict[str, Any]


def _item(item: Item) -> Record:
    return {"text": item.text, "line": item.line, "task": item.task, "marker": item.marker,
            "children": [_item(child) for child in item.children]}


def _highlight(highlight: Highlight) -> Record:
    return {"text": highlight.text, "line": highlight.line, "col": highlight.col}


def _body(section: Section) -> Record:
    return {
        "bullets": [_item(item) for item in section.bullets],
        "paragraphs": [{"text": p.text, "line": p.line} for p in section.paragraphs],
        "highlights": [_highlight(h) for h in section.highlights],
    }


def _section(section: Section) -> Record:
    return {"heading": section.heading, "level": section.level, "line": section.line,
            "path": list(section.path), **_body(section),
            "sections": [_section(child) for child in section.sections]}


@dataclass(frozen=True, slots=True)
class LinkInfo:
    """From the vault index: the path each of the note's links leads to (None: nowhere, or a
    URL), in the order of `note.links`, and how many other notes link to this one."""

    resolved: tuple[str | None, ...]
    backlinks: int


def _link(link: Link) -> Record:
    return {"kind": link.kind, "target": link.target, "heading": link.heading,
            "block": link.block, "alias": link.alias, "line": link.line, "col": link.col,
            "property": link.property}


def _links(note: Note, info: LinkInfo | None) -> list[Record]:
    records = [_link(link) for link in note.links]
    if info is not None:
        for record, resolved in zip(records, info.resolved, strict=True):
            record["resolved"] = resolved
    return records


def note_record(note: Note, info: LinkInfo | None = None) -> Record:
    """The NOTE object of the export format (also what structure schemas validate); `resolved`
    and `backlinks` are there when the vault index was built (`info`), as in every export."""
    record: Record = {
        "path": note.path,
        "title": note.title,
        "frontmatter": note.frontmatter_data,
        "tags": list(note.tags),
        "aliases": list(note.aliases),
        "preamble": _body(note.preamble),
        "sections": [_section(section) for section in note.sections],
        "highlights": [{**_highlight(h), "section": list(h.section)} for h in note.highlights],
        "links": _links(note, info),
        "callouts": [{"type": c.type, "title": c.title, "fold": c.fold, "line": c.line}
                     for c in note.callouts],
        "block_ids": [{"id": b.id, "line": b.line} for b in note.block_ids],
        "errors": [{"code": e.code, "message": e.message, "line": e.line} for e in note.errors],
    }
    if info is not None:
        record["backlinks"] = info.backlinks
    return record


def dumps(record: Record) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def render_json(note: Note, info: LinkInfo | None = None) -> str:
    return dumps(note_record(note, info))


def render_json_entry(note: Note, info: LinkInfo | None = None) -> str:
    return "\n" + dumps(note_record(note, info))


def render_jsonl(note: Note, info: LinkInfo | None = None) -> str:
    return dumps(note_record(note, info)) + "\n"


def iter_csv_rows(note: Note) -> Iterator[tuple[str, str, str, int, str, int, str, int]]:
    yield from _section_rows(note.path, note.preamble)
    for section in note.iter_sections():
        yield from _section_rows(note.path, section)


def _section_rows(path: str, section: Section) -> Iterator[
        tuple[str, str, str, int, str, int, str, int]]:
    joined = " > ".join(section.path)
    heading = section.heading or ""
    level = section.level
    rows: list[tuple[str, int, str, int]] = []  # kind, depth, text, line
    if section.heading is not None:
        rows.append(("heading", 0, heading, section.line))
    stack = [(item, 1) for item in reversed(section.bullets)]
    while stack:
        item, depth = stack.pop()
        rows.append(("bullet", depth, item.text, item.line))
        stack.extend((child, depth + 1) for child in reversed(item.children))
    rows.extend(("paragraph", 0, p.text, p.line) for p in section.paragraphs)
    rows.extend(("highlight", 0, h.text, h.line) for h in section.highlights)
    # Document order; the sort is stable, so a paragraph precedes its own highlights.
    rows.sort(key=lambda row: row[3])
    for kind, depth, text, line in rows:
        yield (path, joined, heading, level, kind, depth, text, line)


def _csv(rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def render_csv(note: Note, info: LinkInfo | None = None) -> str:
    return _csv(iter_csv_rows(note))


def render_links_csv(note: Note, info: LinkInfo | None = None) -> str:
    """One row per link: `resolved` is empty when the link leads nowhere (or is a URL)."""
    resolved = info.resolved if info is not None else (None,) * len(note.links)
    return _csv((note.path, link.target, path or "", link.kind, link.line)
                for link, path in zip(note.links, resolved, strict=True))


def render_record(note: Note, info: LinkInfo | None = None) -> Record:
    return note_record(note, info)  # the SQLite writer inserts it, in this process


def write_database(records: Iterable[Record], target: Path) -> None:
    from vault_tools.sqlite_export import write_database as write  # sqlite3 only when asked

    write(records, target)


@dataclass(frozen=True)
class Exporter:
    """A streaming format: `header`, then each rendered note (joined by `separator`), `footer`.

    Notes are rendered one by one (possibly in worker processes) and never held together. A
    format that is a file rather than text (SQLite) renders records and has `to_file`, which
    writes them to a path.
    """

    render: Callable[[Note, LinkInfo | None], Any]
    header: str = ""
    separator: str = ""
    footer: str = ""
    to_file: Callable[[Iterable[Any], Path], None] | None = None
    links: bool = True  # renders LinkInfo: the vault index is built first
    backlinks: bool = True  # renders LinkInfo.backlinks (see fill_backlinks)

    def write(self, notes: Iterable[Note], out: TextIO) -> None:
        write_rendered((self.render(note, None) for note in notes), self, out)


def fill_backlinks(chunk: Any, mark: int, count: int) -> Any:
    """A note rendered with `mark` standing for its backlink count (the count needs every
    note read; rendering happens before), with the count put in."""
    if isinstance(chunk, dict):  # a record (SQLite)
        return {**chunk, "backlinks": count}
    stand_in = f'"backlinks":{mark}'
    if not isinstance(chunk, str) or chunk.count(stand_in) != 1:
        raise RuntimeError("a rendered note lost its backlink mark (please report)")
    return chunk.replace(stand_in, f'"backlinks":{count}')


def write_rendered(chunks: Iterable[str], exporter: Exporter, out: TextIO) -> None:
    out.write(exporter.header)
    separator = ""
    for chunk in chunks:
        out.write(separator + chunk)
        separator = exporter.separator
    out.write(exporter.footer)


EXPORTERS: Mapping[str, Exporter] = MappingProxyType({
    # One note per line inside "notes": the document streams, and diffs line by line.
    "json": Exporter(render_json_entry,
                     f'{{"format":"{FORMAT_NAME}","version":{FORMAT_VERSION},"notes":[',
                     ",", "\n]}\n"),
    "jsonl": Exporter(render_jsonl),
    "csv": Exporter(render_csv, _csv((CSV_HEADER,)), links=False),
    "links-csv": Exporter(render_links_csv, _csv((LINKS_CSV_HEADER,)), backlinks=False),
    "sqlite": Exporter(render_record, to_file=write_database),
})
