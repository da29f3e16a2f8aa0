"""The vault stage of a lint run: once every note is linted, the vault-scope rules run once.

The per-note stage (workers, or the cache) hands back each linted note's link facts and
suppressions. Here they are grouped by vault, each vault's index is built from them (the notes
not linted are scanned only when a rule needs them: the targets of `[[Note#Heading]]` links,
or every note for orphans), and the vault rules run in this process. Each note's findings come
back with what they depend on, so that `vaultmemo` can keep them between runs.

The listing-only rules (LK001, LK004: where a link leads at all) need no other note's facts, so
the workers run them on the notes they parse (`lint_listed`), against an index of the vault's
files, and this stage takes their findings as given. It had been a third of a second on one
core after the pool for the benchmark vault, re-reading 2,939 notes for the findings' lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from vault_tools.discover import NotePath
from vault_tools.engine import VaultTarget, lint_vault
from vault_tools.findings import Finding
from vault_tools.linkindex import VaultIndex
from vault_tools.lintplan import LintPlan
from vault_tools.model import Note
from vault_tools.notefacts import NoteFacts, facts_from_record, facts_of, facts_to_record
from vault_tools.notes import read_source
from vault_tools.suppressions import Directive, Suppressions
from vault_tools.vaultfiles import build_index, iter_vault_files, vault_root_of

LinkSummary = tuple[NoteFacts, Suppressions]
SummaryRecord = list[Any]  # a LinkSummary in JSON-safe form


def summarize(note: Note) -> LinkSummary:
    return facts_of(note), Suppressions.of(note)


def summary_to_record(summary: LinkSummary, parts_only: bool = False) -> SummaryRecord:
    """JSON-safe, for the lint cache, and what workers send (lists pickle in a fifth of the
    time dataclasses take). `parts_only` as in facts_to_record."""
    facts, suppressions = summary
    directives = [[d.action, list(d.codes), d.line, d.col, d.end_line]
                  for d in suppressions.directives]
    return [facts_to_record(facts, parts_only), directives]


def summary_from_record(rel: str, record: Any, parts_only: bool = False) -> LinkSummary | None:
    """None when the record is not of the right shape (a damaged cache entry is a miss).
    `parts_only` as in facts_from_record."""
    try:
        facts, directives = record
        return facts_from_record(rel, facts, parts_only), Suppressions(tuple(
            Directive(str(action), tuple(str(code) for code in codes), int(line), int(col),
                      int(end)) for action, codes, line, col, end in directives))
    except (TypeError, ValueError):
        return None


def _read_lines(location: NotePath) -> list[str]:
    # The same text, split the same way, as NoteContext.lines: finding contexts must match.
    return read_source(Path(location.file)).text.split("\n")


FactsLoader = Callable[[Path, str], NoteFacts]  # (vault, path in it) -> facts
Listings = dict[Path, VaultIndex]  # vault -> an index of its files alone


def listing_indexes(plan: LintPlan, locations: Sequence[NotePath]) -> Listings:
    """For each vault of `locations`, the index lint workers resolve links with when they run
    the listing-only rules (none is built when no such rule is active). Beside the vault's
    files it holds every note of the run, as the vault stage's index does: a note passed by
    name may lie where the listing does not look."""
    if not any(active.rule.listing_only for active in plan.vault_rules):
        return {}
    notes: dict[Path, list[str]] = {}
    for location in locations:
        vault, prefix = vault_root_of(location.root)
        notes.setdefault(vault, []).append(prefix + location.rel)
    return {vault: VaultIndex([*iter_vault_files(vault), *paths], ())
            for vault, paths in notes.items()}


def parts_suffice(plan: LintPlan) -> bool:
    """Once a note's listing-only rules ran, do the other vault rules need only its links
    that name a heading or block? Not when one reads every link (LK005)."""
    return all(active.rule.listing_only or active.rule.parts_only
               for active in plan.vault_rules)


def lint_listed(plan: LintPlan, listings: Listings, location: NotePath, summary: LinkSummary,
                text: str) -> list[Finding]:
    """The listing-only rules' findings on one note, in the worker that parsed it: it has the
    note's text at hand, and the vault stage after the pool runs on one core. `plan` holds
    those rules alone."""
    vault, prefix = vault_root_of(location.root)
    facts, suppressions = summary
    target = VaultTarget(location, facts.at(prefix + location.rel), suppressions)
    return lint_vault(plan, listings[vault], [target], lambda _: text.split("\n"))


def lint_links(plan: LintPlan, locations: Sequence[NotePath],
               summaries: Sequence[LinkSummary | None], load: FactsLoader | None = None,
               dependencies: bool = False, listed: Sequence[list[Finding] | None] | None = None,
               listings: Listings | None = None
               ) -> tuple[list[Finding], dict[tuple[str, str], tuple[str, ...]]]:
    """The vault rules' findings on the notes at `locations` (summaries in the same order), and
    when asked each note's dependencies, by (vault, path in it): the notes its links' headings
    and block ids were looked up in. `load` gives the facts of the vault's other notes when a
    link needs them (default: vaultfiles.read_facts). `listed` holds, where a worker ran
    them, the listing-only rules' findings on the note: they are taken as they are; the
    workers' `listings` give the vaults' files without walking them again."""
    groups: dict[Path, list[VaultTarget]] = {}
    found: list[Finding] = []
    done: dict[Path, set[str]] = {}  # per vault, the paths of the notes `listed` covers
    for number, (location, summary) in enumerate(zip(locations, summaries, strict=True)):
        if summary is None:
            continue
        vault, prefix = vault_root_of(location.root)
        facts, suppressions = summary
        target = VaultTarget(location, facts.at(prefix + location.rel), suppressions)
        groups.setdefault(vault, []).append(target)
        given = listed[number] if listed is not None else None
        if given is not None:
            found.extend(given)
            done.setdefault(vault, set()).add(target.facts.path)
    depends: dict[tuple[str, str], tuple[str, ...]] = {}
    for vault, targets in groups.items():
        notes = [target.facts for target in targets]
        listing = listings.get(vault) if listings else None
        index = build_index(vault, notes, load=partial(load, vault) if load else None,
                            files=listing.files if listing is not None else None)
        found.extend(lint_vault(plan, index, targets, _read_lines, done.get(vault, ())))
        if dependencies:
            depends.update(((str(vault), facts.path), _dependencies(index, facts))
                           for facts in notes)
    found.sort(key=lambda finding: finding.order)
    return found, depends


def _dependencies(index: VaultIndex, facts: NoteFacts) -> tuple[str, ...]:
    # Only `#heading` and `#^block` parts read the target's facts; where a link leads at all
    # depends on the vault's listing alone. (Resolutions are memoised: this is lookups.)
    return tuple(sorted({found.path for link in facts.links if link.heading or link.block
                         if (found := index.resolve(facts.path, link)).path is not None
                         and found.path != facts.path}))
