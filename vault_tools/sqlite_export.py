"""`export --format sqlite`: the export as an SQLite database (Python's own sqlite3), for SQL in
the `sqlite3` shell, Datasette or any language.

Tables (docs/export-format.md): `notes`, `tags`, `sections` (the preamble is a section of level
0 with no heading, so that every item has a section), `items` (bullets, paragraphs and
highlights, each under its section; nested bullets point at their parent) and `links` (with
`resolved`, the vault path a link leads to). Keys and indexes make the common questions one
query: the bullets under some headings of the notes with some tag, the notes linking to a note.

The database is built in a temporary file beside the target and moved over it only when
complete: a reader never sees half a database, and a failed export leaves the old one as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from vault_tools.export import FORMAT_NAME, FORMAT_VERSION, Record
from vault_tools.safe_write import commit

SCHEMA = """
CREATE TABLE export (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,      -- POSIX path relative to the vault root
    title TEXT NOT NULL,
    frontmatter TEXT NOT NULL,      -- JSON object
    aliases TEXT NOT NULL,          -- JSON array
    callouts TEXT NOT NULL,         -- JSON array
    block_ids TEXT NOT NULL,        -- JSON array
    errors TEXT NOT NULL,           -- JSON array
    backlinks INTEGER NOT NULL      -- how many other notes link to this one
);
CREATE TABLE tags (
    note_id INTEGER NOT NULL REFERENCES notes(id),
    position INTEGER NOT NULL,
    tag TEXT NOT NULL COLLATE NOCASE,  -- without '#'; nested tags keep their '/'
    PRIMARY KEY (note_id, position)
);
CREATE INDEX tags_tag ON tags(tag);
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    note_id INTEGER NOT NULL REFERENCES notes(id),
    parent_id INTEGER REFERENCES sections(id),
    heading TEXT,                   -- NULL for the preamble
    level INTEGER NOT NULL,         -- 0 for the preamble
    line INTEGER,                   -- NULL for the preamble
    path TEXT NOT NULL              -- the heading path joined with ' > '
);
CREATE INDEX sections_note ON sections(note_id);
CREATE INDEX sections_heading ON sections(heading);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    note_id INTEGER NOT NULL REFERENCES notes(id),
    section_id INTEGER NOT NULL REFERENCES sections(id),
    parent_id INTEGER REFERENCES items(id),  -- the bullet a nested bullet belongs to
    kind TEXT NOT NULL CHECK (kind IN ('bullet', 'paragraph', 'highlight')),
    depth INTEGER NOT NULL,         -- 1 for a top-level bullet; 0 for other kinds
    text TEXT NOT NULL,
    line INTEGER NOT NULL,
    col INTEGER,                    -- highlights only
    task TEXT,                      -- bullets: the status character of '- [x]', else NULL
    marker TEXT                     -- bullets: '-', '*', '+', '.' or ')'
);
CREATE INDEX items_section ON items(section_id);
CREATE INDEX items_note_kind ON items(note_id, kind);
CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    note_id INTEGER NOT NULL REFERENCES notes(id),
    kind TEXT NOT NULL,             -- wikilink, embed, markdown or url
    target TEXT NOT NULL,
    heading TEXT,
    block TEXT,
    alias TEXT,
    line INTEGER NOT NULL,
    col INTEGER NOT NULL,
    property TEXT,                  -- the frontmatter property holding it; NULL: the body
    resolved TEXT                   -- the vault path it leads to; NULL: nowhere, or a URL
);
CREATE INDEX links_note ON links(note_id);
CREATE INDEX links_resolved ON links(resolved);
"""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_database(records: Iterable[Record], target: Path) -> None:
    """Write the notes' records (export.note_record, with link info) as a database at
    `target`, replacing it atomically."""
    folder = target.parent if str(target.parent) else Path(".")
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    temp = Path(name)
    try:
        database = sqlite3.connect(temp)
        try:
            _fill(database, records)
        finally:
            database.close()
        commit(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _fill(database: sqlite3.Connection, records: Iterable[Record]) -> None:
    # The file is a fresh temporary one, replaced whole at the end: no journal is needed.
    database.execute("PRAGMA journal_mode = OFF")
    database.execute("PRAGMA synchronous = OFF")
    database.executescript(SCHEMA)
    with database:
        database.executemany("INSERT INTO export VALUES (?, ?)",
                             [("format", FORMAT_NAME), ("version", str(FORMAT_VERSION))])
        for note_id, record in enumerate(records, start=1):
            _insert_note(database, note_id, record)


def _insert_note(database: sqlite3.Connection, note_id: int, record: Record) -> None:
    database.execute(
        "INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (note_id, record["path"], record["title"], _json(record["frontmatter"]),
         _json(record["aliases"]), _json(record["callouts"]), _json(record["block_ids"]),
         _json(record["errors"]), record.get("backlinks", 0)))
    database.executemany("INSERT INTO tags VALUES (?, ?, ?)",
                         [(note_id, position, tag)
                          for position, tag in enumerate(record["tags"], start=1)])
    preamble = {"heading": None, "level": 0, "line": None, "path": [], "sections": [],
                **record["preamble"]}
    for section in (preamble, *record["sections"]):
        _insert_section(database, note_id, None, section)
    database.executemany(
        "INSERT INTO links (note_id, kind, target, heading, block, alias, line, col, property,"
        " resolved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(note_id, link["kind"], link["target"], link["heading"], link["block"], link["alias"],
          link["line"], link["col"], link["property"], link.get("resolved"))
         for link in record["links"]])


_ITEM = ("INSERT INTO items (note_id, section_id, parent_id, kind, depth, text, line, col, task,"
         " marker) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _insert_section(database: sqlite3.Connection, note_id: int, parent_id: int | None,
                    section: Record) -> None:
    cursor = database.execute(
        "INSERT INTO sections (note_id, parent_id, heading, level, line, path)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (note_id, parent_id, section["heading"], section["level"], section["line"],
         " > ".join(section["path"])))
    section_id = cursor.lastrowid
    for item in section["bullets"]:
        _insert_bullet(database, note_id, section_id, None, item, 1)
    database.executemany(_ITEM, [
        (note_id, section_id, None, "paragraph", 0, p["text"], p["line"], None, None, None)
        for p in section["paragraphs"]])
    database.executemany(_ITEM, [
        (note_id, section_id, None, "highlight", 0, h["text"], h["line"], h["col"], None, None)
        for h in section["highlights"]])
    for child in section["sections"]:
        _insert_section(database, note_id, section_id, child)


def _insert_bullet(database: sqlite3.Connection, note_id: int, section_id: int | None,
                   parent_id: int | None, item: Record, depth: int) -> None:
    cursor = database.execute(_ITEM, (note_id, section_id, parent_id, "bullet", depth,
                                      item["text"], item["line"], None, item["task"],
                                      item["marker"]))
    for child in item["children"]:
        _insert_bullet(database, note_id, section_id, cursor.lastrowid, child, depth + 1)
