"""`vault-tools lint`: config -> discover -> read/parse -> engine -> reporter -> exit code."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vault_tools import __version__
from vault_tools.commands.output import open_output
from vault_tools.config import Config, load_config, with_overrides
from vault_tools.discover import (
    DiscoveryError,
    NotePath,
    find_vault_root,
    is_excluded,
    iter_note_paths,
)
from vault_tools.errors import UsageError
from vault_tools.findings import Finding, LintResult, Severity
from vault_tools.lintplan import LintPlan, build_plan, check_codes, check_config
from vault_tools.lintrun import LintRun
from vault_tools.notepaths import display_paths, relative_to_root
from vault_tools.parallel import default_jobs
from vault_tools.report import REPORTERS, ReportOptions
from vault_tools.schema_loader import build_schema_set

if TYPE_CHECKING:
    from vault_tools.fixer import FixOutcome

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
    jobs: int = 0  # 0: one per core
    cache: bool = True
    changed_since: str | None = None  # a git revision: lint only notes changed since it
    baseline: Path | None = None  # leave out the findings recorded in this file
    write_baseline: Path | None = None  # record every finding in this file instead of reporting
    fix: bool = False  # apply the safe fixes, then report what is left
    diff: bool = False  # print what --fix would change; write nothing
    unsafe_fixes: bool = False  # with --fix or --diff, the unsafe fixes too


@dataclass
class VaultRun:
    """One vault's notes, with the configuration and plan that apply to them. Each vault gets
    its own: pre-commit may pass a README.md of the repository before the vault's notes."""

    config: Config
    plan: LintPlan
    locations: list[NotePath]


def check_options(settings: LintSettings) -> None:
    for option, codes in (("--select", settings.select),
                          ("--extend-select", settings.extend_select),
                          ("--ignore", settings.ignore)):
        check_codes(codes or (), f"option {option}")


def build_config(settings: LintSettings, start: Path) -> Config:
    """The file's settings (found from `start`), each checked and named after the file, then
    the command line's."""
    config = load_config(start, settings.config)
    check_config(config)
    return with_overrides(config, select=settings.select, extend_select=settings.extend_select,
                          ignore=settings.ignore, fail_on=settings.fail_on)


def discover(settings: LintSettings) -> list[NotePath]:
    try:
        return list(iter_note_paths(settings.paths, settings.exclude))
    except DiscoveryError as exc:
        raise UsageError(str(exc)) from exc


def plan_vaults(settings: LintSettings, found: list[NotePath]) -> list[VaultRun]:
    """Group the notes by vault root; each group gets the configuration found from its root.
    The config's globs start at its own folder, wherever the walk started (a sub-folder, or
    the files pre-commit passes), so `exclude` is applied here, after discovery."""
    groups: dict[Path, list[NotePath]] = {}
    for location in found:
        groups.setdefault(location.root, []).append(location)
    if not groups:  # nothing to lint: still check the configuration the user pointed at
        start = Path(settings.paths[0]) if settings.paths else Path.cwd()
        groups[start if start.is_dir() else find_vault_root(start.parent)] = []
    runs = []
    for root, locations in groups.items():
        config = build_config(settings, root)
        kept = [location for location in locations if not config.exclude or not is_excluded(
            relative_to_root(location, config.root), config.exclude)]
        runs.append(VaultRun(config, build_plan(config, build_schema_set(config)), kept))
    return runs


def lint_all(runs: list[VaultRun], settings: LintSettings) -> list[Finding]:
    jobs = settings.jobs or default_jobs()
    return sorted((finding for run in runs
                   for finding in LintRun(run.plan, run.config, jobs, settings.cache)
                   .run(run.locations)), key=lambda finding: finding.order)


def exit_code(result: LintResult, settings: LintSettings) -> int:
    if settings.exit_zero or result.success:
        return EXIT_OK
    return EXIT_FINDINGS


def fix_all(runs: list[VaultRun], settings: LintSettings, findings: list[Finding]
            ) -> FixOutcome:
    """Fix the notes that `findings` say can be (writes nothing with --diff)."""
    from vault_tools.fixer import FixOutcome, FixRequest, fix_notes  # only runs with --fix

    outcomes = [fix_notes(run.locations, findings, FixRequest(
        run.plan, settings.unsafe_fixes, write=not settings.diff,
        jobs=settings.jobs or default_jobs())) for run in runs]
    outcome = FixOutcome(tuple(note for one in outcomes for note in one.notes), not settings.diff)
    sys.stderr.write(outcome.summary())
    return outcome


def show_diff(outcome: FixOutcome, settings: LintSettings) -> int:
    with open_output(settings.output) as out:
        out.write(outcome.diff)
    return EXIT_FINDINGS if outcome.diff else EXIT_OK


def check_baseline_options(settings: LintSettings) -> None:
    if settings.write_baseline is None:
        return
    if settings.baseline is not None:
        raise UsageError("--write-baseline and --baseline cannot be used together")
    if settings.changed_since is not None:
        raise UsageError("--write-baseline records the whole vault: drop --changed-since")


def execute(settings: LintSettings) -> int:
    from vault_tools import baseline

    check_baseline_options(settings)
    check_options(settings)
    # Read first: a missing baseline should stop the run before a long lint, not after it.
    recorded = baseline.read_baseline(settings.baseline) if settings.baseline else None
    runs = plan_vaults(settings, discover(settings))
    if settings.changed_since is not None:
        from vault_tools.changed import keep_changed

        for run in runs:
            run.locations = keep_changed(run.locations, settings.changed_since, settings.paths)
    findings = lint_all(runs, settings)
    if settings.fix or settings.diff:
        fixed = fix_all(runs, settings, findings)
        if settings.diff:
            return show_diff(fixed, settings)
        # Lint again (the cache still serves the notes left as they were): what is left.
        findings = fixed.remaining(lint_all(runs, settings) if fixed.changed else findings)
    if settings.write_baseline is not None:
        count = baseline.write_baseline(settings.write_baseline, findings)
        print(f"vault-tools: recorded {count} findings in {settings.write_baseline}",
              file=sys.stderr)
        return EXIT_OK
    if recorded is not None and settings.baseline is not None:
        findings = baseline.filter_new(findings, recorded, settings.baseline.parent)
    # The same display paths as the findings', so reporters can match notes and findings.
    paths = tuple(path for run in runs for path in display_paths(run.locations))
    fail_on = min(run.config.fail_on for run in runs)  # the strictest vault decides
    result = LintResult(tuple(findings), paths, fail_on)
    options = ReportOptions(color=settings.color and settings.output is None,
                            statistics=settings.statistics, version=__version__)
    with open_output(settings.output) as out:
        REPORTERS[settings.output_format](result, out, options)
    sys.stdout.flush()
    return exit_code(result, settings)
