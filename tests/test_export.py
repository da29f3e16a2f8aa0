"""`vault-tools export`: golden files for sample_vault, the JSON Schemas, CSV quoting, --tag,
single files, `python -m`, determinism and safe `-o` writes.

The golden files change only on purpose; see golden_util.py for --update-golden.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from golden_util import assert_golden
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from vault_tools import parse
from vault_tools.model import Note
from vault_tools.source import SourceText

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
FORMATS = ("json", "jsonl", "csv")
CSV_HEADER = "path,section,heading,level,kind,depth,text,line\r\n"

Cli = Callable[..., Result]
MakeVault = Callable[[dict[str, str]], Path]


def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return schema


@cache
def validators() -> tuple[Draft202012Validator, Draft202012Validator]:
    """(note, export) validators; the registry resolves export's relative $ref offline."""
    note, export = load_schema("note.schema.json"), load_schema("export.schema.json")
    registry: Registry[Any] = Registry().with_resource(note["$id"], Resource.from_contents(note))
    return (Draft202012Validator(note, registry=registry),
            Draft202012Validator(export, registry=registry))


def export_bytes(run_cli: Cli, *args: str) -> bytes:
    result = run_cli("export", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def jsonl_records(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_vault_matches_golden(fmt: str, run_cli: Cli, request: pytest.FixtureRequest
                                     ) -> None:
    result = run_cli("export", "sample_vault", "--format", fmt)
    assert (result.exit_code, result.stderr) == (0, "")
    assert_golden(request, f"export/sample_vault.{fmt}", result.stdout_bytes.decode())


@pytest.mark.parametrize("name", ["note.schema.json", "export.schema.json"])
def test_schemas_are_valid_and_shipped_with_the_package(name: str) -> None:
    Draft202012Validator.check_schema(load_schema(name))
    shipped = ROOT / "vault_tools" / "schemas" / name
    assert shipped.read_bytes() == (SCHEMAS / name).read_bytes()


def test_json_and_jsonl_validate_against_the_schemas(run_cli: Cli) -> None:
    note_validator, export_validator = validators()
    document = json.loads(export_bytes(run_cli, "sample_vault", "--format", "json"))
    export_validator.validate(document)
    records = jsonl_records(export_bytes(run_cli, "sample_vault", "--format", "jsonl"))
    for record in records:
        note_validator.validate(record)
    assert records == document["notes"]
    paths = [record["path"] for record in records]
    assert paths == sorted(paths) and len(paths) == 11


def test_export_schema_rejects_a_broken_note() -> None:
    """The $ref really reaches note.schema.json (an unresolved ref would accept anything)."""
    _, export_validator = validators()
    errors = list(export_validator.iter_errors(
        {"format": "vault-tools/export", "version": 1, "notes": [{"path": "x.md"}]}))
    # One error per missing key: all but "path".
    assert [error.validator for error in errors] == ["required"] * 11


QUOTING_NOTE = '# Head, "quoted"\n- a, "b"\n  c\n'


def test_csv_header_and_rfc4180_quoting(run_cli: Cli, make_vault: MakeVault) -> None:
    vault = make_vault({"Quoting.md": QUOTING_NOTE})
    data = export_bytes(run_cli, str(vault), "--format", "csv")
    heading = '"Head, ""quoted"""'
    assert data.decode() == (
        CSV_HEADER
        + f"Quoting.md,{heading},{heading},1,heading,0,{heading},1\r\n"
        + f'Quoting.md,{heading},{heading},1,bullet,1,"a, ""b""\nc",2\r\n'
    )
    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
    assert rows[2] == ["Quoting.md", 'Head, "quoted"', 'Head, "quoted"', "1", "bullet", "1",
                       'a, "b"\nc', "2"]


TAGGED_NOTES = {
    "Work.md": "---\ntags: [Work]\n---\nText.\n",
    "ML.md": "Text #work/ml here.\n",
    "Workshop.md": "#workshop\n",
    "Area.md": "#area/work\n",
    "Untagged.md": "Nothing.\n",
}


@pytest.mark.parametrize(("tags", "expected"), [
    (["work"], ["ML.md", "Work.md"]),
    (["#WORK"], ["ML.md", "Work.md"]),
    (["work/ML"], ["ML.md"]),
    (["workshop", "missing"], ["Workshop.md"]),
])
def test_tag_filter(tags: list[str], expected: list[str], run_cli: Cli, make_vault: MakeVault
                    ) -> None:
    vault = make_vault(TAGGED_NOTES)
    options = [arg for tag in tags for arg in ("--tag", tag)]
    records = jsonl_records(export_bytes(run_cli, str(vault), "--format", "jsonl", *options))
    assert [record["path"] for record in records] == expected


SINGLE = "Career/ML roles.md"


def test_single_file_path_is_relative_to_the_vault_root(run_cli: Cli,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    whole = jsonl_records(export_bytes(run_cli, "sample_vault", "--format", "jsonl"))
    expected = [record for record in whole if record["path"] == SINGLE]
    got = jsonl_records(export_bytes(run_cli, f"sample_vault/{SINGLE}", "--format", "jsonl"))
    assert got == expected
    monkeypatch.chdir(ROOT / "sample_vault" / "Career")
    got = jsonl_records(export_bytes(run_cli, "ML roles.md", "--format", "jsonl"))
    assert got == expected


def test_not_utf8_note_is_an_error_and_the_others_are_exported(run_cli: Cli,
                                                             make_vault: MakeVault) -> None:
    vault = make_vault({"A.md": "# A\n", "C.md": "# C\n"})
    (vault / "B.md").write_bytes("# B\n\ncaf\xe9 [[A]]\n".encode("latin-1"))
    result = run_cli("export", str(vault), "--format", "jsonl")
    assert result.exit_code == 0
    records = jsonl_records(result.stdout_bytes)
    for record in records:
        validators()[0].validate(record)
    assert [(r["path"], [(e["code"], e["line"]) for e in r["errors"]]) for r in records] == [
        ("A.md", []), ("B.md", [("VT001", 3)]), ("C.md", [])]
    assert "byte offset 8" in records[1]["errors"][0]["message"]
    assert [s["heading"] for s in records[1]["sections"]] == ["B"]
    assert result.stderr.splitlines() == [f"B.md:3:1: VT001 {records[1]['errors'][0]['message']}"]


def console_script() -> str:
    beside = Path(sys.executable).parent / "vault-tools"
    found = str(beside) if beside.exists() else shutil.which("vault-tools")
    if found is None:
        pytest.skip("the vault-tools console script is not installed")
    return found


def run_process(command: list[str], hash_seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False, timeout=60)
    assert (done.returncode, done.stderr) == (0, b"")
    return done.stdout


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_python_m_and_console_script_give_the_same_bytes(fmt: str, run_cli: Cli) -> None:
    # Different hash seeds: no set or dict order may leak into the output.
    args = ["export", "sample_vault", "--format", fmt]
    by_module = run_process([sys.executable, "-m", "vault_tools", *args], "1")
    by_script = run_process([console_script(), *args], "2")
    assert by_module == by_script == export_bytes(run_cli, *args[1:])


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_runs_are_byte_identical(fmt: str, run_cli: Cli) -> None:
    first = export_bytes(run_cli, "sample_vault", "--format", fmt)
    assert export_bytes(run_cli, "sample_vault", "--format", fmt) == first


OLD = 1_000_000_000  # a file time long past, so any rewrite shows in the mtime


def test_output_file_is_written_only_when_it_changes(run_cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    expected = export_bytes(run_cli, "sample_vault")
    assert export_bytes(run_cli, "sample_vault", "-o", str(target)) == b""
    assert target.read_bytes() == expected
    os.utime(target, (OLD, OLD))
    inode = target.stat().st_ino
    export_bytes(run_cli, "sample_vault", "-o", str(target))
    assert (target.stat().st_mtime, target.stat().st_ino) == (OLD, inode)
    export_bytes(run_cli, "sample_vault", "--format", "jsonl", "-o", str(target))
    assert target.stat().st_mtime != OLD
    assert target.read_bytes() == export_bytes(run_cli, "sample_vault", "--format", "jsonl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]


def test_output_file_is_untouched_when_the_export_fails(run_cli: Cli, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "export.json"
    target.write_text("previous export\n")
    real_parse = parse.parse_source
    calls: list[str] = []

    def fail_on_third_note(source: SourceText, path: str) -> Note:
        calls.append(path)
        if len(calls) == 3:
            raise RuntimeError("disk vanished")
        return real_parse(source, path)

    monkeypatch.setattr(parse, "parse_source", fail_on_third_note)  # notes imports it late
    with pytest.raises(RuntimeError, match="disk vanished"):
        run_cli("export", "sample_vault", "-o", str(target))
    assert target.read_text() == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]
