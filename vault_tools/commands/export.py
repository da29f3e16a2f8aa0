"""`vault-tools export`: discover -> read -> parse -> exporter, streaming to stdout or a file.

Notes are parsed and rendered in worker processes (`--jobs`) and written in discovery order,
so the output is the same bytes whatever the number of jobs. Where links lead and backlink
counts need the whole vault first: its index is built (a fast scan of every note) before the
workers start, and they inherit it.
"""

from __future__ import annotations

import posixpath
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vault_tools.commands.output import open_output
from vault_tools.discover import DiscoveryError, NotePath, iter_note_paths
from vault_tools.errors import UsageError
from vault_tools.export import EXPORTERS, LinkInfo, write_rendered
from vault_tools.linkindex import VaultIndex
from vault_tools.model import Note
from vault_tools.notes import load
from vault_tools.parallel import default_jobs, ordered_map
from vault_tools.progress import track
from vault_tools.vaultfiles import build_index, vault_root_of


@dataclass(frozen=True, slots=True)
class ExportSettings:
    paths: tuple[str, ...]
    format: str = "json"
    output: Path | None = None
    tags: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    jobs: int = 0  # 0: one per core


def has_tag(note: Note, wanted: Sequence[str]) -> bool:
    """Case-insensitive; `work` also selects nested tags such as `work/ml`."""
    if not wanted:
        return True
    names = [tag.casefold() for tag in note.tags]
    return any(name == want or name.startswith(want + "/") for want in wanted for name in names)


@dataclass(frozen=True)
class VaultLinks:
    """The index of the vault an export root lies in, and that root's path inside it."""

    index: VaultIndex
    prefix: str  # '' when the export root is the vault root, else 'Sub/folder/'

    def info(self, note: Note) -> LinkInfo:
        source = self.prefix + note.path
        resolved = tuple(self._shown(path)
                         for path in self.index.resolved_paths(source, note.links))
        return LinkInfo(resolved, len(self.index.backlinks().get(source, ())))

    def _shown(self, path: str | None) -> str | None:
        # Relative to the export root, like the notes' own paths ('../Other.md' outside it).
        if path is None or not self.prefix:
            return path
        return posixpath.relpath(path, self.prefix.rstrip("/"))


def build_links(roots: Sequence[Path], jobs: int) -> dict[Path, VaultLinks]:
    """One index per vault (folders of one vault share it), backlinks counted now, before the
    workers fork, so that each inherits them instead of counting again."""
    indexes: dict[Path, VaultIndex] = {}
    links: dict[Path, VaultLinks] = {}
    for root in dict.fromkeys(roots):
        vault, prefix = vault_root_of(root)
        if vault not in indexes:
            indexes[vault] = build_index(vault, complete=True, jobs=jobs)
            indexes[vault].backlinks()
        links[root] = VaultLinks(indexes[vault], prefix)
    return links


@dataclass(frozen=True)
class _Job:
    format: str
    wanted: tuple[str, ...]
    links: Mapping[Path, VaultLinks] = field(default_factory=dict)  # by discovery root


_job = _Job("json", ())


def _start_worker(job: _Job) -> None:
    global _job
    _job = job


def render_one(location: NotePath) -> tuple[Any, list[str]]:
    """(rendered note or None when filtered out, its problems as report lines)."""
    note = load(location).note
    problems = [f"{note.path}:{p.line}:{p.col}: {p.code} {p.message}" for p in note.errors]
    if not has_tag(note, _job.wanted):
        return None, problems
    links = _job.links.get(location.root)
    return EXPORTERS[_job.format].render(note, links.info(note) if links else None), problems


def file_target(settings: ExportSettings) -> Path:
    """Where a format that is a file (sqlite) goes: -o is required, stdout cannot take it."""
    target = settings.output
    if target is None or str(target) == "-":
        raise UsageError(f"--format {settings.format} writes a database file: give -o FILE")
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; give a file name to -o")
    if not target.absolute().parent.exists():
        raise UsageError(f"{target}: folder {target.parent} does not exist")
    return target


def execute(settings: ExportSettings) -> int:
    try:
        locations = list(iter_note_paths(settings.paths, settings.exclude))
    except DiscoveryError as exc:
        raise UsageError(str(exc)) from exc
    exporter = EXPORTERS[settings.format]
    target = file_target(settings) if exporter.to_file is not None else None
    jobs = settings.jobs or default_jobs()
    links = build_links([location.root for location in locations], jobs) \
        if exporter.links else {}
    job = _Job(settings.format, tuple(tag.casefold().lstrip("#") for tag in settings.tags),
               links)
    results = ordered_map(render_one, locations, jobs, _start_worker, (job,))

    def rendered() -> Iterator[Any]:
        for text, problems in track(results, len(locations), "export"):
            for line in problems:
                sys.stderr.write(line + "\n")
            if text is not None:
                yield text

    if exporter.to_file is not None and target is not None:
        exporter.to_file(rendered(), target)
        return 0
    with open_output(settings.output) as out:
        write_rendered(rendered(), exporter, out)
    return 0
