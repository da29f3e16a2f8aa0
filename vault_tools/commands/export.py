"""`vault-tools export`: discover -> read -> parse -> exporter, streaming to stdout or a file.

Notes are parsed and rendered in worker processes (`--jobs`) and written in discovery order,
so the output is the same bytes whatever the number of jobs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from vault_tools.commands.output import open_output
from vault_tools.discover import DiscoveryError, NotePath, iter_note_paths
from vault_tools.errors import UsageError
from vault_tools.export import EXPORTERS, write_rendered
from vault_tools.model import Note
from vault_tools.notes import load
from vault_tools.parallel import default_jobs, ordered_map
from vault_tools.progress import track


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


@dataclass(frozen=True, slots=True)
class _Job:
    format: str
    wanted: tuple[str, ...]


_job = _Job("json", ())


def _start_worker(job: _Job) -> None:
    global _job
    _job = job


def render_one(location: NotePath) -> tuple[str | None, list[str]]:
    """(rendered note or None when filtered out, its problems as report lines)."""
    note = load(location).note
    problems = [f"{note.path}:{p.line}:{p.col}: {p.code} {p.message}" for p in note.errors]
    if not has_tag(note, _job.wanted):
        return None, problems
    return EXPORTERS[_job.format].render(note), problems


def execute(settings: ExportSettings) -> int:
    try:
        locations = list(iter_note_paths(settings.paths, settings.exclude))
    except DiscoveryError as exc:
        raise UsageError(str(exc)) from exc
    job = _Job(settings.format, tuple(tag.casefold().lstrip("#") for tag in settings.tags))
    results = ordered_map(render_one, locations, settings.jobs or default_jobs(),
                          _start_worker, (job,))

    def rendered() -> Iterator[str]:
        for text, problems in track(results, len(locations), "export"):
            for line in problems:
                sys.stderr.write(line + "\n")
            if text is not None:
                yield text

    with open_output(settings.output) as out:
        write_rendered(rendered(), EXPORTERS[settings.format], out)
    return 0
