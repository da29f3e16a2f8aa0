"""`vault-tools export`: discover -> read -> parse -> exporter, streaming to stdout or a file."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import click

from vault_tools.commands.output import open_output
from vault_tools.discover import DiscoveryError, NotePath, iter_note_paths
from vault_tools.errors import UsageError
from vault_tools.export import EXPORTERS
from vault_tools.model import Note
from vault_tools.notes import load


@dataclass(frozen=True, slots=True)
class ExportSettings:
    paths: tuple[str, ...]
    format: str = "json"
    output: Path | None = None
    tags: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


def has_tag(note: Note, wanted: Sequence[str]) -> bool:
    """Case-insensitive; `work` also selects nested tags such as `work/ml`."""
    if not wanted:
        return True
    names = [tag.casefold() for tag in note.tags]
    return any(name == want or name.startswith(want + "/") for want in wanted for name in names)


def _notes(locations: list[NotePath], settings: ExportSettings, report: TextIO) -> Iterator[Note]:
    wanted = [tag.casefold().lstrip("#") for tag in settings.tags]
    for location in locations:
        note = load(location).note
        for problem in note.errors:
            report.write(f"{note.path}:{problem.line}:{problem.col}: {problem.code} "
                         f"{problem.message}\n")
        if has_tag(note, wanted):
            yield note


def execute(settings: ExportSettings) -> int:
    try:
        locations = list(iter_note_paths(settings.paths, settings.exclude))
    except DiscoveryError as exc:
        raise UsageError(str(exc)) from exc
    exporter = EXPORTERS[settings.format]
    with open_output(settings.output) as out:
        exporter(_notes(locations, settings, sys.stderr), out)
    if settings.output is not None and not settings.output.exists():
        click.echo(f"vault-tools: nothing written to {settings.output}", err=True)
    return 0
