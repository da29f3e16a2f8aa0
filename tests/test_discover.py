"""Which files are notes: sorted and stable, hidden folders skipped, --exclude, symlinks that
leave the vault or loop, odd file names, and a clear error for a path that does not exist."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from vault_tools.discover import iter_note_paths, walk_vault

Cli = Callable[..., Result]
MakeVault = Callable[[dict[str, str]], Path]

NOTES = {
    "b.md": "# b\n",
    "A.md": "# A\n",
    "a/z.md": "# z\n",
    "a/b/c.md": "# c\n",
    "_under.md": "# u\n",
    "Zeta/note.md": "# n\n",
    "image.png": "not a note",
    "notes.txt": "not a note",
    "Archive/old.md": "# old\n",
    "Archive/deep/older.md": "# older\n",
    "Projects/draft-plan.md": "# draft\n",
    ".obsidian/workspace.md": "# app state\n",
    ".trash/deleted.md": "# gone\n",
    ".git/info.md": "# git\n",
    ".hidden/secret.md": "# hidden\n",
    "a/.cache/x.md": "# cache\n",
    "node_modules/pkg/readme.md": "# pkg\n",
}

ALL = ["A.md", "Archive/deep/older.md", "Archive/old.md", "Projects/draft-plan.md",
       "Zeta/note.md", "_under.md", "a/b/c.md", "a/z.md", "b.md"]


def rels(root: Path, exclude: tuple[str, ...] = ()) -> list[str]:
    return [note.rel for note in walk_vault(root, exclude)]


def test_sorted_and_hidden_folders_skipped(make_vault: MakeVault) -> None:
    assert rels(make_vault(NOTES)) == ALL


class _Listing:
    """What os.scandir returns, in an order of our choosing."""

    def __init__(self, entries: list[os.DirEntry[str]]) -> None:
        self.entries = entries

    def __enter__(self) -> Iterator[os.DirEntry[str]]:
        return iter(self.entries)

    def __exit__(self, *exc: object) -> None:
        return None


def listed(monkeypatch: pytest.MonkeyPatch, reverse: bool) -> None:
    """Make the file system list every folder sorted by name, forwards or backwards."""
    real_scandir = os.scandir

    def scandir(path: Any) -> _Listing:
        with real_scandir(path) as entries:
            return _Listing(sorted(entries, key=lambda e: e.name, reverse=reverse))

    monkeypatch.setattr(os, "scandir", scandir)


def walk_both_ways(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    listed(monkeypatch, reverse=False)
    forwards = rels(root)
    listed(monkeypatch, reverse=True)
    return forwards, rels(root)


def test_order_does_not_depend_on_the_file_system(make_vault: MakeVault,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    forwards, backwards = walk_both_ways(make_vault(NOTES), monkeypatch)
    assert forwards == backwards == ALL


def test_folder_symlinked_inside_the_vault_is_named_stably(make_vault: MakeVault,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_vault({"real/x.md": "# x\n"})
    (root / "alias").symlink_to("real", target_is_directory=True)
    forwards, backwards = walk_both_ways(root, monkeypatch)
    assert forwards == backwards


@pytest.mark.parametrize(("patterns", "expected"), [
    (("Archive",), ["A.md", "Projects/draft-plan.md", "Zeta/note.md", "_under.md", "a/b/c.md",
                    "a/z.md", "b.md"]),
    (("*draft*", "a/b"), ["A.md", "Archive/deep/older.md", "Archive/old.md", "Zeta/note.md",
                          "_under.md", "a/z.md", "b.md"]),
    # A pattern is matched against the path and against the file name alone, at any depth.
    (("Archive/*/*.md", "?.md"), ["Archive/old.md", "Projects/draft-plan.md", "Zeta/note.md",
                                  "_under.md"]),
    (("nothing-matches",), ALL),
])
def test_exclude(patterns: tuple[str, ...], expected: list[str], make_vault: MakeVault) -> None:
    assert rels(make_vault(NOTES), patterns) == expected


def test_exclude_on_the_command_line(run_cli: Cli, make_vault: MakeVault) -> None:
    vault = make_vault(NOTES)
    result = run_cli("export", str(vault), "--format", "jsonl", "--exclude", "Archive",
                     "--exclude", "*draft*")
    assert result.exit_code == 0
    paths = [json.loads(line)["path"] for line in result.stdout.splitlines()]
    assert paths == ["A.md", "Zeta/note.md", "_under.md", "a/b/c.md", "a/z.md", "b.md"]


def test_symlinks_out_of_the_vault_are_not_followed(make_vault: MakeVault) -> None:
    root = make_vault({"in.md": "# in\n"})
    outside = root.parent / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "folder" / "far.md").write_text("# far\n")
    (outside / "alone.md").write_text("# alone\n")
    (root / "linked-folder").symlink_to(outside / "folder", target_is_directory=True)
    (root / "linked.md").symlink_to(outside / "alone.md")
    (root / "dangling.md").symlink_to(root / "missing.md")
    assert rels(root) == ["in.md"]


def test_symlink_loops_terminate(make_vault: MakeVault) -> None:
    root = make_vault({"sub/n.md": "# n\n", "top.md": "# t\n"})
    (root / "sub" / "up").symlink_to("..", target_is_directory=True)
    (root / "sub" / "self").symlink_to(".", target_is_directory=True)
    (root / "sub" / "deeper").mkdir()
    (root / "sub" / "deeper" / "back").symlink_to("../..", target_is_directory=True)
    assert rels(root) == ["sub/n.md", "top.md"]


@pytest.mark.parametrize("name", ["loop.md", "loop"])
def test_self_referencing_symlink_is_skipped(name: str, make_vault: MakeVault) -> None:
    root = make_vault({"top.md": "# t\n"})
    (root / name).symlink_to(name)
    assert rels(root) == ["top.md"]


ODD_NAMES = ["with space.md", "café 日本.md", "C# notes.md", "[draft] plan.md", "100% done.md",
             "Folder with space/Ünïcode.md"]


def test_odd_file_names(run_cli: Cli, make_vault: MakeVault) -> None:
    vault = make_vault({name: f"# {name}\n" for name in ODD_NAMES})
    assert rels(vault) == sorted(ODD_NAMES)
    result = run_cli("export", str(vault), "--format", "jsonl")
    records = [json.loads(line) for line in result.stdout_bytes.decode().splitlines()]
    assert [(r["path"], r["title"]) for r in records] == [
        (name, name.rsplit("/", 1)[-1][:-3]) for name in sorted(ODD_NAMES)]
    for name in ODD_NAMES:
        [location] = iter_note_paths([vault / name])
        assert (location.root, location.rel) == (vault, name)


def test_missing_path_is_one_line_and_exit_2(run_cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "no such vault"
    result = run_cli("export", str(missing))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"vault-tools: error: {missing}: no such file or folder\n"


def test_missing_path_from_a_shell_has_no_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    done = subprocess.run([sys.executable, "-m", "vault_tools", "export", str(missing)],
                          capture_output=True, text=True, check=False, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [f"vault-tools: error: {missing}: no such file or folder"]
