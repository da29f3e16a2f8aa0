"""`--changed-since REF`: lint only the notes that differ from a git revision.

The changed files are what `git diff --name-only REF` lists, run from the top of the git
repository that holds the vault: every file whose content in the working tree (committed,
staged or not) differs from REF. Files git does not track yet, and does not ignore, count as
changed too: a new note is a changed note, whether or not it has been `git add`ed. Deleted
files are skipped. Of those, only the notes the normal discovery finds under the given paths
are linted (`.md`, not excluded, not in a dot-folder); the vault's configuration is still read
from the vault root, so their findings are the same as in a whole-vault run.

REF is anything `git diff` accepts: a branch (`origin/main`), a tag, a commit, `HEAD~3`, or
`origin/main...HEAD` for what changed on this branch only. Outside a git repository, or with a
REF git does not know, the command stops with exit code 2.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from vault_tools.discover import NotePath
from vault_tools.errors import UsageError


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:  # git is not installed, or cwd vanished
        raise UsageError(f"--changed-since needs git: {exc.strerror or exc}") from exc


def _first_line(raw: bytes) -> str:
    lines = raw.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else "no message"


def git_toplevel(folder: Path) -> Path:
    """The top folder of the git work tree holding `folder`."""
    done = _git(["rev-parse", "--show-toplevel"], folder)
    if done.returncode != 0:
        raise UsageError(f"--changed-since: {folder} is not inside a git repository "
                         f"({_first_line(done.stderr)})")
    return Path(os.fsdecode(done.stdout.rstrip(b"\n")))


def _split(output: bytes) -> list[str]:
    return [os.fsdecode(name) for name in output.split(b"\0") if name]


def changed_files(toplevel: Path, ref: str) -> frozenset[str]:
    """Absolute paths of the files changed since `ref` in this work tree, deletions left out."""
    # -z: names as they are (no quoting of non-ASCII); the `--` keeps REF from being read as a
    # path; --no-renames lists a renamed note by its new name like any other changed file.
    diff = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", ref, "--"],
                toplevel)
    if diff.returncode != 0:
        raise UsageError(f"--changed-since {ref}: git cannot compare with this revision "
                         f"({_first_line(diff.stderr)})")
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], toplevel)
    if untracked.returncode != 0:
        raise UsageError(f"--changed-since: git ls-files failed ({_first_line(untracked.stderr)})")
    names = _split(diff.stdout) + _split(untracked.stdout)
    # normpath: git writes `/` on every platform; the notes' paths use the platform's separator.
    return frozenset(os.path.normpath(os.path.join(toplevel, name)) for name in names)


class ChangedFilter:
    """Keeps the discovered notes that git lists as changed; asks git once per repository."""

    def __init__(self, ref: str) -> None:
        if not ref or ref.startswith("-"):
            # git would take it for an option (`--output=FILE` writes a file).
            raise UsageError(f"--changed-since: {ref!r} is not a git revision")
        self.ref = ref
        self._by_toplevel: dict[Path, frozenset[str]] = {}
        self._toplevel_of_root: dict[Path, Path] = {}

    def _changed_under(self, root: Path) -> frozenset[str]:
        toplevel = self._toplevel_of_root.get(root)
        if toplevel is None:
            toplevel = self._toplevel_of_root[root] = git_toplevel(root)
        if toplevel not in self._by_toplevel:
            self._by_toplevel[toplevel] = changed_files(toplevel, self.ref)
        return self._by_toplevel[toplevel]

    def check(self, start: Path) -> None:
        self._changed_under(start if start.is_dir() else start.parent)

    def keep(self, locations: Iterable[NotePath]) -> list[NotePath]:
        kept: list[NotePath] = []
        resolved: dict[Path, str] = {}
        for location in locations:
            changed = self._changed_under(location.root)
            # git prints the top level with symlinks resolved; resolve the vault root the
            # same way (once per root) so that /tmp -> /private/tmp and the like still match.
            if location.root not in resolved:
                resolved[location.root] = str(location.root.resolve())
            if os.path.normpath(os.path.join(resolved[location.root], location.rel)) in changed:
                kept.append(location)
        return kept


def keep_changed(locations: Iterable[NotePath], ref: str, starts: Iterable[str | Path] = ()
                 ) -> list[NotePath]:
    """The notes among `locations` changed since `ref` (see the module's documentation).

    `starts` are the paths the user gave: git is asked about them first, so that a path
    outside git or an unknown REF is an error even when there is no note to filter.
    """
    changed = ChangedFilter(ref)
    for start in starts:
        changed.check(Path(start))
    return changed.keep(locations)
