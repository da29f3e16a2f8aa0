"""`vault-tools export`: discover -> read -> parse -> exporter, streaming to stdout or a file.

Notes are parsed and rendered in worker processes (`--jobs`) and written in discovery order,
so the output is the same bytes whatever the number of jobs. Where a link leads needs only the
vault's file listing, which the workers inherit. A note's backlink count needs every other
note read first: workers render a mark in its place and report what each note links to, and
the count is filled in once all are in (the notes waiting on disk, not in memory).
"""

from __future__ import annotations

import io
import pickle
import posixpath
import secrets
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, cast

from vault_tools.commands.output import open_output
from vault_tools.discover import NOTE_SUFFIX, DiscoveryError, NotePath, iter_note_paths
from vault_tools.errors import UsageError
from vault_tools.export import EXPORTERS, LinkInfo, fill_backlinks, write_rendered
from vault_tools.linkindex import VaultIndex
from vault_tools.model import Note
from vault_tools.notes import load
from vault_tools.parallel import default_jobs, ordered_map
from vault_tools.progress import track
from vault_tools.vaultfiles import iter_vault_files, read_facts, vault_root_of


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
    """The index of the vault an export root lies in, and that root's path inside it. The
    index holds the vault's file listing only: where a link leads depends on nothing else."""

    index: VaultIndex
    prefix: str  # '' when the export root is the vault root, else 'Sub/folder/'

    def info(self, note: Note, mark: int) -> tuple[LinkInfo, tuple[str, ...]]:
        """Where each of the note's links leads, with `mark` for `backlinks` (the count comes
        later), and the vault paths of the other notes and files it reaches."""
        source = self.prefix + note.path
        found = self.index.resolved_paths(source, note.links)
        reached = tuple(sorted({path for path in found if path is not None and path != source}))
        return LinkInfo(tuple(map(self._shown, found)), mark), reached

    def _shown(self, path: str | None) -> str | None:
        # Relative to the export root, like the notes' own paths ('../Other.md' outside it).
        if path is None or not self.prefix:
            return path
        return posixpath.relpath(path, self.prefix.rstrip("/"))


def build_links(roots: Sequence[Path]) -> dict[Path, VaultLinks]:
    """One index per vault (folders of one vault share it), built before the workers fork."""
    indexes: dict[Path, VaultIndex] = {}
    links: dict[Path, VaultLinks] = {}
    for root in dict.fromkeys(roots):
        vault, prefix = vault_root_of(root)
        if vault not in indexes:
            indexes[vault] = VaultIndex(iter_vault_files(vault), ())
        links[root] = VaultLinks(indexes[vault], prefix)
    return links


@dataclass(frozen=True)
class _Job:
    format: str
    wanted: tuple[str, ...]
    links: Mapping[Path, VaultLinks] = field(default_factory=dict)  # by discovery root
    mark: int = 0  # what stands for a note's backlink count until every note is read
    vaults: Mapping[Path, VaultIndex] = field(default_factory=dict)  # the same indexes, by vault


_job = _Job("json", ())


def _start_worker(job: _Job) -> None:
    global _job
    _job = job


Place = tuple[str, str]  # (vault folder, a note's path in it): plain strings hash fast


class Rendered(NamedTuple):
    """One note from a worker: its rendering (None when filtered out), its problems as report
    lines, and for the backlink count its vault path and the vault paths it reaches. A named
    tuple: it pickles twice as fast as a dataclass, and one crosses the pipe per note."""

    chunk: Any
    problems: list[str]
    source: Place | None = None  # None without links
    reached: tuple[str, ...] = ()


def render_one(location: NotePath) -> Rendered:
    note = load(location).note
    problems = [f"{note.path}:{p.line}:{p.col}: {p.code} {p.message}" for p in note.errors]
    links = _job.links.get(location.root)
    if links is None:
        chunk = EXPORTERS[_job.format].render(note, None) if has_tag(note, _job.wanted) else None
        return Rendered(chunk, problems)
    info, reached = links.info(note, _job.mark)
    chunk = EXPORTERS[_job.format].render(note, info) if has_tag(note, _job.wanted) else None
    vault, _ = vault_root_of(location.root)
    return Rendered(chunk, problems, (str(vault), links.prefix + note.path), reached)


def _reached_from_file(item: tuple[Path, str]) -> tuple[str, ...]:
    """What a note of the vault that is not being exported links to."""
    vault, rel = item
    found = _job.vaults[vault].resolved_paths(rel, read_facts(vault, rel).links)
    return tuple(sorted({path for path in found if path is not None and path != rel}))


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
    links = build_links([location.root for location in locations]) if exporter.links else {}
    # A random mark: no note can hold it by design, so filling it in cannot touch note text.
    job = _Job(settings.format, tuple(tag.casefold().lstrip("#") for tag in settings.tags),
               links, 10**18 + secrets.randbelow(10**18),
               {vault_root_of(root)[0]: vault.index for root, vault in links.items()})
    results = track(ordered_map(render_one, locations, jobs, _start_worker, (job,)),
                    len(locations), "export")
    chunks = _late_backlinks(results, job, jobs) if links and exporter.backlinks \
        else _chunks(results)
    if exporter.to_file is not None and target is not None:
        exporter.to_file(chunks, target)
        return 0
    with open_output(settings.output) as out:
        write_rendered(chunks, exporter, out)
    return 0


def _chunks(results: Iterable[Rendered]) -> Iterator[Any]:
    for result in results:
        for line in result.problems:
            sys.stderr.write(line + "\n")
        if result.chunk is not None:
            yield result.chunk


def _late_backlinks(results: Iterable[Rendered], job: _Job, jobs: int) -> Iterator[Any]:
    """The notes with their backlink counts filled in. The count needs every note read, so
    the rendered notes wait meanwhile, in a temporary file past a few megabytes."""
    counts: dict[Place, int] = {}
    counted: set[Place] = set()
    with _Spool() as spool:
        for result in results:
            for line in result.problems:
                sys.stderr.write(line + "\n")
            if result.source is not None and result.source not in counted:
                counted.add(result.source)
                _count(counts, result.source[0], result.reached)
            if result.chunk is not None:
                spool.add((result.source, result.chunk))
        _count_unexported(counts, counted, job, jobs)
        for source, chunk in spool.replay():
            yield fill_backlinks(chunk, job.mark, counts.get(source, 0))


class _Spool:
    """Items kept for a second pass: in memory up to IN_MEMORY bytes, then in an unnamed
    temporary file (gone when closed). Where none can be made (a read-only TMPDIR), in memory:
    a slower machine is better than a failed export."""

    IN_MEMORY = 16 * 2**20

    def __init__(self) -> None:
        self._out: BinaryIO = io.BytesIO()
        self._spilled = False

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._out.close()

    def add(self, item: Any) -> None:
        self._out.write(pickle.dumps(item, pickle.HIGHEST_PROTOCOL))
        if not self._spilled and self._out.tell() > self.IN_MEMORY:
            self._spilled = True  # one try only
            try:
                self._out = self._spill(cast(io.BytesIO, self._out))
            except OSError:  # no temporary file, or a full disk: carry on in memory
                return

    @staticmethod
    def _spill(memory: io.BytesIO) -> BinaryIO:
        spilled: BinaryIO = tempfile.TemporaryFile()  # noqa: SIM115 (handed on, or closed)
        try:
            spilled.write(memory.getbuffer())
        except OSError:
            spilled.close()
            raise
        memory.close()
        return spilled

    def replay(self) -> Iterator[Any]:
        self._out.seek(0)
        while True:
            try:
                yield pickle.load(self._out)  # our own bytes, written just now
            except EOFError:
                return


def _count(counts: dict[Place, int], vault: str, reached: Iterable[str]) -> None:
    for path in reached:
        counts[(vault, path)] = counts.get((vault, path), 0) + 1


def _count_unexported(counts: dict[Place, int], counted: set[Place], job: _Job,
                      jobs: int) -> None:
    """Links from the vault's notes that were not exported (outside the folder given) count
    too: those notes are parsed for their links."""
    missing = [(vault, path) for vault, index in job.vaults.items() for path in index.files
               if path.endswith(NOTE_SUFFIX) and (str(vault), path) not in counted]
    for (vault, _), reached in zip(missing, ordered_map(_reached_from_file, missing, jobs,
                                                        _start_worker, (job,)), strict=True):
        _count(counts, str(vault), reached)
