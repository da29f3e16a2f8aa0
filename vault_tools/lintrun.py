"""Linting many notes: cache lookups, then the misses in parallel, in discovery order.

Results are identical whatever `jobs` is and whether the cache was used: a cached entry holds
exactly the findings a fresh run produced for the same bytes under the same settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from vault_tools import vaultmemo
from vault_tools.cache import (
    LintCache,
    Record,
    RuleNames,
    Stamp,
    content_hash,
    finding_from_record,
    finding_to_record,
    fingerprint,
    stamp_of,
)
from vault_tools.config import Config
from vault_tools.discover import NotePath
from vault_tools.engine import INTERNAL_ERROR, lint_note, rule_names
from vault_tools.findings import Finding
from vault_tools.lintplan import LintPlan
from vault_tools.notefacts import NoteFacts
from vault_tools.notepaths import display_paths
from vault_tools.notes import load_with_digest
from vault_tools.parallel import MIN_PARALLEL_ITEMS, ordered_map
from vault_tools.progress import track
from vault_tools.vaultfiles import read_facts
from vault_tools.vaultstage import (
    LinkSummary,
    Listings,
    SummaryRecord,
    lint_links,
    lint_listed,
    listing_indexes,
    parts_suffice,
    summarize,
    summary_from_record,
    summary_to_record,
)

_plan: LintPlan | None = None
_caching = True  # without a cache (--no-cache), no note needs its stamp or content hash
_listing_plan: LintPlan | None = None  # the plan's listing-only vault rules, if any
_listings: Listings = {}
_parts_only = False  # send only the links that name a heading or block (see lint_one)


def _start_worker(plan: LintPlan, caching: bool, listings: Listings) -> None:
    global _plan, _caching, _listing_plan, _listings, _parts_only
    _plan, _caching, _listings = plan, caching, listings
    listing = tuple(active for active in plan.vault_rules if active.rule.listing_only)
    _listing_plan = replace(plan, rules=(), vault_rules=listing) if listing and listings \
        else None
    _parts_only = _listing_plan is not None and parts_suffice(plan) and not caching


class Linted(NamedTuple):
    """One note's results, from a worker. Records, not Findings: they are what the cache
    keeps, and unpickling 20,000 Finding objects was a third of a second of the parent's."""

    digest: str | None  # content hash; None when unreadable, or when nothing is cached
    records: list[Record]  # the note rules' findings
    # Link facts for the vault rules. Without a cache to keep them, and once the listing-only
    # rules ran here, only the links the vault stage still checks (parts_suffice): one in 200
    # of the benchmark vault's 51,191, which the parent unpickled in a tenth of a second.
    summary: SummaryRecord | None
    stamp: Stamp | None  # the file's stamp from before it was read (None as digest is)
    listed: list[Record] | None  # the listing-only vault rules' findings, when run here


def lint_one(location: NotePath) -> Linted:
    assert _plan is not None, "ordered_map runs _start_worker first"
    # Before reading: a change made while the note is read shows in the stamp.
    stamp = stamp_of(location.file) if _caching else None
    loaded, data = load_with_digest(location)
    summary = summarize(loaded.note) if _plan.vault_rules else None
    records = [finding_to_record(f) for f in lint_note(loaded, _plan, path="")]  # no path
    digest = content_hash(data) if _caching and data is not None else None
    if summary is None:
        return Linted(digest, records, None, stamp, None)
    listed = None
    if _listing_plan is not None:
        listed = [finding_to_record(f) for f in lint_listed(
            _listing_plan, _listings, location, summary, loaded.source.text)]
    return Linted(digest, records, summary_to_record(summary, _parts_only), stamp, listed)


@dataclass
class _Caches:
    """The run's cache of each vault root, opened when first used."""

    key: str  # the plan's fingerprint
    rules: RuleNames
    opened: dict[Path, LintCache] = field(default_factory=dict)

    def of(self, root: Path) -> LintCache:
        cache = self.opened.get(root)
        if cache is None:
            cache = self.opened[root] = LintCache(root, self.key, self.rules)
        return cache


def plan_fingerprint(plan: LintPlan, config: Config) -> str:
    """What decides a note's findings besides its bytes: the active rules with their severity
    and options, per-file ignores, and every schema file read ($ref'd ones included)."""
    rules = [(a.rule.code, int(a.severity), sorted(a.options.items()))
             for a in (*plan.rules, *plan.vault_rules)]
    files = plan.schemas.files if plan.schemas is not None else ()
    return fingerprint([rules, plan.per_file_ignores, str(plan.root), config.schemas], files)


@dataclass
class _PerNote:
    """What the run learns of each note, by its index in the run's locations."""

    shown: list[str]  # the locations' display paths
    results: list[list[Finding] | None]  # the note rules' findings
    digests: list[str | None]
    summaries: list[LinkSummary | None]  # misses' link facts
    # The listing-only vault rules' findings on the notes linted here (not cached: they change
    # with the vault's listing; the vault memo keeps them).
    listed: list[list[Finding] | None]

    @classmethod
    def of(cls, locations: Sequence[NotePath]) -> _PerNote:
        count = len(locations)
        return cls(display_paths(locations), [None] * count, [None] * count, [None] * count,
                   [None] * count)


@dataclass
class LintRun:
    plan: LintPlan
    config: Config
    jobs: int
    use_cache: bool = True

    def run(self, locations: Sequence[NotePath]) -> list[Finding]:
        key = plan_fingerprint(self.plan, self.config) if self.use_cache else ""
        caches = _Caches(key, rule_names(self.plan))
        notes = _PerNote.of(locations)
        misses = self._look_up(caches, locations, notes)
        # Workers run the listing-only vault rules when there are enough notes to make the
        # index of the vault's files (a walk of the vault, 25 ms on the benchmark vault) pay;
        # else the vault stage runs them, as it does on notes from the cache.
        listings = listing_indexes(self.plan, locations) \
            if len(misses) >= MIN_PARALLEL_ITEMS else {}
        self._lint_misses(caches, locations, misses, listings, notes)
        found = [finding for found in notes.results if found is not None for finding in found]
        if self.plan.vault_rules:
            stage = _VaultStage(self.plan, caches, key if self.use_cache else None, locations,
                                notes.shown, notes.summaries, notes.digests, notes.listed,
                                listings)
            found.extend(stage.run())
        for cache in caches.opened.values():
            cache.save()
        return found

    def _look_up(self, caches: _Caches, locations: Sequence[NotePath], notes: _PerNote
                 ) -> list[int]:
        """Take the cache's findings for the notes it has; the indexes of the others (every
        note when the cache is not used)."""
        misses: list[int] = []
        for index, location in enumerate(locations):
            hit = caches.of(location.root).hit(
                location.rel, location.file, notes.shown[index]) if self.use_cache else None
            if hit is None:
                misses.append(index)
            else:
                notes.results[index], notes.digests[index] = hit
        return misses

    def _lint_misses(self, caches: _Caches, locations: Sequence[NotePath], misses: list[int],
                     listings: Listings, notes: _PerNote) -> None:
        """Lint the notes at `misses` in the workers: their findings, digests and link facts
        into `notes`, and into the cache."""
        rules, shown = caches.rules, notes.shown
        parts = parts_suffice(self.plan)  # the vault stage needs no more of such notes' links
        done = ordered_map(lint_one, [locations[i] for i in misses], self.jobs,
                           _start_worker, (self.plan, self.use_cache, listings))
        for index, linted in zip(misses, track(done, len(misses), "lint"), strict=True):
            location = locations[index]
            notes.results[index] = [finding_from_record(shown[index], record, rules)
                                    for record in linted.records]
            notes.digests[index] = linted.digest
            if linted.summary is not None:
                notes.summaries[index] = summary_from_record(
                    location.rel, linted.summary, linted.listed is not None and parts)
            if linted.listed is not None:
                notes.listed[index] = [finding_from_record(shown[index], record, rules)
                                       for record in linted.listed]
            if self.use_cache and linted.digest is not None:
                caches.of(location.root).put(location.rel, linted.digest, linted.records,
                                             linted.summary, linted.stamp)


@dataclass
class _VaultStage:
    """The vault rules' findings: kept ones from the memo, the rest computed from link facts
    (the workers', or the cache's: decoded only for the notes that need them)."""

    plan: LintPlan
    caches: _Caches
    key: str | None  # the plan's fingerprint; None when the cache is not used
    locations: Sequence[NotePath]
    shown: Sequence[str]  # the locations' display paths
    summaries: list[LinkSummary | None]
    digests: Sequence[str | None]
    listed: Sequence[list[Finding] | None]  # the workers' listing-only findings, by note
    listings: Listings  # the vaults' files, when the workers needed them (else walked here)

    def run(self) -> list[Finding]:
        plan = self.plan
        places = vaultmemo.places_of(self.locations)
        scope = None
        if self.key is not None and all(digest is not None for digest in self.digests):
            scope = vaultmemo.scope_key(self.key, places)
        if self.key is None or scope is None:  # nothing kept, nothing to keep
            return lint_links(plan, self.locations, [self._summary(i) for i in
                                                     range(len(self.locations))],
                              listed=self.listed, listings=self.listings)[0]
        memo_path = self.caches.of(self.locations[0].root).folder / f"vault-{self.key[:16]}.json"
        memo = vaultmemo.load(memo_path, scope)
        current = {place: str(digest) for place, digest in zip(places, self.digests, strict=True)}
        local = all(a.rule.links_only for a in plan.vault_rules)
        keep = vaultmemo.reusable(memo, current, local)
        found: list[Finding] = []
        redo: list[int] = []
        for index, place in enumerate(places):
            if place not in keep:
                redo.append(index)
            elif memo[place][2]:  # most notes have no vault finding: nothing to decode
                kept = vaultmemo.findings_of(memo[place], self.shown[index],
                                             self.caches.rules)
                if kept is None:
                    redo.append(index)
                else:
                    found.extend(kept)
        if redo:
            found.extend(self._recompute(memo_path, scope, memo, places, redo))
        found.sort(key=lambda finding: finding.order)
        return found

    def _recompute(self, memo_path: Path, scope: str, memo: dict[vaultmemo.Place, Any],
                   places: Sequence[vaultmemo.Place], redo: Sequence[int]) -> list[Finding]:
        by_place = {place: index for index, place in enumerate(places)}
        found, depends = lint_links(self.plan, [self.locations[i] for i in redo],
                                    [self._summary(i) for i in redo],
                                    load=lambda vault, path: self._facts(by_place, vault, path),
                                    dependencies=True, listed=[self.listed[i] for i in redo],
                                    listings=self.listings)
        if any(finding.code == INTERNAL_ERROR for finding in found):
            return found  # a crashed rule's partial answer is not kept
        records: dict[str, list[Any]] = {}
        for finding in found:
            records.setdefault(finding.path, []).append(finding_to_record(finding))
        for index in redo:
            place = places[index]
            memo[place] = [self.digests[index], list(depends.get(place, ())),
                           records.get(self.shown[index], [])]
        vaultmemo.save(memo_path, scope, ((place, memo[place]) for place in places))
        return found

    def _facts(self, by_place: dict[vaultmemo.Place, int], vault: Path, path: str) -> NoteFacts:
        """Facts of a note the recomputed ones link into: from this run, else read now."""
        index = by_place.get((str(vault), path))
        summary = self._summary(index) if index is not None else None
        return summary[0].at(path) if summary is not None else read_facts(vault, path)

    def _summary(self, index: int) -> LinkSummary | None:
        """A note's link facts: the worker's, or the cache's record; a missing or damaged
        record means linting the note again here."""
        summary = self.summaries[index]
        if summary is not None:
            return summary
        location, digest = self.locations[index], self.digests[index]
        if digest is not None and self.key is not None:
            record = self.caches.of(location.root).extra(location.rel, digest)
            if record is not None:
                summary = summary_from_record(location.rel, record)
        if summary is None:
            summary = summary_from_record(location.rel, lint_one(location).summary)
        self.summaries[index] = summary
        return summary
