"""What the export knows of links: `resolved` and `backlinks` in JSON/JSONL, `--format links-csv`,
and `--format sqlite` (tables, keys, the README's queries, atomic replacement)."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from vault_tools.sqlite_export import write_database

Cli = Callable[..., Result]
MakeVault = Callable[[dict[str, str]], Path]
ROOT = Path(__file__).resolve().parent.parent

VAULT = {
    "Hub.md": "[[Target]] [[gone]] ![[pic.png]] https://example.com [x](sub/Deep%20note.md)\n",
    "Target.md": "[[Hub]] [[Hub#Top]]\n",
    "sub/Deep note.md": "[[Target]] [[../Hub]]\n",
    "pic.png": "",
}


def export(run_cli: Cli, *args: str) -> Result:
    result = run_cli("export", *args)
    assert result.exit_code == 0, result.stderr
    return result


def jsonl(run_cli: Cli, *args: str) -> dict[str, dict[str, Any]]:
    lines = export(run_cli, *args, "--format", "jsonl").stdout.splitlines()
    return {record["path"]: record for record in map(json.loads, lines)}


def test_json_links_are_resolved_and_notes_count_backlinks(run_cli: Cli,
                                                           make_vault: MakeVault) -> None:
    notes = jsonl(run_cli, str(make_vault(VAULT)))
    assert [link["resolved"] for link in notes["Hub.md"]["links"]] == [
        "Target.md", None, "pic.png", None, "sub/Deep note.md"]
    assert {path: note["backlinks"] for path, note in notes.items()} == {
        "Hub.md": 2, "Target.md": 2, "sub/Deep note.md": 1}


def test_a_sub_folder_export_keeps_paths_relative_to_it(run_cli: Cli,
                                                        make_vault: MakeVault) -> None:
    notes = jsonl(run_cli, str(make_vault(VAULT) / "sub"))
    assert list(notes) == ["Deep note.md"]
    assert [link["resolved"] for link in notes["Deep note.md"]["links"]] == [
        "../Target.md", "../Hub.md"]
    assert notes["Deep note.md"]["backlinks"] == 1  # from Hub.md, outside the folder


def test_links_csv(run_cli: Cli, make_vault: MakeVault) -> None:
    text = export(run_cli, str(make_vault(VAULT)), "--format", "links-csv").stdout_bytes.decode()
    assert text.startswith("source,target,resolved,kind,line\r\n")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert rows == [
        ["Hub.md", "Target", "Target.md", "wikilink", "1"],
        ["Hub.md", "gone", "", "wikilink", "1"],
        ["Hub.md", "pic.png", "pic.png", "embed", "1"],
        ["Hub.md", "https://example.com", "", "url", "1"],
        ["Hub.md", "sub/Deep note.md", "sub/Deep note.md", "markdown", "1"],
        ["Target.md", "Hub", "Hub.md", "wikilink", "1"],
        ["Target.md", "Hub", "Hub.md", "wikilink", "1"],
        ["sub/Deep note.md", "Target", "Target.md", "wikilink", "1"],
        ["sub/Deep note.md", "../Hub", "Hub.md", "wikilink", "1"],
    ]


def test_export_with_links_is_the_same_whatever_the_jobs(run_cli: Cli,
                                                         make_vault: MakeVault) -> None:
    # Enough notes for the process pool to start (parallel.MIN_PARALLEL_ITEMS).
    vault = make_vault({f"n{i:03d}.md": f"[[n{(i + 1) % 260:03d}]] [[gone{i}]]\n"
                        for i in range(260)})
    single = export(run_cli, str(vault), "--format", "jsonl", "-j", "1").stdout
    assert single == export(run_cli, str(vault), "--format", "jsonl", "-j", "2").stdout
    assert all(json.loads(line)["backlinks"] == 1 for line in single.splitlines())


def test_notes_filtered_out_and_notes_given_twice_count_once(run_cli: Cli,
                                                             make_vault: MakeVault) -> None:
    vault = make_vault({**VAULT, "Tagged.md": "---\ntags: [keep]\n---\n[[Hub]]\n"})
    # Hub.md is filtered out by --tag but still links to Target.md; Tagged.md links to Hub.md.
    kept = jsonl(run_cli, str(vault), "--tag", "keep")
    assert list(kept) == ["Tagged.md"] and kept["Tagged.md"]["backlinks"] == 0
    twice = jsonl(run_cli, str(vault), str(vault / "Hub.md"))
    assert twice["Target.md"]["backlinks"] == 2  # Hub.md read twice is one linking note


@pytest.mark.parametrize("tmp_fails", [False, True], ids=["on-disk", "no-temporary-file"])
def test_notes_waiting_for_backlinks_spill_to_disk_without_changing_a_byte(
        run_cli: Cli, make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch,
        tmp_fails: bool) -> None:
    from vault_tools.commands import export as command

    vault = make_vault({f"n{i:02d}.md": f"# N{i}\n[[n{(i * 7) % 40:02d}]] [[gone]]\n"
                        for i in range(40)})
    in_memory = export(run_cli, str(vault), "--format", "json").stdout
    monkeypatch.setattr(command._Spool, "IN_MEMORY", 200)  # spill after the first notes
    if tmp_fails:
        def refuse() -> None:
            raise PermissionError("read-only TMPDIR")
        monkeypatch.setattr(command.tempfile, "TemporaryFile", refuse)
    assert export(run_cli, str(vault), "--format", "json").stdout == in_memory
    # Each note is linked from exactly one note (7 is invertible mod 40): n00 and n20 only
    # from themselves, which does not count.
    assert [n["backlinks"] for n in json.loads(in_memory)["notes"]] == [
        0 if i in (0, 20) else 1 for i in range(40)]


def test_backlinks_agree_with_resolved_links_on_the_corpora(run_cli: Cli,
                                                            corpora_dir: Path) -> None:
    """`backlinks` are counted while the notes are rendered, then filled in: counting the
    `resolved` links by hand gives the same numbers."""
    for corpus in sorted(p for p in corpora_dir.iterdir() if p.is_dir()):
        notes = jsonl(run_cli, str(corpus))
        linking: dict[str, set[str]] = {}
        for path, note in notes.items():
            for link in note["links"]:
                if link["resolved"] not in (None, path):
                    linking.setdefault(link["resolved"], set()).add(path)
        assert {p: n["backlinks"] for p, n in notes.items()} == {
            p: len(linking.get(p, ())) for p in notes}, corpus.name


# -- SQLite -----------------------------------------------------------------------------------


@pytest.fixture
def database(run_cli: Cli, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    target = tmp_path / "vault.db"
    export(run_cli, "sample_vault", "--format", "sqlite", "-o", str(target))
    connection = sqlite3.connect(target)
    yield connection
    connection.close()


def readme_queries() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, re.DOTALL)


def test_tables_keys_and_indexes(database: sqlite3.Connection) -> None:
    tables = {name for (name,) in database.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"export", "notes", "tags", "sections", "items", "links"}
    assert dict(database.execute("SELECT key, value FROM export")) == {
        "format": "vault-tools/export", "version": "1"}
    assert list(database.execute("PRAGMA foreign_key_check")) == []
    indexes = {name for (name,) in database.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")}
    assert {"tags_tag", "links_resolved", "items_section", "sections_note"} <= indexes
    counts = dict(database.execute(
        "SELECT kind, count(*) FROM items GROUP BY kind"))
    assert set(counts) == {"bullet", "paragraph", "highlight"}
    assert database.execute("SELECT count(*) FROM notes").fetchone() == (11,)
    # One preamble (level 0, no heading) per note: every item has a section.
    assert database.execute(
        "SELECT count(*) FROM sections WHERE level = 0 AND heading IS NULL").fetchone() == (11,)


def test_the_whole_model_is_there(database: sqlite3.Connection, run_cli: Cli) -> None:
    notes = jsonl(run_cli, "sample_vault")
    note = notes["Career/ML roles.md"]
    row = database.execute("SELECT id, title, frontmatter, backlinks FROM notes"
                           " WHERE path = 'Career/ML roles.md'").fetchone()
    assert (row[1], json.loads(row[2]), row[3]) == (
        note["title"], note["frontmatter"], note["backlinks"])
    tags = [tag for (tag,) in database.execute(
        "SELECT tag FROM tags WHERE note_id = ? ORDER BY position", (row[0],))]
    assert tags == note["tags"]
    links = list(database.execute(
        "SELECT kind, target, heading, block, alias, line, col, property, resolved FROM links"
        " WHERE note_id = ? ORDER BY id", (row[0],)))
    assert links == [tuple(link.values()) for link in note["links"]]
    nested = list(database.execute(
        "SELECT child.depth, parent.depth, child.section_id = parent.section_id FROM items child"
        " JOIN items parent ON parent.id = child.parent_id"))
    assert nested and all(row == (2, 1, 1) for row in nested)


def role_bullets(notes: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """The README's first query, computed from the JSON export instead."""
    found = []

    def walk(path: str, section: dict[str, Any]) -> None:
        if section["level"] == 2:
            stack = list(section["bullets"])
            while stack:
                item = stack.pop(0)
                found.append((path, section["heading"], item["text"], item["line"]))
                stack.extend(item["children"])
        for child in section["sections"]:
            walk(path, child)

    for path, note in notes.items():
        if any(t.lower() == "work" or t.lower().startswith("work/") for t in note["tags"]):
            for section in note["sections"]:
                walk(path, section)
    return [(path, heading, text) for path, heading, text, _ in
            sorted(found, key=lambda row: (row[0], row[3]))]


def test_readme_queries(database: sqlite3.Connection, run_cli: Cli) -> None:
    bullets, linking, broken = readme_queries()
    rows = list(database.execute(bullets))
    assert rows == role_bullets(jsonl(run_cli, "sample_vault"))
    assert len(rows) == 29
    assert rows[0] == ("Career/ML roles.md", "MLOps Engineer", "Builds the path from a trained "
                       "model to a service that stays healthy in production.")
    assert {path for path, _, _ in rows} == {"Career/ML roles.md", "Career/Product roles.md",
                                             "Career/Research roles.md",
                                             "Career/Software roles.md", "Inbox/Needs work.md"}
    assert list(database.execute(linking)) == [
        ("Career/ML roles.md",), ("Career/Software roles.md",), ("Reading list.md",)]
    assert list(database.execute(broken)) == []


def test_sqlite_needs_a_file(run_cli: Cli) -> None:
    result = run_cli("export", "sample_vault", "--format", "sqlite")
    assert result.exit_code == 2
    assert result.stderr == ("vault-tools: error: --format sqlite writes a database file: "
                             "give -o FILE\n")


def test_sqlite_follows_the_tag_filter(run_cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "work.db"
    export(run_cli, "sample_vault", "--format", "sqlite", "--tag", "work/ml", "-o", str(target))
    with sqlite3.connect(target) as connection:
        assert list(connection.execute("SELECT path FROM notes")) == [("Career/ML roles.md",)]


def test_reexport_replaces_the_database_atomically(run_cli: Cli, make_vault: MakeVault,
                                                   tmp_path: Path) -> None:
    vault = make_vault({"a.md": "[[b]]\n", "b.md": "text\n"})
    target = tmp_path / "out" / "vault.db"
    target.parent.mkdir()
    export(run_cli, str(vault), "--format", "sqlite", "-o", str(target))
    first = target.read_bytes()
    export(run_cli, str(vault), "--format", "sqlite", "-o", str(target))
    assert target.read_bytes() == first  # deterministic: the same vault, the same bytes
    (vault / "c.md").write_text("[[a]]\n", encoding="utf-8")
    export(run_cli, str(vault), "--format", "sqlite", "-o", str(target))
    with sqlite3.connect(target) as connection:
        assert list(connection.execute("SELECT path, backlinks FROM notes ORDER BY id")) == [
            ("a.md", 1), ("b.md", 1), ("c.md", 0)]
    assert [p.name for p in target.parent.iterdir()] == ["vault.db"]  # no temporary file left


def test_a_failed_export_leaves_the_old_database(tmp_path: Path) -> None:
    target = tmp_path / "vault.db"
    target.write_bytes(b"the old database")

    def records() -> Iterator[dict[str, Any]]:
        raise OSError("disk full")
        yield {}

    with pytest.raises(OSError, match="disk full"):
        write_database(records(), target)
    assert target.read_bytes() == b"the old database"
    assert [p.name for p in tmp_path.iterdir()] == ["vault.db"]
