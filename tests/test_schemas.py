"""Structure schemas (SC001 frontmatter, SC002 structure): the shipped role schema on good and bad
notes, each kind of violation at its line, local and remote `$ref`s, broken schemas, `schema
init` and `schema check`. Cases are (line, col, code); messages are asserted where the issue
gives them word for word."""

from __future__ import annotations

import json
import pickle
import shutil
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import ROOT, SAMPLE_VAULT

from vault_tools import schemas as schemas_module
from vault_tools.config import Config, SchemaMapping
from vault_tools.parse import parse_note
from vault_tools.rules import NoteContext
from vault_tools.rules import sc001_frontmatter_schema as sc001
from vault_tools.rules import sc002_structure_schema as sc002
from vault_tools.schema_loader import build_schema_set
from vault_tools.schema_refs import top_level_reads
from vault_tools.schemas import SchemaSet
from vault_tools.source import decode

RunCli = Callable[..., Result]
MakeVault = Callable[[dict[str, str]], Path]
PACKAGED = ROOT / "vault_tools" / "schemas"
ROLE_SCHEMA = PACKAGED / "role-note.schema.json"
ROLE_NOTES = sorted(p.name for p in (SAMPLE_VAULT / "Career").glob("*roles.md"))
Found = list[tuple[int, int, str]]

GOOD_ROLES = """---
tags:
  - Work
---

What I want next.

# Yes

## Platform Engineer

- Builds the tools other engineers use.

## Data Engineer

Moves data around, reliably.

# Not

### Sales Engineer

- Quota-driven.
"""


def write_schema(folder: Path, name: str, schema: Any) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(schema), encoding="utf-8")
    return path


def schema_set(folder: Path, *, frontmatter: Any = None, structure: Any = None,
               tag: str | None = "Work", glob: str | None = None) -> SchemaSet:
    """A SchemaSet for one `[[schemas]]` entry; dict schemas are written to `folder` first."""
    def as_path(schema: Any, name: str) -> Path | None:
        if schema is None or isinstance(schema, Path):
            return schema
        return write_schema(folder, name, schema)

    mapping = SchemaMapping(tag, glob, as_path(frontmatter, "fm.schema.json"),
                            as_path(structure, "structure.schema.json"))
    built = build_schema_set(Config(source=folder / ".vault-tools.toml", root=folder,
                                    schemas=(mapping,)))
    assert built is not None
    return built


def check(text: str, schemas: SchemaSet, rel: str = "note.md") -> list[tuple[int, int, str, str]]:
    """(line, col, code, message) of SC001 and SC002 on `text`, as the engine would run them."""
    note = parse_note(text, rel)
    ctx = NoteContext(note, decode(text.encode()), schemas=schemas.for_note(note, rel))
    found = [(v.line, v.col, rule.CODE, v.message)
             for rule in (sc001, sc002) for v in rule.check(ctx, {})]
    return sorted(found)


def positions(text: str, schemas: SchemaSet, rel: str = "note.md") -> Found:
    return [(line, col, code) for line, col, code, _ in check(text, schemas, rel)]


@pytest.fixture
def role(tmp_path: Path) -> SchemaSet:
    return schema_set(tmp_path, structure=ROLE_SCHEMA)


# -- the shipped role-note schema ----------------------------------------------------------------


def test_seed_note_passes_the_role_schema(seed_note: Path, role: SchemaSet) -> None:
    assert check(seed_note.read_text(encoding="utf-8"), role) == []


def test_good_role_note_passes(role: SchemaSet) -> None:
    assert check(GOOD_ROLES, role) == []


@pytest.mark.parametrize(("text", "expected"), [
    # An empty role, in a group whose other role is fine.
    ("---\ntags: [Work]\n---\n# Yes\n## Empty\n## Full\n- a\n", [(5, 1, "SC002")]),
    # A group without roles under it.
    ("---\ntags: [Work]\n---\n# Yes\nNo roles here.\n", [(4, 1, "SC002")]),
    # No headings at all: at the first line after the frontmatter.
    ("---\ntags: [Work]\n---\nJust text.\n", [(4, 1, "SC002")]),
    # Tagged Work inline but without a `tags` key: at the frontmatter's first line.
    ("---\ntitle: x\n---\n#Work\n# Yes\n## Role\n- a\n", [(1, 1, "SC001")]),
    # `tags:` left empty (tagged Work inline): at the value's position.
    ("---\ntags:\n---\n#Work\n# Yes\n## Role\n- a\n", [(2, 6, "SC001")]),
    # Every violation of the note, not only the first.
    ("---\ntags: [Work]\n---\n# Yes\n## A\n## B\n# Not\n", [(5, 1, "SC002"), (6, 1, "SC002"),
                                                          (7, 1, "SC002")]),
])
def test_bad_role_notes(role: SchemaSet, text: str, expected: Found) -> None:
    assert positions(text, role) == expected


def test_role_messages_speak_of_the_note(role: SchemaSet) -> None:
    text = "---\ntags: [Work]\n---\n# Yes\n## Data Engineer\n# Not\n"
    assert [m for *_, m in check(text, role)] == [
        "section 'Yes' > 'Data Engineer' has no bullets or paragraphs",
        "section 'Not' has no role headings under it",
    ]


def test_notes_without_the_tag_are_not_checked(role: SchemaSet) -> None:
    assert check("---\ntags: [Home]\n---\nNo headings.\n", role) == []


@pytest.mark.parametrize(("tags", "applies"), [
    ("[Work]", True), ("[work]", True), ("[Work/ML]", True), ("[Workshop]", False),
    ("Work, draft", True), ("[Home]", False),
])
def test_tag_matching_includes_nested_tags(role: SchemaSet, tags: str, applies: bool) -> None:
    note = parse_note(f"---\ntags: {tags}\n---\nNo headings.\n")
    assert bool(role.matching(note)) is applies


def test_sample_vault_role_notes_pass_and_the_faulty_note_has_one_empty_role(
        run_cli: RunCli) -> None:
    result = run_cli("lint", "sample_vault", "--select", "SC", "--output-format", "concise",
                     "--no-cache")
    assert result.stdout.splitlines()[:-1] == [
        "sample_vault/Inbox/Needs work.md:30:1: SC002 section 'Not' > 'Sales Engineer' "
        "has no bullets or paragraphs"]


def test_sample_vault_schema_is_the_packaged_one() -> None:
    # A copy (not a symlink) so the sample vault stays a self-contained vault; kept identical.
    copy = SAMPLE_VAULT / "schemas" / "role-note.schema.json"
    assert not copy.is_symlink()
    assert copy.read_bytes() == ROLE_SCHEMA.read_bytes()
    assert (ROOT / "schemas" / "role-note.schema.json").resolve() == ROLE_SCHEMA.resolve()


# -- SC001: frontmatter, each kind of violation at its key or value ------------------------------


FM_SCHEMA = {
    "type": "object",
    "required": ["tags", "status"],
    "additionalProperties": False,
    "properties": {
        "tags": {"type": "array", "items": {"type": "string"}},
        "status": {"enum": ["open", "done"]},
        "rating": {"type": "integer"},
        "due": {"type": "string", "format": "date"},
    },
}


@pytest.fixture
def fm(tmp_path: Path) -> SchemaSet:
    return schema_set(tmp_path, frontmatter=FM_SCHEMA)


@pytest.mark.parametrize(("frontmatter", "expected"), [
    ("tags: [Work]\nstatus: open", []),
    ("tags: [Work]", [(1, 1, "SC001")]),  # missing key: the frontmatter's first line
    ("tags: [Work]\nstatus: open\nrating: high", [(4, 9, "SC001")]),  # wrong type
    ("tags: [Work]\nstatus: later", [(3, 9, "SC001")]),  # wrong enum value
    ("tags:\n  - Work\n  - [a, b]\nstatus: open", [(4, 5, "SC001")]),  # nested list item
    ("tags: [Work]\nstatus: open\ncolour: red", [(4, 1, "SC001")]),  # unknown key: the key
    ("tags: [Work]\nstatus: open\ndue: '2024-13-45'", [(4, 6, "SC001")]),  # format
    ("tags: [Work]\nstatus: [open]\nrating: x", [(3, 9, "SC001"), (4, 9, "SC001")]),
])
def test_frontmatter_violations_at_key_or_value(fm: SchemaSet, frontmatter: str,
                                                expected: Found) -> None:
    assert positions(f"---\n{frontmatter}\n---\nBody.\n", fm) == expected


def test_frontmatter_messages(fm: SchemaSet) -> None:
    text = "---\ntags:\n  - Work\n  - [a, b]\nstatus: later\nrating: 1.5\ncolour: red\n---\n"
    assert [m for *_, m in check(text, fm)] == [
        "'tags' item 2 must be text (it is a list)",
        "'status' is 'later', expected one of 'open', 'done'",
        "'rating' must be a whole number (it is a number)",
        "unknown key 'colour' (known keys: due, rating, status, tags)",
    ]


def test_missing_key_message_names_the_key(fm: SchemaSet) -> None:
    assert check("---\ntags: [Work]\n---\n", fm) == [(1, 1, "SC001", "missing key 'status'")]


def test_contains_message_at_the_list_value(tmp_path: Path, seed_note: Path) -> None:
    # The issue's example: `Career/Roles.md:3:3: SC001 'tags' must contain 'Work'`.
    schemas = schema_set(tmp_path, tag=None, glob="Career/**",
                         frontmatter={"properties": {"tags": {"contains": {"const": "Work"}}}})
    text = seed_note.read_text(encoding="utf-8").replace("- Work", "- Home")
    assert check(text, schemas, "Career/Roles.md") == [
        (3, 3, "SC001", "'tags' must contain 'Work'")]
    assert check(text, schemas, "Other/Roles.md") == []


def test_broken_frontmatter_is_left_to_fm001(fm: SchemaSet) -> None:
    assert check("---\ntags: [Work\n---\n#Work\n", fm) == []


def test_structure_schema_frontmatter_part_is_sc001(tmp_path: Path) -> None:
    schemas = schema_set(tmp_path, structure={
        "properties": {"frontmatter": {"properties": {"status": {"const": "done"}}}}})
    assert check("---\ntags: [Work]\nstatus: open\n---\n", schemas) == [
        (3, 9, "SC001", "'status' is 'open', expected 'done'")]


# -- SC002: structure, at the section, bullet or highlight ---------------------------------------


def test_missing_sections_one_message_each(tmp_path: Path) -> None:
    schemas = schema_set(tmp_path, structure={"properties": {"sections": {"allOf": [
        {"contains": {"properties": {"heading": {"const": "Yes"}}}},
        {"contains": {"properties": {"heading": {"const": "Not"}}}},
    ]}}})
    assert check("---\ntags: [Work]\n---\n\n# Maybe\n", schemas) == [
        (5, 1, "SC002", "missing top-level section 'Not'"),
        (5, 1, "SC002", "missing top-level section 'Yes'"),
    ]


def test_role_without_bullets(tmp_path: Path) -> None:
    bullets = {"properties": {"bullets": {"minItems": 1}}}
    schemas = schema_set(tmp_path, structure={"properties": {"sections": {"items": {
        "properties": {"sections": {"items": bullets}}}}}})
    text = "#Work\n# Not\n### Data Engineer\nOnly a paragraph.\n"
    assert check(text, schemas) == [
        (3, 1, "SC002", "section 'Not' > 'Data Engineer' has no bullets")]


def test_bullet_and_highlight_positions(tmp_path: Path) -> None:
    schemas = schema_set(tmp_path, structure={"properties": {
        "sections": {"items": {"properties": {"bullets": {"items": {
            "properties": {"task": {"type": "null"}}}}}}},
        "highlights": {"items": {"properties": {"text": {"maxLength": 5}}}},
    }})
    text = "#Work\n# Tasks\n\n- plain\n- [ ] a task\n\nSome ==long highlight== here.\n"
    assert positions(text, schemas) == [(5, 1, "SC002"), (7, 6, "SC002")]


def test_wrong_level_and_custom_message(tmp_path: Path) -> None:
    schemas = schema_set(tmp_path, structure={"properties": {"sections": {"items": {
        "properties": {"level": {"const": 1, "x-message": "must be a level-1 heading"}},
        "required": ["heading"]}}}})
    assert check("#Work\n## Yes\n", schemas) == [
        (2, 1, "SC002", "section 'Yes' must be a level-1 heading")]


def test_capitalised_custom_message_is_used_as_is(tmp_path: Path) -> None:
    schemas = schema_set(tmp_path, structure={"properties": {"sections": {
        "minItems": 2, "x-message": "Role notes need two groups."}}})
    assert check("#Work\n# Yes\n", schemas) == [(2, 1, "SC002", "Role notes need two groups.")]


def test_local_ref_to_another_file(tmp_path: Path) -> None:
    write_schema(tmp_path, "parts/common.json", {"$defs": {"two": {"minItems": 2}}})
    schemas = schema_set(tmp_path, structure={
        "properties": {"sections": {"$ref": "parts/common.json#/$defs/two"}}})
    assert positions("#Work\n# One\n", schemas) == [(2, 1, "SC002")]
    assert positions("#Work\n# One\n# Two\n", schemas) == []


def test_draft_07_schema(tmp_path: Path) -> None:
    schemas = schema_set(tmp_path, structure={
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": {"group": {"properties": {"sections": {"minItems": 1}}}},
        "properties": {"sections": {"items": {"$ref": "#/definitions/group"}}}})
    assert positions("#Work\n# Lonely\n", schemas) == [(2, 1, "SC002")]


def test_recursive_schema_keeps_working(tmp_path: Path) -> None:
    schemas = schema_set(tmp_path, structure={
        "$defs": {"section": {"properties": {
            "heading": {"minLength": 2}, "sections": {"items": {"$ref": "#/$defs/section"}}}}},
        "properties": {"sections": {"items": {"$ref": "#/$defs/section"}}}})
    assert positions("#Work\n# Top\n## Mid\n### X\n", schemas) == [(4, 1, "SC002")]


def test_glob_is_relative_to_the_config_folder(tmp_path: Path, run_cli: RunCli) -> None:
    # No .obsidian/: linting the sub-folder makes the notes' own paths start below Career/.
    for rel in ("Career/Roles.md", "Other/Roles.md"):
        (tmp_path / rel).parent.mkdir(parents=True)
        (tmp_path / rel).write_text("---\ntags: [x]\n---\nNo headings.\n", encoding="utf-8")
    shutil.copy(ROLE_SCHEMA, tmp_path / "role.json")
    (tmp_path / ".vault-tools.toml").write_text(
        '[[schemas]]\nglob = "Career/**"\nstructure = "role.json"\n', encoding="utf-8")
    for folder, expected in (("Career", [(4, "SC002")]), ("Other", [])):
        result = run_cli("lint", str(tmp_path / folder), "--select", "SC", "--output-format",
                         "json", "--no-cache")
        assert [(r["line"], r["code"]) for r in json.loads(result.stdout)] == expected


def test_schema_set_survives_pickling(role: SchemaSet) -> None:
    # Worker processes started with `spawn` (macOS, Windows) receive the plan pickled.
    text = "---\ntags: [Work]\n---\n# Yes\n"
    assert check(text, pickle.loads(pickle.dumps(role))) == check(text, role)


# -- configuration errors: one line, exit 2, before any note is read -----------------------------


def vault_with_schema(make_vault: MakeVault, schema: Any, name: str = "s.json") -> Path:
    vault = make_vault({"note.md": "---\ntags: [Work]\n---\n# Yes\n"})
    (vault / name).write_text(schema if isinstance(schema, str) else json.dumps(schema),
                              encoding="utf-8")
    (vault / ".vault-tools.toml").write_text(
        f'[[schemas]]\ntag = "Work"\nstructure = "{name}"\n', encoding="utf-8")
    return vault


def assert_one_line_error(result: Result, *parts: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("vault-tools: error: "), result.stderr
    for part in parts:
        assert part in lines[0]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a schema check tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("ref", ["https://example.com/role.json",
                                 "http://example.com/role.json#/$defs/x"])
def test_remote_ref_is_refused_without_network(make_vault: MakeVault, run_cli: RunCli,
                                               ref: str) -> None:
    vault = vault_with_schema(make_vault, {"properties": {"sections": {"$ref": ref}}})
    result = run_cli("lint", str(vault), "--no-cache")
    assert_one_line_error(result, "s.json", json.dumps(ref), "remote")


@pytest.mark.usefixtures("no_network")
def test_ref_made_remote_by_an_id_is_refused(make_vault: MakeVault, run_cli: RunCli) -> None:
    vault = vault_with_schema(make_vault, {"$id": "https://example.com/s.json",
                                           "properties": {"sections": {"$ref": "other.json"}}})
    result = run_cli("lint", str(vault), "--no-cache")
    assert_one_line_error(result, "s.json", '"other.json"', "https://example.com/other.json")


@pytest.mark.parametrize(("schema", "parts"), [
    ({"type": "objekt"}, ("s.json", "not a valid JSON Schema", "/type")),
    ({"properties": {"sections": {"minItems": -1}}}, ("s.json", "/properties/sections/minItems")),
    ('{"type": ', ("s.json", "not valid JSON", "line 1")),
    ("[1, 2]", ("s.json", "object")),
    ({"$schema": "https://example.com/my-draft"}, ("s.json", "unknown $schema")),
    ({"$ref": "missing.json"}, ("s.json", '"missing.json"', "no such file")),
    ({"$ref": "#/$defs/nowhere"}, ("s.json", '"#/$defs/nowhere"', "does not resolve")),
])
def test_broken_schema_is_one_clear_line(make_vault: MakeVault, run_cli: RunCli,
                                         schema: Any, parts: tuple[str, ...]) -> None:
    vault = vault_with_schema(make_vault, schema)
    assert_one_line_error(run_cli("lint", str(vault), "--no-cache"), *parts)


def test_missing_schema_file_names_the_config_key(make_vault: MakeVault, run_cli: RunCli) -> None:
    vault = vault_with_schema(make_vault, {})
    (vault / "s.json").unlink()
    result = run_cli("lint", str(vault), "--no-cache")
    assert_one_line_error(result, ".vault-tools.toml", "schemas[0].structure", "s.json")


def test_validators_are_built_once_per_schema_file(
        make_vault: MakeVault, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = make_vault({f"n{i}.md": "---\ntags: [Work]\n---\n# Yes\n" for i in range(5)})
    shutil.copy(ROLE_SCHEMA, vault / "role.json")
    (vault / ".vault-tools.toml").write_text(
        '[[schemas]]\ntag = "Work"\nstructure = "role.json"\n'
        '[[schemas]]\nglob = "n*.md"\nstructure = "role.json"\n', encoding="utf-8")
    built: list[str] = []
    original = schemas_module.CompiledSchema.__init__

    def counting(self: schemas_module.CompiledSchema, *args: Any) -> None:
        built.append(args[0])
        original(self, *args)

    monkeypatch.setattr(schemas_module.CompiledSchema, "__init__", counting)
    result = run_cli("lint", str(vault), "--select", "SC", "--no-cache", "-j", "1",
                     "--output-format", "json")
    assert len(json.loads(result.stdout)) == 5  # one "has no role headings" per note
    assert len(built) == 1


# -- schema init / schema check ------------------------------------------------------------------


@pytest.mark.parametrize("name", ROLE_NOTES)
def test_init_from_each_role_note_then_lint(tmp_path: Path, run_cli: RunCli, name: str) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    text = (SAMPLE_VAULT / "Career" / name).read_text(encoding="utf-8")
    (vault / "Example.md").write_text(text, encoding="utf-8")
    target = vault / "schemas" / "example.schema.json"
    result = run_cli("schema", "init", "--from", str(vault / "Example.md"), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["$defs"]
    (vault / ".vault-tools.toml").write_text(
        '[[schemas]]\nglob = "*.md"\nstructure = "schemas/example.schema.json"\n',
        encoding="utf-8")
    # The same note without its "# Not" group (the last top-level section).
    cut = text.index("\n# Not\n")
    (vault / "Cut.md").write_text(text[:cut + 1], encoding="utf-8")
    lint = run_cli("lint", str(vault), "--select", "SC", "--output-format", "json", "--no-cache")
    records = json.loads(lint.stdout)
    first_heading = text[:text.index("\n# ")].count("\n") + 2
    assert [(Path(r["path"]).name, r["line"], r["code"], r["message"]) for r in records] == [
        ("Cut.md", first_heading, "SC002", "missing top-level section 'Not'")]


def test_init_refuses_to_overwrite_without_force(tmp_path: Path, run_cli: RunCli) -> None:
    target = tmp_path / "s.json"
    target.write_text("{}\n", encoding="utf-8")
    example = str(SAMPLE_VAULT / "Career" / ROLE_NOTES[0])
    result = run_cli("schema", "init", "--from", example, "-o", str(target))
    assert result.exit_code == 2 and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "{}\n"
    assert run_cli("schema", "init", "--from", example, "-o", str(target), "--force"
                   ).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["$defs"]


def test_init_describes_levels_frontmatter_and_bullets(tmp_path: Path, run_cli: RunCli) -> None:
    note = tmp_path / "n.md"
    note.write_text("---\ntags: [Work]\ndate: 2026-01-02\nrating: 3\n---\n"
                    "# Log\n- a\n## Sub\ntext\n", encoding="utf-8")
    schema = json.loads(run_cli("schema", "init", "--from", str(note)).stdout)
    assert schema["properties"]["frontmatter"] == {
        "required": ["tags", "date", "rating"],
        "properties": {"tags": {"type": "array", "items": {"type": "string"}},
                       "date": {"type": "string", "format": "date"},
                       "rating": {"type": "integer"}}}
    log = schema["$defs"]["section-1"]
    assert log["title"] == "Log"
    assert log["properties"]["level"] == {"const": 1}
    assert log["properties"]["bullets"] == {"minItems": 1}
    assert log["properties"]["sections"]["items"]["properties"]["level"] == {"const": 2}


def test_schema_check_sample_vault(run_cli: RunCli) -> None:
    result = run_cli("schema", "check", "sample_vault")
    assert result.exit_code == 1
    assert result.stdout == (
        "sample_vault/schemas/role-note.schema.json (tag Work): 5 notes, 4 ok, 1 failing\n"
        "  ok    sample_vault/Career/ML roles.md\n"
        "  ok    sample_vault/Career/Product roles.md\n"
        "  ok    sample_vault/Career/Research roles.md\n"
        "  ok    sample_vault/Career/Software roles.md\n"
        "  FAIL  sample_vault/Inbox/Needs work.md\n"
        "          30:1: SC002 section 'Not' > 'Sales Engineer' has no bullets or paragraphs\n"
        "6 notes matched no schema.\n")


def test_schema_check_without_schemas_is_a_usage_error(make_vault: MakeVault,
                                                       run_cli: RunCli) -> None:
    vault = make_vault({"note.md": "# A\n"})
    result = run_cli("schema", "check", str(vault))
    assert result.exit_code == 2 and "no [[schemas]] entries" in result.stderr


@pytest.mark.parametrize("schema", [
    {"properties": {"links": {"maxItems": 0}}},
    {"allOf": [{"properties": {"links": {"maxItems": 0}}}]},  # not narrow: the whole record
    {"properties": {"sections": {}, "links": {"$ref": "#/$defs/none"}},
     "$defs": {"none": {"maxItems": 0}}},
])
def test_parts_a_schema_reads_are_in_the_record(tmp_path: Path, schema: Any) -> None:
    # Parts that no schema reads are left out of the record for speed; read ones never are.
    schemas = schema_set(tmp_path, structure=schema)
    assert positions("#Work\n# A\nSee [[Other]].\n", schemas) == [(2, 1, "SC002")]


@pytest.mark.parametrize(("schema", "reads"), [
    ({"properties": {"sections": {}, "frontmatter": {}}, "title": "x"},
     frozenset({"sections", "frontmatter"})),
    ({"required": ["sections"]}, frozenset()),
    ({"allOf": [{"properties": {"links": {}}}]}, None),
    ({"additionalProperties": False, "properties": {}}, None),
    (True, None),
])
def test_top_level_reads(schema: Any, reads: frozenset[str] | None) -> None:
    assert top_level_reads(schema) == reads


@pytest.mark.parametrize(("dialect", "count", "fails"), [
    ("https://json-schema.org/draft/2020-12/schema", 1, True),
    ("https://json-schema.org/draft/2020-12/schema", 2, False),
    ("https://json-schema.org/draft/2020-12/schema", 4, True),  # maxItems beside the $ref
    ("http://json-schema.org/draft-07/schema#", 4, False),  # draft 7 ignores $ref siblings
])
def test_inlined_refs_keep_their_meaning(tmp_path: Path, dialect: str, count: int,
                                         fails: bool) -> None:
    schemas = schema_set(tmp_path, structure={
        "$schema": dialect, "definitions": {"two": {"minItems": 2}},
        "properties": {"sections": {"$ref": "#/definitions/two", "maxItems": 3}}})
    text = "#Work\n" + "".join(f"# S{i}\n" for i in range(count))
    assert bool(check(text, schemas)) is fails
