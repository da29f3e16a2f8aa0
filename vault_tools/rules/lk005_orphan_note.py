"""A note that no other note links to, and that links to no other note or file (an orphan).

Orphans are the notes that Obsidian's graph shows floating alone: nothing leads a reader to
them. Links and embeds both count, in either direction, and so do links in properties
(`up: "[[Parent]]"`); URLs and links that lead nowhere do not. Off by default: inboxes and
daily notes are often orphans on purpose (use `per-file-ignores` for their folders).

Passes (`Ideas.md` links to `Projects.md`):

    Next: [[Projects]].

Fails (no note links here, and this note links nowhere):

    A thought with no links in or out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from vault_tools.findings import Severity, Violation
from vault_tools.linkindex import VaultIndex
from vault_tools.notefacts import NoteFacts
from vault_tools.rules.base import Options

CODE = "LK005"
NAME = "orphan-note"
SEVERITY = Severity.WARNING
SCOPE = "vault"
DEFAULT_ENABLED = False


def _links_out(index: VaultIndex, facts: NoteFacts) -> bool:
    return any(index.resolve(facts.path, link).path not in (None, facts.path)
               for link in facts.links)


def check_vault(index: VaultIndex, notes: Sequence[NoteFacts], options: Options
                ) -> Iterator[tuple[str, Violation]]:
    incoming = index.backlinks()
    for facts in notes:
        if facts.path not in incoming and not _links_out(index, facts):
            yield facts.path, Violation(1, 1, "orphan note: no link leads here or away")
