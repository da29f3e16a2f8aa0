"""The vault stage's findings, kept between runs of a whole vault while nothing in it changed.

Vault rules depend on every note (a rename breaks links elsewhere), so their findings are only
reused when the run covered every note of the vault, every note's content hash is known and
equal, and the vault holds the same files (an attachment added resolves an embed); the key
hashes all of that with the plan's fingerprint. Any change recomputes the stage from the
per-note facts. Runs over some files only (pre-commit) always recompute: notes they did not
read may have changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from vault_tools.cache import finding_from_record, finding_to_record
from vault_tools.discover import NOTE_SUFFIX, NotePath
from vault_tools.engine import display_path
from vault_tools.findings import Finding
from vault_tools.safe_write import write_bytes
from vault_tools.vaultfiles import iter_vault_files, vault_root_of

FORMAT = "vault-tools-vault-memo/1"


def _bytes(text: str) -> bytes:
    # File names that are not UTF-8 arrive as lone surrogates: hash the bytes they were.
    return text.encode("utf-8", "surrogateescape")


def memo_key(plan_key: str, locations: Sequence[NotePath], digests: Sequence[str | None]
             ) -> str | None:
    """The key of this run's vault stage, or None when its findings must not be reused."""
    if not locations or any(digest is None for digest in digests):
        return None
    vaults: dict[Path, dict[str, str]] = {}
    for location, digest in zip(locations, digests, strict=True):
        vault, prefix = vault_root_of(location.root)
        vaults.setdefault(vault, {})[prefix + location.rel] = str(digest)
    hashed = hashlib.sha256(plan_key.encode())
    for vault in sorted(vaults):
        listing = iter_vault_files(vault)
        notes = vaults[vault]
        if any(rel.endswith(NOTE_SUFFIX) and rel not in notes for rel in listing):
            return None  # some notes were not linted in this run
        hashed.update(_bytes(f"\0{vault}\0"))
        hashed.update(_bytes("\n".join(listing)))
        hashed.update(_bytes("".join(f"{rel}\0{digest}\n"
                                     for rel, digest in sorted(notes.items()))))
    return hashed.hexdigest()


def load(path: Path, key: str, locations: Sequence[NotePath]) -> list[Finding] | None:
    try:
        document = json.loads(path.read_bytes())
        if document.get("format") != FORMAT or document.get("key") != key:
            return None
        by_place = {(str(loc.root), loc.rel): loc for loc in locations}
        return [finding_from_record(display_path(by_place[(str(root), str(rel))]), record)
                for root, rel, record in document["findings"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # missing, damaged or foreign: recompute


def save(path: Path, key: str, findings: Sequence[Finding],
         locations: Sequence[NotePath]) -> None:
    places = {display_path(loc): (str(loc.root), loc.rel) for loc in locations}
    records = [[*places[f.path], finding_to_record(f)] for f in findings if f.path in places]
    if len(records) != len(findings):
        return  # a finding on a note we cannot name again: do not keep a partial answer
    document = {"format": FORMAT, "key": key, "findings": records}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, json.dumps(document,
                                     separators=(",", ":")).encode("utf-8"))
    except OSError:
        return
