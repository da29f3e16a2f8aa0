"""A link or embed leads to no note or file of the vault.

Links resolve as Obsidian resolves them: `[[Note]]` is `Note.md` anywhere in the vault, names
match case-insensitively, `[[folder/Note]]` picks one of several, embeds (`![[diagram.png]]`)
reach any file, Markdown links (`[x](Note%20name.md)`) start from the note's folder. A renamed
or deleted note leaves such links behind. A property that is one quoted link (`up: "[[Parent]]"`,
or an item of a list property) is checked too: Obsidian counts it as a link. URLs (`https:`,
`mailto:`, `obsidian:`...) are never checked. A missing heading or block of a note that exists
is LK002 or LK003.

Passes (the vault holds `Projects/Launch plan.md` and `diagram.png`):

    See [[launch plan]] and ![[diagram.png]].

Fails (no note is called `Lanch plan`):

    See [[Lanch plan]].
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from vault_tools.findings import Severity, Violation
from vault_tools.linkindex import VaultIndex
from vault_tools.notefacts import NoteFacts
from vault_tools.rules.base import Options

CODE = "LK001"
NAME = "unresolved-link"
SEVERITY = Severity.ERROR
SCOPE = "vault"
LINKS_ONLY = True  # its findings are kept note by note (vaultmemo)
LISTING_ONLY = True  # where a link leads needs the file listing alone: workers run it


def check_vault(index: VaultIndex, notes: Sequence[NoteFacts], options: Options
                ) -> Iterator[tuple[str, Violation]]:
    for facts, link, found in index.iter_resolved(notes):
        if found.internal and found.path is None:
            what = "embed" if link.kind == "embed" else "link"
            yield facts.path, Violation(
                link.line, link.col, f"unresolved {what}: no note or file {link.target!r}")
