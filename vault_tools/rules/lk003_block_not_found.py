"""A link names a block id that its target note does not have.

`[[Note#^id]]` (and the embed `![[Note#^id]]`) point at the block that ends with `^id`; when
that block was deleted or its id edited, the link opens the top of the note, or embeds nothing.
Block ids compare case-insensitively, as in Obsidian; `[[#^id]]` is a block of the linking note.

Passes (`Interview prep.md` has a paragraph ending with `^star-method`):

    Reread [[Interview prep#^star-method]].

Fails (no block there ends with `^star`):

    Reread [[Interview prep#^star]].
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from vault_tools.findings import Severity, Violation
from vault_tools.linkindex import VaultIndex
from vault_tools.notefacts import NoteFacts
from vault_tools.rules.base import Options

CODE = "LK003"
NAME = "block-not-found"
SEVERITY = Severity.WARNING
SCOPE = "vault"
LINKS_ONLY = True  # its findings are kept note by note (vaultmemo)
PARTS_ONLY = True  # it looks at no link without a heading or block part


def check_vault(index: VaultIndex, notes: Sequence[NoteFacts], options: Options
                ) -> Iterator[tuple[str, Violation]]:
    for facts, link, found in index.iter_resolved_parts(notes):
        if found.block_missing:
            yield facts.path, Violation(
                link.line, link.col, f"no block '^{link.block}' in {found.path!r}")
