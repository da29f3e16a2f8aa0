"""Linting many notes: cache lookups, then the misses in parallel, in discovery order.

Results are identical whatever `jobs` is and whether the cache was used: a cached entry holds
exactly the findings a fresh run produced for the same bytes under the same settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vault_tools import vaultmemo
from vault_tools.cache import LintCache, content_hash, fingerprint
from vault_tools.config import Config
from vault_tools.discover import NotePath
from vault_tools.engine import LintPlan, display_path, lint_note
from vault_tools.findings import Finding
from vault_tools.notes import load_with_digest
from vault_tools.parallel import ordered_map
from vault_tools.progress import track
from vault_tools.vaultstage import (
    LinkSummary,
    lint_links,
    summarize,
    summary_from_record,
    summary_to_record,
)

_plan: LintPlan | None = None


def _start_worker(plan: LintPlan) -> None:
    global _plan
    _plan = plan


def lint_one(location: NotePath) -> tuple[str | None, list[Finding], LinkSummary | None]:
    """(content hash or None when unreadable, findings, link facts for vault rules) of one
    note, in a worker."""
    assert _plan is not None, "ordered_map runs _start_worker first"
    loaded, data = load_with_digest(location)
    summary = summarize(loaded.note) if _plan.vault_rules else None
    return (content_hash(data) if data is not None else None), lint_note(loaded, _plan), summary


def plan_fingerprint(plan: LintPlan, config: Config) -> str:
    """What decides a note's findings besides its bytes: the active rules with their severity
    and options, per-file ignores, and every schema file read ($ref'd ones included)."""
    rules = [(a.rule.code, int(a.severity), sorted(a.options.items()))
             for a in (*plan.rules, *plan.vault_rules)]
    files = plan.schemas.files if plan.schemas is not None else ()
    return fingerprint([rules, plan.per_file_ignores, str(plan.root), config.schemas], files)


@dataclass
class LintRun:
    plan: LintPlan
    config: Config
    jobs: int
    use_cache: bool = True

    def run(self, locations: Sequence[NotePath]) -> list[Finding]:
        caches: dict[Path, LintCache] = {}
        key = plan_fingerprint(self.plan, self.config) if self.use_cache else ""
        results: list[list[Finding] | None] = [None] * len(locations)
        extras: list[Any] = [None] * len(locations)  # link facts: decoded only when needed
        digests: list[str | None] = [None] * len(locations)
        misses: list[int] = []
        for index, location in enumerate(locations):
            hit = self._cached(caches, key, location) if self.use_cache else None
            if hit is None:
                misses.append(index)
            else:
                results[index], extras[index], digests[index] = hit
        done = ordered_map(lint_one, [locations[i] for i in misses], self.jobs,
                           _start_worker, (self.plan,))
        for index, (digest, findings, summary) in zip(misses, track(done, len(misses), "lint"),
                                                      strict=True):
            results[index], extras[index], digests[index] = findings, summary, digest
            if self.use_cache and digest is not None:
                location = locations[index]
                extra = summary_to_record(summary) if summary is not None else None
                self._cache(caches, key, location.root).put(location.rel, digest, findings,
                                                            extra)
        for cache in caches.values():
            cache.save()
        found = [finding for found in results if found is not None for finding in found]
        if self.plan.vault_rules:
            found.extend(self._vault_stage(caches, key, locations, extras, digests))
        return found

    def _vault_stage(self, caches: dict[Path, LintCache], key: str,
                     locations: Sequence[NotePath], extras: list[Any],
                     digests: Sequence[str | None]) -> list[Finding]:
        """The vault rules' findings: from the memo when nothing in the vault changed."""
        memo_path = None
        memo = vaultmemo.memo_key(key, locations, digests) if self.use_cache else None
        if memo is not None:
            memo_path = self._cache(caches, key, locations[0].root).folder / \
                f"vault-{key[:16]}.json"
            kept = vaultmemo.load(memo_path, memo, locations)
            if kept is not None:
                return kept
        summaries = [self._summary(location, extra)
                     for location, extra in zip(locations, extras, strict=True)]
        found = lint_links(self.plan, locations, summaries)
        if memo is not None and memo_path is not None:
            vaultmemo.save(memo_path, memo, found, locations)
        return found

    def _summary(self, location: NotePath, extra: Any) -> LinkSummary | None:
        """A note's link facts: the worker's, or the cache's record; a damaged record means
        linting the note again here."""
        if extra is None or isinstance(extra, tuple):
            return extra
        summary = summary_from_record(location.rel, extra)
        return summary if summary is not None else lint_one(location)[2]

    def _cache(self, caches: dict[Path, LintCache], key: str, root: Path) -> LintCache:
        cache = caches.get(root)
        if cache is None:
            cache = caches[root] = LintCache(root, key)
        return cache

    def _cached(self, caches: dict[Path, LintCache], key: str, location: NotePath
                ) -> tuple[list[Finding], Any, str] | None:
        """(findings, link-facts record, content hash) from the cache, or None (a miss)."""
        cache = self._cache(caches, key, location.root)
        if not cache.knows(location.rel):
            return None  # no entry: skip hashing here, the worker reads the note anyway
        try:
            with open(location.file, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        digest = content_hash(data)
        entry = cache.lookup(location.rel, digest, display_path(location))
        if entry is None:
            return None
        findings, extra = entry
        if self.plan.vault_rules and extra is None:
            return None  # cached without link facts (before vault rules were selected)
        return findings, extra, digest
