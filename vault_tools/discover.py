"""Paths given on the command line -> the notes to read, each with its vault root.

A folder is walked for `*.md` (sorted by vault-relative path, so output is stable), skipping
`.obsidian/`, `.trash/`, `.git/` and every other dot-folder. Symlinks are followed only while
they stay inside the vault, and a folder is never entered twice (symlink loops). Explicit files
are taken as given; their vault root is the nearest parent holding `.obsidian/`.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

NOTE_SUFFIX = ".md"
VAULT_MARKER = ".obsidian"
# Not notes even though they sit in the vault; users can add more with --exclude.
ALWAYS_SKIPPED = frozenset({"node_modules"})


class DiscoveryError(Exception):
    """A path the user named cannot be used (missing, not a note, not a folder)."""


@dataclass(frozen=True, slots=True, order=True)
class NotePath:
    """A note to read: `rel` is the POSIX path relative to `root`, used in all output."""

    root: Path
    rel: str

    @property
    def file(self) -> str:
        """The note's file (a string: Path arithmetic per note is measurable on big vaults)."""
        return os.path.join(self.root, self.rel)


def printable_path(rel: str) -> str:
    """`rel` as text that can be printed and written as UTF-8: a file name that is not UTF-8
    (Latin-1 names synced from an old system) reaches Python with surrogate escapes, which no
    UTF-8 stream accepts; its odd bytes are shown as `\\xe9`."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return rel


def find_vault_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding `.obsidian/`, else `start` itself."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / VAULT_MARKER).is_dir():
            return folder
    return start


def is_excluded(rel: str, patterns: Sequence[str]) -> bool:
    """Glob match against the relative path and against each of its parent folders."""
    if not patterns:
        return False
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(
        fnmatch.fnmatchcase(candidate, pattern) or fnmatch.fnmatchcase(parts[-1], pattern)
        for pattern in patterns
        for candidate in prefixes
    )


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def walk_vault(root: Path, exclude: Sequence[str] = ()) -> list[NotePath]:
    real_root = root.resolve()
    found: list[NotePath] = []
    seen_dirs: set[Path] = set()
    pending: list[tuple[Path, str]] = [(root, "")]
    # Folders reached through a symlink wait until every real folder has been walked, so a
    # folder that is also linked from elsewhere keeps its own name, whatever the listing order.
    linked: list[tuple[Path, str]] = []
    while pending or linked:
        folder, prefix = pending.pop() if pending else linked.pop(0)
        real = folder.resolve()
        if real in seen_dirs or not _inside(real, real_root):
            continue
        seen_dirs.add(real)
        for entry in _scan(folder):
            rel = prefix + entry.name
            if entry.name.startswith(".") or entry.name in ALWAYS_SKIPPED:
                continue
            if is_excluded(rel, exclude):
                continue
            if _is_dir(entry):
                (linked if entry.is_symlink() else pending).append((Path(entry.path), rel + "/"))
            elif entry.name.endswith(NOTE_SUFFIX) and _is_note_file(entry, real_root):
                found.append(NotePath(root, rel))
    found.sort(key=lambda note: note.rel)
    return found


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except OSError:
        # An unreadable folder holds no notes we could report on by name; skip it.
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink to itself (ELOOP) and the like: neither folder nor note
        return False


def _is_note_file(entry: os.DirEntry[str], real_root: Path) -> bool:
    try:
        if not entry.is_file():  # follows symlinks: a dangling link is not a file
            return False
        return not entry.is_symlink() or _inside(Path(entry.path).resolve(), real_root)
    except (OSError, RuntimeError):  # symlink loops
        return False


def iter_note_paths(paths: Iterable[str | Path], exclude: Sequence[str] = ()) -> Iterator[NotePath]:
    """Every note named by `paths`, in the order given, each folder walked in sorted order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from walk_vault(path, exclude)
        elif path.exists() or path.is_symlink():
            root = find_vault_root(path.parent)
            rel = _relative_to(path, root)
            if not is_excluded(rel, exclude):
                yield NotePath(root, rel)
        else:
            raise DiscoveryError(f"{raw}: no such file or folder")


def _relative_to(path: Path, root: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.name
