"""Linting many notes: cache lookups, then the misses in parallel, in discovery order.

Results are identical whatever `jobs` is and whether the cache was used: a cached entry holds
exactly the findings a fresh run produced for the same bytes under the same settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vault_tools.cache import LintCache, content_hash, fingerprint
from vault_tools.config import Config
from vault_tools.discover import NotePath
from vault_tools.engine import LintPlan, display_path, lint_note
from vault_tools.findings import Finding
from vault_tools.notes import load_with_digest
from vault_tools.parallel import ordered_map
from vault_tools.progress import track

_plan: LintPlan | None = None


def _start_worker(plan: LintPlan) -> None:
    global _plan
    _plan = plan


def lint_one(location: NotePath) -> tuple[str | None, list[Finding]]:
    """(content hash or None when unreadable, findings) of one note, in a worker."""
    assert _plan is not None, "ordered_map runs _start_worker first"
    loaded, data = load_with_digest(location)
    return (content_hash(data) if data is not None else None), lint_note(loaded, _plan)


def plan_fingerprint(plan: LintPlan, config: Config) -> str:
    rules = [(a.rule.code, int(a.severity), sorted(a.options.items())) for a in plan.rules]
    schema_files: list[Path] = []
    for mapping in config.schemas:
        schema_files.extend(p for p in (mapping.frontmatter, mapping.structure) if p)
    # Schemas may $ref their neighbours: hash every schema file in the folders they live in.
    neighbours = [p for folder in {f.parent for f in schema_files} if folder.is_dir()
                  for p in folder.glob("*.json")]
    return fingerprint([rules, plan.per_file_ignores, str(plan.root), config.schemas],
                       [*schema_files, *neighbours])


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
        misses: list[int] = []
        for index, location in enumerate(locations):
            hit = self._cached(caches, key, location) if self.use_cache else None
            if hit is None:
                misses.append(index)
            results[index] = hit
        done = ordered_map(lint_one, [locations[i] for i in misses], self.jobs,
                           _start_worker, (self.plan,))
        for index, (digest, findings) in zip(misses, track(done, len(misses), "lint"),
                                             strict=True):
            results[index] = findings
            if self.use_cache and digest is not None:
                location = locations[index]
                self._cache(caches, key, location.root).put(location.rel, digest, findings)
        for cache in caches.values():
            cache.save()
        return [finding for found in results if found is not None for finding in found]

    def _cache(self, caches: dict[Path, LintCache], key: str, root: Path) -> LintCache:
        cache = caches.get(root)
        if cache is None:
            cache = caches[root] = LintCache(root, key)
        return cache

    def _cached(self, caches: dict[Path, LintCache], key: str, location: NotePath
                ) -> list[Finding] | None:
        cache = self._cache(caches, key, location.root)
        if not cache.knows(location.rel):
            return None  # no entry: skip hashing here, the worker reads the note anyway
        try:
            with open(location.file, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        return cache.get(location.rel, content_hash(data), display_path(location))
