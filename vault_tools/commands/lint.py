"""`vault-tools lint`: config -> discover -> read/parse -> engine -> reporter -> exit code."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from vault_tools import __version__
from vault_tools.commands.output import open_output
from vault_tools.config import Config, load_config, with_overrides
from vault_tools.discover import DiscoveryError, NotePath, find_vault_root, iter_note_paths
from vault_tools.engine import build_plan, lint_note
from vault_tools.errors import UsageError
from vault_tools.findings import Finding, LintResult, Severity
from vault_tools.notes import load
from vault_tools.report import REPORTERS, ReportOptions

EXIT_OK, EXIT_FINDINGS = 0, 1


@dataclass(frozen=True)
class LintSettings:
    paths: tuple[str, ...]
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    output_format: str = "text"
    output: Path | None = None
    statistics: bool = False
    fail_on: Severity | None = None
    exit_zero: bool = False
    config: Path | None = None
    color: bool = False


def config_start(paths: tuple[str, ...]) -> Path:
    """Where to look for configuration: the first path's vault (a file's nearest vault root)."""
    first = Path(paths[0]) if paths else Path.cwd()
    return first if first.is_dir() else find_vault_root(first.parent)


def build_config(settings: LintSettings) -> Config:
    config = load_config(config_start(settings.paths), settings.config)
    return with_overrides(config, select=settings.select, extend_select=settings.extend_select,
                          ignore=settings.ignore, fail_on=settings.fail_on)


def discover(settings: LintSettings, config: Config) -> list[NotePath]:
    try:
        return list(iter_note_paths(settings.paths, (*config.exclude, *settings.exclude)))
    except DiscoveryError as exc:
        raise UsageError(str(exc)) from exc


def iter_findings(locations: list[NotePath], config: Config) -> Iterator[list[Finding]]:
    plan = build_plan(config)
    for location in locations:
        yield lint_note(load(location), plan)


def exit_code(result: LintResult, settings: LintSettings) -> int:
    if settings.exit_zero or result.success:
        return EXIT_OK
    return EXIT_FINDINGS


def execute(settings: LintSettings) -> int:
    config = build_config(settings)
    locations = discover(settings, config)
    findings = [finding for batch in iter_findings(locations, config) for finding in batch]
    paths = tuple(location.rel for location in locations)
    result = LintResult(tuple(sorted(findings)), paths, config.fail_on)
    options = ReportOptions(color=settings.color and settings.output is None,
                            statistics=settings.statistics, version=__version__)
    with open_output(settings.output) as out:
        REPORTERS[settings.output_format](result, out, options)
    sys.stdout.flush()
    return exit_code(result, settings)
