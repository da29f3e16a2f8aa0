"""The vault stage of a lint run: once every note is linted, the vault-scope rules run once.

The per-note stage (workers, or the cache) hands back each linted note's link facts and
suppressions. Here they are grouped by vault, each vault's index is built from them (the notes
not linted are scanned only when a rule needs them: the targets of `[[Note#Heading]]` links,
or every note for orphans), and the vault rules run in this process. Each note's findings come
back with what they depend on, so that `vaultmemo` can keep them between runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from vault_tools.discover import NotePath
from vault_tools.engine import LintPlan, VaultTarget, lint_vault
from vault_tools.findings import Finding
from vault_tools.linkindex import (
    NoteFacts,
    VaultIndex,
    facts_from_record,
    facts_of,
    facts_to_record,
)
from vault_tools.model import Note
from vault_tools.notes import read_source
from vault_tools.suppressions import Directive, Suppressions
from vault_tools.vaultfiles import build_index, vault_root_of

LinkSummary = tuple[NoteFacts, Suppressions]


def summarize(note: Note) -> LinkSummary:
    return facts_of(note), Suppressions.of(note)


def summary_to_record(summary: LinkSummary) -> list[Any]:
    """JSON-safe, for the lint cache."""
    facts, suppressions = summary
    directives = [[d.action, list(d.codes), d.line, d.col, d.end_line]
                  for d in suppressions.directives]
    return [facts_to_record(facts), directives]


def summary_from_record(rel: str, record: Any) -> LinkSummary | None:
    """None when the record is not of the right shape (a damaged cache entry is a miss)."""
    try:
        facts, directives = record
        return facts_from_record(rel, facts), Suppressions(tuple(
            Directive(str(action), tuple(str(code) for code in codes), int(line), int(col),
                      int(end)) for action, codes, line, col, end in directives))
    except (TypeError, ValueError):
        return None


def _read_lines(location: NotePath) -> list[str]:
    # The same text, split the same way, as NoteContext.lines: finding contexts must match.
    return read_source(Path(location.file)).text.split("\n")


FactsLoader = Callable[[Path, str], NoteFacts]  # (vault, path in it) -> facts


def lint_links(plan: LintPlan, locations: Sequence[NotePath],
               summaries: Sequence[LinkSummary | None], load: FactsLoader | None = None,
               dependencies: bool = False
               ) -> tuple[list[Finding], dict[tuple[str, str], tuple[str, ...]]]:
    """The vault rules' findings on the notes at `locations` (summaries in the same order), and
    when asked each note's dependencies, by (vault, path in it): the notes its links' headings
    and block ids were looked up in. `load` gives the facts of the vault's other notes when a
    link needs them (default: a fast scan of the file)."""
    groups: dict[Path, list[VaultTarget]] = {}
    for location, summary in zip(locations, summaries, strict=True):
        if summary is None:
            continue
        vault, prefix = vault_root_of(location.root)
        facts, suppressions = summary
        target = VaultTarget(location, replace(facts, path=prefix + location.rel), suppressions)
        groups.setdefault(vault, []).append(target)
    found: list[Finding] = []
    depends: dict[tuple[str, str], tuple[str, ...]] = {}
    for vault, targets in groups.items():
        notes = [target.facts for target in targets]
        index = build_index(vault, notes, load=partial(load, vault) if load else None)
        found.extend(lint_vault(plan, index, targets, _read_lines))
        if dependencies:
            depends.update(((str(vault), facts.path), _dependencies(index, facts))
                           for facts in notes)
    return found, depends


def _dependencies(index: VaultIndex, facts: NoteFacts) -> tuple[str, ...]:
    # Only `#heading` and `#^block` parts read the target's facts; where a link leads at all
    # depends on the vault's listing alone. (Resolutions are memoised: this is lookups.)
    return tuple(sorted({found.path for link in facts.links if link.heading or link.block
                         if (found := index.resolve(facts.path, link)).path is not None
                         and found.path != facts.path}))
