"""Nothing is written except the paths the user named (`-o`), the cache folder and the notes
under `--fix` (issue 9).

The commands run on a read-only copy of the sample vault plus some odd notes (`chmod -R a-w`),
from an empty working folder, with an empty HOME and TMPDIR. Root writes through permissions,
so every file and folder of the whole scratch tree (vault, working folder, HOME, TMPDIR, the
output folder) is snapshotted before and after each command: names, types, modes, sizes,
modification times and content hashes must be unchanged, apart from what was allowed. The same
commands then run for real without the right to write (root gives up the capabilities that
bypass permissions), where the cache cannot be written and must not be missed.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = ".vault-tools-cache"
Snapshot = dict[str, tuple[object, ...]]

ODD_NOTES = {
    "Odd/crlf.md": b"# CRLF  \r\n- item\r\n\r\n\r\n\r\ntext\r\n",
    "Odd/bom.md": b"\xef\xbb\xbf---\ntags: [a, a b]\n---\n# BOM\n### skipped\n",
    "Odd/latin1.md": "# Caf\xe9\n".encode("latin-1"),
    "Odd/nul.md": b"a\x00b",
    "Odd/fixable.md": b"# Fix me   \n### Deep\ntext\n\n\n\nmore",
}

# (arguments, paths the command may create or change, relative to the scratch tree)
COMMANDS: list[tuple[list[str], set[str]]] = [
    (["lint", "vault", "--no-cache"], set()),
    (["lint", "vault", "--no-cache", "--select", "ALL", "--statistics", "-j", "2"], set()),
    (["lint", "vault"], {f"vault/{CACHE}"}),
    (["lint", "vault"], {f"vault/{CACHE}"}),  # the second run reads the cache
    (["lint", "vault", "--no-cache", "--diff", "--unsafe-fixes"], set()),
    (["lint", "vault", "--no-cache", "--output-format", "sarif", "-o", "out/report.sarif"],
     {"out/report.sarif"}),
    (["lint", "vault/Odd/crlf.md", "--no-cache", "--output-format", "junit"], set()),
    (["export", "vault"], set()),
    (["export", "vault", "--format", "csv", "-j", "1"], set()),
    (["export", "vault", "--format", "jsonl", "-o", "out/notes.jsonl"], {"out/notes.jsonl"}),
    (["export", "vault/Odd", "--format", "json", "-o", "out/notes.json"], {"out/notes.json"}),
    (["schema", "check", "vault"], set()),
    (["rules"], set()),
]


def snapshot(base: Path) -> Snapshot:
    """Every path under `base` (itself included) -> what a write would change."""
    found: Snapshot = {}
    for path in [base, *base.rglob("*")]:
        info = path.lstat()
        rel = path.relative_to(base).as_posix()
        if stat.S_ISLNK(info.st_mode):
            found[rel] = ("link", os.readlink(path))
        elif stat.S_ISDIR(info.st_mode):
            found[rel] = ("dir", stat.S_IMODE(info.st_mode), info.st_mtime_ns)
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[rel] = ("file", stat.S_IMODE(info.st_mode), info.st_size, info.st_mtime_ns,
                          digest)
    return found


def changes(before: Snapshot, after: Snapshot, allowed: set[str]) -> list[str]:
    """What changed, leaving out the allowed paths, what is under them, and the folder that
    holds an allowed path (creating an entry changes its folder's mtime)."""
    def is_allowed(rel: str) -> bool:
        return any(rel == a or rel.startswith(a + "/") for a in allowed)

    parents = {Path(a).parent.as_posix() for a in allowed}
    diffs = []
    for rel in sorted(before.keys() | after.keys()):
        if is_allowed(rel) or before.get(rel) == after.get(rel):
            continue
        if rel in parents and before.get(rel, ())[:2] == after.get(rel, ())[:2]:
            continue  # only the mtime of a folder that holds an allowed path
        diffs.append(f"{rel}: {before.get(rel)} -> {after.get(rel)}")
    return diffs


def _chmod_tree(root: Path, writable: bool) -> None:
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        path.chmod(mode | stat.S_IWUSR if writable else mode & ~0o222)


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """tmp_path/{vault (read-only), work, home, tmp, out}."""
    vault = tmp_path / "vault"
    shutil.copytree(ROOT / "sample_vault", vault, symlinks=True)
    for rel, data in ODD_NOTES.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_bytes(data)
    for name in ("work", "home", "tmp", "out"):
        (tmp_path / name).mkdir()
    _chmod_tree(vault, writable=False)
    yield tmp_path
    _chmod_tree(vault, writable=True)  # so that pytest can delete it


def run(scratch: Path, args: list[str], preexec: Callable[[], None] | None = None
        ) -> subprocess.CompletedProcess[str]:
    """The CLI from the empty working folder, paths given relative to the scratch tree."""
    resolved = [str(scratch / arg) if arg.split("/")[0] in ("vault", "out") else arg
                for arg in args]
    env = {**os.environ, "HOME": str(scratch / "home"), "TMPDIR": str(scratch / "tmp"),
           "XDG_CACHE_HOME": str(scratch / "home" / ".cache"), "PYTHONDONTWRITEBYTECODE": "1",
           "VAULT_TOOLS_DEBUG": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "vault_tools", *resolved],
                          cwd=scratch / "work", env=env, capture_output=True, text=True,
                          timeout=120, preexec_fn=preexec, check=False)


@pytest.mark.parametrize(("args", "allowed"), COMMANDS,
                         ids=[" ".join(args) for args, _ in COMMANDS])
def test_writes_only_what_was_asked(args: list[str], allowed: set[str], scratch: Path) -> None:
    before = snapshot(scratch)
    result = run(scratch, args)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    assert changes(before, snapshot(scratch), allowed) == []
    for rel in allowed - {f"vault/{CACHE}"}:
        assert (scratch / rel).stat().st_size > 0


def test_the_snapshot_sees_a_write(scratch: Path) -> None:
    """The comparison would catch a note rewritten with the same bytes, a new file, a file
    created and removed again (its folder's mtime), and a mode change."""
    before = snapshot(scratch)
    note = scratch / "vault" / "Ideas.md"
    note.chmod(0o644)
    note.write_bytes(note.read_bytes())
    (scratch / "work" / "stray").write_text("x")
    (scratch / "tmp" / "gone").write_text("x")
    (scratch / "tmp" / "gone").unlink()
    found = {line.split(":")[0] for line in changes(before, snapshot(scratch), set())}
    assert found == {"vault/Ideas.md", "work", "work/stray", "tmp"}


def test_fix_writes_only_the_notes_it_fixes(tmp_path: Path) -> None:
    """--fix on a writable copy: the notes with fixable findings change, nothing else does
    (besides the cache); fixing again changes nothing."""
    vault = tmp_path / "vault"
    shutil.copytree(ROOT / "sample_vault", vault, symlinks=True)
    for rel, data in ODD_NOTES.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_bytes(data)
    for name in ("work", "home", "tmp", "out"):
        (tmp_path / name).mkdir()
    before = snapshot(tmp_path)
    assert run(tmp_path, ["lint", "vault", "--fix"]).returncode in (0, 1)
    changed = {line.split(":")[0] for line in changes(before, snapshot(tmp_path),
                                                      {f"vault/{CACHE}"})}
    fixable = {"vault/Odd/crlf.md", "vault/Odd/fixable.md", "vault/Odd/bom.md"}
    assert changed & fixable
    # Only notes changed, and only their contents: a fixed note keeps its mode; the folders
    # holding them get new mtimes from the atomic rename.
    changed_files = {rel for rel in changed if (tmp_path / rel).is_file()}
    assert all(rel.startswith("vault/") and rel.endswith(".md") for rel in changed_files)
    assert changed - changed_files <= {str(Path(rel).parent) for rel in changed_files}
    again = snapshot(tmp_path)
    assert run(tmp_path, ["lint", "vault", "--fix"]).returncode in (0, 1)
    assert changes(again, snapshot(tmp_path), {f"vault/{CACHE}"}) == []


PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def _without_root_powers() -> None:
    """As root, drop the capabilities that bypass file permissions (from the bounding set:
    gone after exec), so a read-only vault is read-only for real."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.mark.skipif(sys.platform != "linux", reason="Linux capabilities")
def test_read_only_for_real(scratch: Path) -> None:
    """Without the right to write to the vault, lint (cache on) and export still work and
    report the same as with it; the cache is simply not written."""
    preexec = _without_root_powers if os.geteuid() == 0 else None
    before = snapshot(scratch)
    try:
        lint = run(scratch, ["lint", "vault", "--output-format", "json"], preexec)
    except subprocess.SubprocessError as exc:
        pytest.skip(f"cannot drop root's file capabilities: {exc}")
    export = run(scratch, ["export", "vault", "--format", "jsonl"], preexec)
    for result in (lint, export):
        assert "Traceback" not in result.stderr, result.stderr
    assert (lint.returncode, export.returncode) == (1, 0), lint.stderr + export.stderr
    assert changes(before, snapshot(scratch), set()) == []
    reference = run(scratch, ["lint", "vault", "--output-format", "json", "--no-cache"])
    assert lint.stdout == reference.stdout
    assert len(export.stdout.splitlines()) == 11 + len(ODD_NOTES)
