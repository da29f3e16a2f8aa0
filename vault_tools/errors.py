"""The operator's mistakes (bad path, bad config, bad schema): one clear line, exit code 2."""

from __future__ import annotations

import click


class UsageError(click.ClickException):
    """Reported as `vault-tools: <message>` on stderr with exit code 2, never a traceback."""

    exit_code = 2

    def show(self, file: object = None) -> None:
        click.echo(f"vault-tools: error: {self.format_message()}", err=True)
