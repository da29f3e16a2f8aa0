"""A suppression comment names a rule code that does not exist.

`%% vault-tools: disable HD01 %%` suppresses nothing; a typo there silently keeps findings (or,
worse, a later rule with that code) from showing.

Passes:

    %% vault-tools: disable-next-line WS001 %%

Fails:

    %% vault-tools: disable-next-line WS01X %%
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.suppressions import ALL

CODE = "VT004"
NAME = "unknown-suppression"
SEVERITY = Severity.WARNING


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    for directive in ctx.directives:
        for code in directive.codes:
            if code != ALL and not any(known.startswith(code) for known in ctx.known_codes):
                yield Violation(directive.line, directive.col,
                                f"unknown rule code {code!r} in suppression")
