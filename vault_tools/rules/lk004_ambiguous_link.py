"""A link's name fits several notes, and none of them is nearest.

A bare `[[Note]]` opens the note of that name in the linking note's folder, else the one with
the fewest folders in its path. When several are equally near, which one opens is not visible
in the text: this reports them, and the link is taken to lead to the first by path. Write the
folder (`[[Work/Note]]`) to choose.

Passes (`Note.md` at the top and `Archive/Note.md`: the top one is nearer):

    [[Note]]

Fails (only `Work/Note.md` and `Home/Note.md`, linked from a third folder):

    [[Note]]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from vault_tools.findings import Severity, Violation
from vault_tools.linkindex import VaultIndex
from vault_tools.notefacts import NoteFacts
from vault_tools.rules.base import Options

CODE = "LK004"
NAME = "ambiguous-link"
SEVERITY = Severity.INFO
SCOPE = "vault"
LINKS_ONLY = True  # its findings are kept note by note (vaultmemo)
LISTING_ONLY = True  # where a link leads needs the file listing alone: workers run it


def check_vault(index: VaultIndex, notes: Sequence[NoteFacts], options: Options
                ) -> Iterator[tuple[str, Violation]]:
    for facts, link, found in index.iter_resolved(notes):
        if len(found.candidates) > 1:
            listed = ", ".join(found.candidates)
            yield facts.path, Violation(
                link.line, link.col,
                f"{link.target!r} fits {len(found.candidates)} files equally well "
                f"({listed}); taken as {found.path!r}")
