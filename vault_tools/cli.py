"""The `vault-tools` command: click options -> a command's Settings -> its `execute()`.

Heavy modules are imported inside the commands, so `--version` and `--help` start fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from vault_tools import __version__
from vault_tools.errors import UsageError

# The registries' keys, repeated here so that building the CLI imports no parser; a test
# checks that they match EXPORTERS.
EXPORT_FORMATS = ("json", "jsonl", "csv")


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
def export(paths: tuple[str, ...], fmt: str, output: Path | None, tags: tuple[str, ...],
           exclude: tuple[str, ...]) -> None:
    """Export the structure of the notes under PATHS (folders or .md files)."""
    from vault_tools.commands.export import ExportSettings, execute

    settings = ExportSettings(paths, fmt, output, tags, exclude)
    sys.exit(execute(settings))


def main() -> None:
    """Entry point: no traceback ever reaches the user (set VAULT_TOOLS_DEBUG=1 to see one)."""
    try:
        cli.main(prog_name="vault-tools")
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
