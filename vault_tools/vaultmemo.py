"""The vault stage's findings, kept between runs of a whole vault, note by note.

Vault rules read other notes, so a note's vault findings are reused only while:
- the run covers every note of the vault, and the vault holds the same files under the same
  settings (the scope key: an attachment added resolves an embed, a rename breaks links);
- the note's own bytes are unchanged;
- so are its dependencies: the notes whose headings or block ids its links were checked
  against (`[[Other#Part]]` depends on Other.md; `[[Other]]` only on the listing).
That holds for rules with LINKS_ONLY, which look at a note's own links and where they lead.
When another vault rule is active (LK005: any note's links can make or unmake an orphan), any
change recomputes the whole stage. Runs over some files only (pre-commit) always recompute:
notes they did not read may have changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from vault_tools.cache import RuleNames, finding_from_record
from vault_tools.discover import NOTE_SUFFIX, NotePath
from vault_tools.findings import Finding
from vault_tools.safe_write import write_bytes
from vault_tools.vaultfiles import iter_vault_files, vault_root_of

FORMAT = "vault-tools-vault-memo/4"  # 3: records without names; 4: links in properties

Place = tuple[str, str]  # (vault folder, the note's path in the vault)
Entry = list[Any]  # [content hash, dependency paths in the same vault, finding records]


def places_of(locations: Sequence[NotePath]) -> list[Place]:
    roots: dict[Path, tuple[str, str]] = {}  # once per root: per note, it was 0.07 s warm
    places = []
    for location in locations:
        vault = roots.get(location.root)
        if vault is None:
            found, prefix = vault_root_of(location.root)
            vault = roots[location.root] = (str(found), prefix)
        places.append((vault[0], vault[1] + location.rel))
    return places


def _bytes(text: str) -> bytes:
    # File names that are not UTF-8 arrive as lone surrogates: hash the bytes they were.
    return text.encode("utf-8", "surrogateescape")


def scope_key(plan_key: str, places: Sequence[Place]) -> str | None:
    """What every reused entry needs unchanged besides notes' bytes: the plan's fingerprint
    and each vault's file listing. None when the run misses some note of a vault."""
    if not places:
        return None
    vaults: dict[str, set[str]] = {}
    for vault, path in places:
        vaults.setdefault(vault, set()).add(path)
    hashed = hashlib.sha256(plan_key.encode())
    for vault in sorted(vaults):
        listing = iter_vault_files(Path(vault))
        notes = vaults[vault]
        if any(rel.endswith(NOTE_SUFFIX) and rel not in notes for rel in listing):
            return None  # some notes were not linted in this run
        hashed.update(_bytes(f"\0{vault}\0"))
        hashed.update(_bytes("\n".join(listing)))
    return hashed.hexdigest()


def load(path: Path, scope: str) -> dict[Place, Entry]:
    """The entries a run with the same scope left; none when missing, damaged or foreign."""
    try:
        document = json.loads(path.read_bytes())
        if document.get("format") != FORMAT or document.get("scope") != scope:
            return {}
        return {(str(vault), str(note)): entry for vault, note, *entry in document["notes"]
                if _well_formed(entry)}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _well_formed(entry: Entry) -> bool:
    return len(entry) == 3 and isinstance(entry[0], str) and isinstance(entry[2], list) \
        and isinstance(entry[1], list) and all(isinstance(dep, str) for dep in entry[1])


def findings_of(entry: Entry, shown: str, rules: RuleNames) -> list[Finding] | None:
    """The entry's findings on the note shown as `shown`; None when a record is damaged."""
    try:
        return [finding_from_record(shown, record, rules) for record in entry[2]]
    except (TypeError, ValueError, KeyError):
        return None


def reusable(memo: Mapping[Place, Entry], digests: Mapping[Place, str], local: bool
             ) -> set[Place]:
    """The notes whose kept findings still hold (see the module's docstring)."""
    changed = {place for place, digest in digests.items()
               if place not in memo or memo[place][0] != digest}
    if not changed:  # the usual warm run: every note as it was, so every entry holds
        return set(digests)
    if not local:
        return set()
    return {place for place in digests if place not in changed
            and not any((place[0], str(dep)) in changed for dep in memo[place][1])}


def save(path: Path, scope: str, entries: Iterable[tuple[Place, Entry]]) -> None:
    document = {"format": FORMAT, "scope": scope,
                "notes": [[*place, *entry] for place, entry in entries]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, json.dumps(document, separators=(",", ":")).encode("utf-8"))
    except OSError:
        return
