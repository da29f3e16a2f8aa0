"""The `vault-tools` command: click options -> a command's Settings -> its `execute()`.

Heavy modules are imported inside the commands, so `--version` and `--help` start fast.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from pathlib import Path

import click

from vault_tools import __version__
from vault_tools.errors import UsageError

# The registries' keys, repeated here so that building the CLI imports no parser or rule; a
# test checks that they match EXPORTERS and REPORTERS.
EXPORT_FORMATS = ("json", "jsonl", "csv", "links-csv", "sqlite")
OUTPUT_FORMATS = ("text", "concise", "json", "github", "sarif", "junit", "gitlab")
SEVERITIES = ("error", "warning", "info")


JOBS_OPTION = click.option(
    "-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=False,
    help="Worker processes (default 0: one per core; 1: no worker processes).")


def _use_color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vault-tools")
def cli() -> None:
    """Read an Obsidian vault: export the structure of its notes, and check it."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json",
              show_default=True, help="Output format (see docs/export-format.md).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to this file (atomically, only if it changed) instead of stdout.")
@click.option("--tag", "tags", multiple=True, metavar="TAG",
              help="Only notes with this tag or a nested tag under it (case-insensitive).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip notes and folders matching this glob (relative to the vault).")
@JOBS_OPTION
def export(paths: tuple[str, ...], fmt: str, output: Path | None, tags: tuple[str, ...],
           exclude: tuple[str, ...], jobs: int) -> None:
    """Export the structure of the notes under PATHS (folders or .md files)."""
    from vault_tools.commands.export import ExportSettings, execute

    settings = ExportSettings(paths, fmt, output, tags, exclude, jobs)
    sys.exit(execute(settings))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these rules (codes or prefixes, comma-separated; ALL for every rule).")
@click.option("--extend-select", multiple=True, metavar="CODES",
              help="Rules to add to the selection (e.g. opt-in rules).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Rules not to run.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip matching notes/folders.")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), default=None,
              help="Findings format [default: text; github under GitHub Actions].")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the report to this file instead of stdout.")
@click.option("--statistics", is_flag=True, help="Show counts per rule.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that fails the run [default: warning].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), default=None,
              help="Use this configuration file instead of searching for one.")
@JOBS_OPTION
@click.option("--no-cache", is_flag=True,
              help="Neither read nor write .vault-tools-cache/ at the vault root.")
@click.option("--changed-since", metavar="REF", default=None,
              help="Only notes changed since this git revision (e.g. origin/main).")
@click.option("--baseline", "baseline_file", type=click.Path(path_type=Path), default=None,
              metavar="FILE",
              help="Leave out the findings recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Record every finding in FILE (a baseline) and exit 0.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes, then report what is left.")
@click.option("--diff", is_flag=True,
              help="Show the diff of what --fix would change; write nothing; exit 1 if any.")
@click.option("--unsafe-fixes", is_flag=True,
              help="With --fix or --diff, also the fixes that may change meaning.")
def lint(paths: tuple[str, ...], select: tuple[str, ...], extend_select: tuple[str, ...],
         ignore: tuple[str, ...], exclude: tuple[str, ...], output_format: str | None,
         output: Path | None, statistics: bool, fail_on: str | None, exit_zero: bool,
         config_file: Path | None, jobs: int, no_cache: bool, changed_since: str | None,
         baseline_file: Path | None, write_baseline: Path | None, fix: bool, diff: bool,
         unsafe_fixes: bool) -> None:
    """Check the notes under PATHS; exit 1 when a finding reaches --fail-on, 2 on usage errors."""
    from vault_tools.commands.lint import LintSettings, execute
    from vault_tools.config import split_codes
    from vault_tools.findings import Severity

    settings = LintSettings(
        paths=paths,
        select=split_codes(select) if select else None,
        extend_select=split_codes(extend_select) if extend_select else None,
        ignore=split_codes(ignore) if ignore else None,
        exclude=exclude,
        output_format=output_format or _default_format(),
        output=output,
        statistics=statistics,
        fail_on=Severity.parse(fail_on) if fail_on else None,
        exit_zero=exit_zero,
        config=config_file,
        color=_use_color(),
        jobs=jobs,
        cache=not no_cache,
        changed_since=changed_since,
        baseline=baseline_file,
        write_baseline=write_baseline,
        fix=fix,
        diff=diff,
        unsafe_fixes=unsafe_fixes,
    )
    sys.exit(execute(settings))


@cli.command()
@click.argument("code", required=False)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--markdown", "as_markdown", is_flag=True,
              help="Every rule's documentation as Markdown (docs/rules.md).")
def rules(code: str | None, as_json: bool, as_markdown: bool) -> None:
    """List every rule, or show the documentation of CODE."""
    from vault_tools.commands.rules import execute

    sys.exit(execute(code, as_json, as_markdown))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def clean(paths: tuple[Path, ...]) -> None:
    """Remove the lint cache (.vault-tools-cache/) of the vaults at PATHS (default: here)."""
    from vault_tools.cache import clean as remove_cache
    from vault_tools.discover import find_vault_root

    for path in paths or (Path.cwd(),):
        root = path if path.is_dir() else find_vault_root(path.parent)
        if remove_cache(root):
            click.echo(f"removed {root / '.vault-tools-cache'}")


@cli.group()
def schema() -> None:
    """Write and check structure schemas (docs/schemas.md)."""


@schema.command("init")
@click.option("--from", "example", required=True, type=click.Path(path_type=Path),
              help="The example note (.md) whose outline and frontmatter the schema describes.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the schema to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def schema_init(example: Path, output: Path | None, force: bool) -> None:
    """Write a structure schema from an example note (it passes; edit from there)."""
    from vault_tools.commands.schema import InitSettings, execute_init

    sys.exit(execute_init(InitSettings(example, output, force)))


@schema.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip matching notes/folders.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), default=None,
              help="Use this configuration file instead of searching for one.")
def schema_check(paths: tuple[str, ...], exclude: tuple[str, ...],
                 config_file: Path | None) -> None:
    """Which notes under PATHS each schema applies to, and whether they match it."""
    from vault_tools.commands.schema import CheckSettings, execute_check

    sys.exit(execute_check(CheckSettings(paths, config_file, exclude)))


# Ctrl-C, and SIGTERM (`kill`, a cancelled CI job): each ends the run cleanly, workers too,
# with 128 + the signal's number, as shells report it; not 1, which means "findings".
_STOPPED_BY = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}


class _Stopped(BaseException):
    """Not a KeyboardInterrupt: click would turn that into "Aborted!" and exit 1. Raised in
    the main thread, it unwinds through the worker pool, which then ends its workers: killed
    outright, the parent left them waiting for work that would never come."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signum)


def _catch_stop_signals() -> None:
    for signum in _STOPPED_BY:
        if signal.getsignal(signum) in (signal.default_int_handler, signal.SIG_DFL):
            signal.signal(signum, _stop)  # (not when ignored, as in a background job)


def main() -> None:
    """Entry point: no traceback ever reaches the user (set VAULT_TOOLS_DEBUG=1 to see one)."""
    # A run builds tens of thousands of objects that live until it ends (notes' link facts,
    # findings, cache entries): with the default thresholds the cyclic collector rescanned
    # them every 700 allocations, a sixth of a warm run over the benchmark vault. They hold
    # no cycles to speak of, so collect rarely.
    gc.set_threshold(100_000, 50, 100)
    _catch_stop_signals()
    from vault_tools.commands.output import escape_name_bytes_on

    escape_name_bytes_on(sys.stderr)
    try:
        cli.main(prog_name="vault-tools")
    except _Stopped as stop:
        # Files are written atomically: an interrupted run leaves each as it was or done.
        click.echo(f"vault-tools: {_STOPPED_BY[signal.Signals(stop.signum)]}", err=True)
        sys.exit(128 + stop.signum)
    except BrokenPipeError:
        # `vault-tools export ... | head`: the reader left; that is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except UsageError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:
        if os.environ.get("VAULT_TOOLS_DEBUG"):
            raise
        click.echo(f"vault-tools: internal error: {type(exc).__name__}: {exc} "
                   "(set VAULT_TOOLS_DEBUG=1 for the traceback, and please report it)", err=True)
        sys.exit(2)
