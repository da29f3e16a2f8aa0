"""The files of a vault, and its link index built from them.

The vault of a discovery root is the folder holding `.obsidian/` at or above it (else the root
itself): links resolve against all of it, even when only a few of its notes are linted or a
sub-folder is exported. Every file counts (notes and attachments) except dot-files, dot-folders
(`.obsidian/`, `.trash/`, `.git/`) and `node_modules/`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from pathlib import Path

from vault_tools.discover import ALWAYS_SKIPPED, NOTE_SUFFIX, find_vault_root
from vault_tools.linkindex import VaultIndex
from vault_tools.notefacts import NoteFacts, facts_of
from vault_tools.notes import read_source
from vault_tools.parallel import ordered_map


def read_facts(root: Path, rel: str) -> NoteFacts:
    """The link facts of a note this run neither lints nor exports, but whose headings, block
    ids or links a vault rule needs. The parser reads them, as it does every other note's (a
    line scan of its own, kept until 2026-11, was no faster once the parser had its fast path:
    1.73 s against 1.80 s over the benchmark vault)."""
    from vault_tools.parse import parse_source  # markdown-it with it: only when a note is read

    return facts_of(parse_source(read_source(root / rel), rel))


@lru_cache(maxsize=64)
def vault_root_of(root: Path) -> tuple[Path, str]:
    """The vault a discovery root lies in (the nearest folder with `.obsidian/`, else the root
    itself), and the root's path inside it: '' or 'Sub/folder/'."""
    vault = find_vault_root(Path(root))
    try:
        inside = Path(os.path.abspath(root)).resolve().relative_to(vault).as_posix()
    except ValueError:
        return Path(root), ""
    return vault, "" if inside == "." else inside + "/"


def iter_vault_files(root: Path) -> list[str]:
    """Every file under `root` (notes and attachments), POSIX paths relative to it, sorted;
    dot-files and dot-folders (`.obsidian/`, `.trash/`, `.git/`) are not part of the vault."""
    real_root = root.resolve()
    found: list[str] = []
    seen: set[Path] = set()
    pending: list[tuple[Path, str]] = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        real = folder.resolve()
        if real in seen or not (real == real_root or real_root in real.parents):
            continue  # a symlink loop, or a link that leaves the vault
        seen.add(real)
        try:
            with os.scandir(folder) as entries:
                listing = list(entries)
        except OSError:
            continue
        for entry in listing:
            if entry.name.startswith(".") or entry.name in ALWAYS_SKIPPED:
                continue
            try:
                if entry.is_dir():
                    pending.append((Path(entry.path), prefix + entry.name + "/"))
                elif entry.is_file():
                    found.append(prefix + entry.name)
            except OSError:
                continue
    found.sort()
    return found


def build_index(root: Path, known: Iterable[NoteFacts] = (), complete: bool = False,
                jobs: int = 1, load: Callable[[str], NoteFacts] | None = None,
                files: Iterable[str] | None = None) -> VaultIndex:
    """The index of the vault at `root`: `known` facts (from the parser) where given, the
    others from `load`, by default read_facts: all of them now when `complete` (on `jobs`
    processes), else each when first needed. `files`: the vault's listing, when this run
    has walked it already."""
    files = iter_vault_files(root) if files is None else list(files)
    notes = list(known)
    load = load if load is not None else partial(read_facts, root)
    if complete:
        have = {facts.path for facts in notes}
        missing = [rel for rel in files if rel.endswith(NOTE_SUFFIX) and rel not in have]
        notes.extend(ordered_map(load, missing, jobs))
    return VaultIndex(files, notes, load)
