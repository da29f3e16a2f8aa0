"""VT002 and VT003: problems reading a file become findings on that note, at the right line,
and the run goes on with the other notes."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import Result

from vault_tools.discover import NotePath
from vault_tools.findings import Severity
from vault_tools.notes import load
from vault_tools.parse import parse_source
from vault_tools.rules import RULES, VT_RULES, NoteContext, vt002_unreadable, vt003_nul_bytes
from vault_tools.source import decode

Position = tuple[int, int, str]


def positions_of(module: ModuleType, ctx: NoteContext) -> list[Position]:
    return sorted((v.line, v.col, module.CODE) for v in module.check(ctx, {}))


def loaded_positions(module: ModuleType, root: Path, rel: str) -> list[Position]:
    note = load(NotePath(root, rel))
    return positions_of(module, NoteContext(note.note, note.source))


def bytes_positions(module: ModuleType, data: bytes) -> list[Position]:
    source = decode(data)
    return positions_of(module, NoteContext(parse_source(source, "note.md"), source))


def test_vt_family_registered_as_errors() -> None:
    codes = {m.CODE for m in VT_RULES}
    assert {"VT002", "VT003"} <= codes
    assert RULES["VT002"].severity == RULES["VT003"].severity == Severity.ERROR
    assert RULES["VT002"].fixable is None and RULES["VT003"].fixable is None


def test_vt002_missing_file(tmp_path: Path) -> None:
    assert loaded_positions(vt002_unreadable, tmp_path, "Gone.md") == [(1, 1, "VT002")]


def test_vt002_folder_read_as_a_note(tmp_path: Path) -> None:
    (tmp_path / "Folder.md").mkdir()
    assert loaded_positions(vt002_unreadable, tmp_path, "Folder.md") == [(1, 1, "VT002")]


def test_vt002_readable_note_passes(tmp_path: Path) -> None:
    (tmp_path / "Note.md").write_text("# Note\n", encoding="utf-8")
    assert loaded_positions(vt002_unreadable, tmp_path, "Note.md") == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads files without read permission")
def test_vt002_no_permission(tmp_path: Path) -> None:
    (tmp_path / "Locked.md").write_text("# Note\n", encoding="utf-8")
    (tmp_path / "Locked.md").chmod(0)
    assert loaded_positions(vt002_unreadable, tmp_path, "Locked.md") == [(1, 1, "VT002")]


@pytest.mark.parametrize(("data", "expected"), [
    (b"# Note\n\nA\x00B\n", [(3, 1, "VT003")]),
    (b"---\ntitle: \x00\n---\n\x00\n", [(2, 1, "VT003")]),  # once, at the first NUL
    (b"\xef\xbb\xbf\x00", [(1, 1, "VT003")]),  # after a BOM
    (b"# Note\n\nNo NUL here.\n", []),
])
def test_vt003_nul_bytes(data: bytes, expected: list[Position]) -> None:
    assert bytes_positions(vt003_nul_bytes, data) == expected


def lint_json(run_cli: Callable[..., Result], *args: str) -> list[tuple[str, int, int, str]]:
    result = run_cli("lint", *args, "--select", "VT", "--output-format", "json", "--exit-zero")
    assert result.exit_code == 0, result.output
    return [(Path(r["path"]).name, r["line"], r["col"], r["code"])
            for r in json.loads(result.output)]


def test_vt_findings_through_the_cli(make_vault: Callable[[dict[str, str]], Path],
                                     run_cli: Callable[..., Result]) -> None:
    root = make_vault({"Good.md": "# Good\n"})
    (root / "Binary.md").write_bytes(b"PK\x03\x04\n\x00\x00")
    (root / "Broken.md").symlink_to(root / "nowhere.md")
    assert lint_json(run_cli, str(root)) == [("Binary.md", 2, 1, "VT003")]
    assert lint_json(run_cli, str(root / "Broken.md")) == [("Broken.md", 1, 1, "VT002")]
