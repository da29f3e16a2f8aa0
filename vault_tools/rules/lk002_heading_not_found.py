"""A link names a heading that its target note does not have.

`[[Note#Heading]]` opens the note at that heading; when the heading was renamed, Obsidian opens
the top of the note instead, silently. Headings compare as in Obsidian: case is ignored, and
punctuation such as `:` `?` `&` `#` `|` `^` `/` counts as a space (`[[Note#Q A next steps]]`
reaches `## Q&A: next steps?`). Chained `[[Note#Part#Detail]]` needs `Detail` below `Part`;
`[[#Heading]]` is a heading of the linking note itself.

Passes (`Meetings.md` has `## Q&A: next steps?`):

    Answers in [[Meetings#Q A next steps]].

Fails (it has no heading `Decisions`):

    Answers in [[Meetings#Decisions]].
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from vault_tools.findings import Severity, Violation
from vault_tools.linkindex import VaultIndex
from vault_tools.notefacts import NoteFacts
from vault_tools.rules.base import Options

CODE = "LK002"
NAME = "heading-not-found"
SEVERITY = Severity.WARNING
SCOPE = "vault"
LINKS_ONLY = True  # its findings are kept note by note (vaultmemo)
PARTS_ONLY = True  # it looks at no link without a heading or block part


def check_vault(index: VaultIndex, notes: Sequence[NoteFacts], options: Options
                ) -> Iterator[tuple[str, Violation]]:
    for facts, link, found in index.iter_resolved_parts(notes):
        if found.heading_missing:
            yield facts.path, Violation(
                link.line, link.col,
                f"no heading {link.heading!r} in {found.path!r}")
