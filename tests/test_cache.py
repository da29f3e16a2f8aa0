"""The lint cache and parallel runs: same findings as a fresh single-process run, always."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from vault_tools import cache as cache_module
from vault_tools.cache import CACHE_DIR
from vault_tools.discover import NotePath

Cli = Callable[..., Result]
EXPECTED = {"WS001", "HD001", "HD004"}
MakeVault = Callable[[dict[str, str]], Path]

NOTES = {
    "a.md": "# A\n\ntext \n",  # WS001
    "b.md": "# B\n### skip\n",  # HD001, HD004
    "c.md": "# C\n\nclean\n",
}


def lint_json(run_cli: Cli, vault: Path, *extra: str) -> list[dict[str, object]]:
    result = run_cli("lint", str(vault), "--output-format", "json", "--exit-zero", *extra)
    assert result.exit_code == 0, result.output
    records: list[dict[str, object]] = json.loads(result.stdout)
    return records


def shard_files(vault: Path) -> list[Path]:
    return sorted(p for p in (vault / CACHE_DIR).rglob("*.json")
                  if not p.name.startswith("vault-"))


def memo_files(vault: Path) -> list[Path]:
    return sorted((vault / CACHE_DIR).rglob("vault-*.json"))


def test_warm_run_gives_the_cold_findings(run_cli: Cli, make_vault: MakeVault) -> None:
    vault = make_vault(NOTES)
    cold = lint_json(run_cli, vault)
    assert shard_files(vault)
    assert (vault / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"
    assert lint_json(run_cli, vault) == cold
    assert lint_json(run_cli, vault, "--no-cache") == cold
    assert {r["code"] for r in cold} == EXPECTED


# A warm run parses nothing, loads no YAML, checks no schema and starts no pool: none of these
# may be imported (each cost the warm run of the benchmark vault milliseconds while they were;
# jsonschema with referencing about 40 ms).
PARSING_MODULES = {"yaml", "frontmatter", "markdown_it", "mdit_py_plugins", "multiprocessing",
                   "tomllib", "xml", "jsonschema", "referencing"}
IMPORTED = """
import runpy, sys
sys.argv = ["vault-tools", "lint", sys.argv[1], "--exit-zero"]
try:
    runpy.run_module("vault_tools", run_name="__main__")
except SystemExit:
    pass
print(",".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_a_warm_run_imports_no_parser(run_cli: Cli, make_vault: MakeVault) -> None:
    vault = make_vault({**NOTES, "d.md": "---\ntags: [a, b]\n---\n# D\n"})
    lint_json(run_cli, vault)  # cold: fills the cache
    run = subprocess.run([sys.executable, "-c", IMPORTED, str(vault)], capture_output=True,
                         text=True, check=True)
    imported = set(run.stdout.splitlines()[-1].split(","))
    assert "vault_tools" in imported and "click" in imported  # it did run
    assert not imported & PARSING_MODULES


def test_no_cache_writes_nothing(run_cli: Cli, make_vault: MakeVault) -> None:
    vault = make_vault(NOTES)
    lint_json(run_cli, vault, "--no-cache")
    assert not (vault / CACHE_DIR).exists()


def test_content_change_invalidates(run_cli: Cli, make_vault: MakeVault) -> None:
    vault = make_vault(NOTES)
    lint_json(run_cli, vault)
    (vault / "c.md").write_text("# C\n#### deep\n")
    codes = {(r["path"], r["code"]) for r in lint_json(run_cli, vault)}
    assert any(path.endswith("c.md") and code == "HD001" for path, code in codes)


def test_config_change_invalidates(run_cli: Cli, make_vault: MakeVault) -> None:
    vault = make_vault(NOTES)
    assert any(r["code"] == "WS001" for r in lint_json(run_cli, vault))
    (vault / ".vault-tools.toml").write_text('ignore = ["WS001"]\n')
    assert not any(r["code"] == "WS001" for r in lint_json(run_cli, vault))
    (vault / ".vault-tools.toml").write_text('[rules.WS001]\nseverity = "error"\n')
    severities = {r["severity"] for r in lint_json(run_cli, vault) if r["code"] == "WS001"}
    assert severities == {"error"}


def test_schema_change_invalidates_the_fingerprint(tmp_path: Path) -> None:
    schema = tmp_path / "s.json"
    schema.write_text("{}")
    before = cache_module.fingerprint(["same"], [schema])
    schema.write_text('{"type": "object"}')
    assert cache_module.fingerprint(["same"], [schema]) != before


def test_version_change_invalidates(run_cli: Cli, make_vault: MakeVault,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    vault = make_vault(NOTES)
    lint_json(run_cli, vault)
    before = cache_module.fingerprint([])
    monkeypatch.setattr(cache_module, "__version__", "999.0")
    assert cache_module.fingerprint([]) != before
    # A new version reads and writes its own folder: nothing of the old one is trusted.
    cold = lint_json(run_cli, vault)
    assert (vault / CACHE_DIR / "999.0").is_dir()
    assert {r["code"] for r in cold} == EXPECTED


@pytest.mark.parametrize("damage", [b"", b"{", b"\x00\xff garbage", b"[]",
                                    b'{"format": "other", "entries": {}}',
                                    b'{"format": "vault-tools-cache/1", "fingerprint": "x"}'])
def test_damaged_or_foreign_shards_are_ignored(run_cli: Cli, make_vault: MakeVault,
                                               damage: bytes) -> None:
    vault = make_vault(NOTES)
    cold = lint_json(run_cli, vault)
    for shard in shard_files(vault):
        shard.write_bytes(damage)
    assert lint_json(run_cli, vault) == cold
    # ... and rewritten, so the next run is warm again.
    assert all(json.loads(shard.read_bytes())["format"] == cache_module.FORMAT
               for shard in shard_files(vault))


def test_entries_of_the_wrong_shape_are_misses(run_cli: Cli, make_vault: MakeVault) -> None:
    vault = make_vault(NOTES)
    cold = lint_json(run_cli, vault)
    for shard in shard_files(vault):
        document = json.loads(shard.read_bytes())
        for rel in document["entries"]:
            document["entries"][rel] = [document["entries"][rel][0], [["bad"]]]
        shard.write_text(json.dumps(document))
    assert lint_json(run_cli, vault) == cold


@pytest.mark.parametrize("field", range(8))
def test_records_with_a_field_of_the_wrong_type_are_misses(run_cli: Cli, make_vault: MakeVault,
                                                           field: int) -> None:
    # A record that still has eight fields but one of the wrong type (a cache file edited by
    # hand or by another tool) must be recomputed, not reported: `"x" - 1` in the text
    # report's caret would be a traceback.
    vault = make_vault(NOTES)
    cold = lint_json(run_cli, vault)
    changed = 0
    for shard in shard_files(vault):
        if shard.name.endswith(".facts.json"):
            continue  # link facts, not finding records
        document = json.loads(shard.read_bytes())
        for entry in document["entries"].values():
            for record in entry[1]:
                record[field] = {"wrong": "type"}
                changed += 1
        shard.write_text(json.dumps(document))
    assert changed
    assert lint_json(run_cli, vault) == cold


def test_read_only_vault_runs_uncached(run_cli: Cli, make_vault: MakeVault,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    vault = make_vault(NOTES)

    def refuse(*args: object, **kwargs: object) -> bool:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(cache_module, "write_bytes", refuse)
    assert {r["code"] for r in lint_json(run_cli, vault)} == EXPECTED


def test_parallel_and_single_process_give_the_same_bytes(run_cli: Cli,
                                                         make_vault: MakeVault) -> None:
    # Enough notes for the process pool to start (parallel.MIN_PARALLEL_ITEMS).
    vault = make_vault({f"n{i:03d}.md": f"# N{i}\n### skip {i}\ntext {i} \n" for i in range(260)})
    single = run_cli("lint", str(vault), "--no-cache", "-j", "1", "--output-format", "json")
    parallel = run_cli("lint", str(vault), "--no-cache", "-j", "2", "--output-format", "json")
    assert single.exit_code == parallel.exit_code == 1
    assert single.stdout == parallel.stdout
    exported = [run_cli("export", str(vault), "--format", fmt, "-j", jobs).stdout
                for fmt in ("json", "csv") for jobs in ("1", "2")]
    assert exported[0] == exported[1] and exported[2] == exported[3]


def test_schema_file_change_invalidates_a_warm_run(run_cli: Cli, make_vault: MakeVault) -> None:
    vault = make_vault({"n.md": "---\ntags: [Work]\n---\n# Yes\n## Role\n- does things\n"})
    (vault / ".vault-tools.toml").write_text(
        '[[schemas]]\ntag = "Work"\nstructure = "s.json"\n')
    (vault / "s.json").write_text('{"$ref": "part.json"}')
    (vault / "part.json").write_text('{"type": "object"}')
    assert not any(r["code"].startswith("SC") for r in lint_json(run_cli, vault))
    # Only the $ref'd file changes: the cache must not serve the old (clean) result.
    (vault / "part.json").write_text(
        '{"type": "object", "required": ["nothing-like-this"]}')
    assert any(r["code"] == "SC002" for r in lint_json(run_cli, vault))


LINKED = {"a.md": "# A\n\nSee [[b]] and [[c#Part]].\n", "b.md": "# B\n",
          "c.md": "# C\n## Part\n\nx\n"}


def link_codes(run_cli: Cli, vault: Path) -> list[tuple[str, int, str]]:
    return sorted((str(r["path"]).rsplit("/", 1)[-1], int(str(r["line"])), str(r["code"]))
                  for r in lint_json(run_cli, vault) if str(r["code"]).startswith("LK"))


def test_vault_stage_is_reused_only_while_nothing_changed(run_cli: Cli,
                                                          make_vault: MakeVault) -> None:
    vault = make_vault(LINKED)
    assert link_codes(run_cli, vault) == []
    assert memo_files(vault)
    assert link_codes(run_cli, vault) == []  # from the memo
    (vault / "b.md").unlink()  # a note that another note links to disappears
    assert link_codes(run_cli, vault) == [("a.md", 3, "LK001")]
    (vault / "c.md").write_text("# C\n## Other\n\nx\n")  # the heading goes away
    assert link_codes(run_cli, vault) == [("a.md", 3, "LK001"), ("a.md", 3, "LK002")]
    (vault / "b.png").write_bytes(b"png")  # a file appears: the listing is part of the key
    (vault / "a.md").write_text("# A\n\nSee ![[b.png]] and [[c#Other]].\n")
    assert link_codes(run_cli, vault) == []


@pytest.mark.parametrize("damage", [b"", b"{", b"[]", b'{"format": "x"}'])
def test_damaged_vault_memo_is_ignored(run_cli: Cli, make_vault: MakeVault,
                                       damage: bytes) -> None:
    vault = make_vault({**LINKED, "a.md": "# A\n\nSee [[missing]].\n"})
    cold = link_codes(run_cli, vault)
    for memo in memo_files(vault):
        memo.write_bytes(damage)
    assert link_codes(run_cli, vault) == cold == [("a.md", 3, "LK001")]


# -- the vault stage, note by note -------------------------------------------------------------

WEB = {
    "a.md": "# A\n\n[[b#One]] [[c]] [[c#^blk]]\n",
    "b.md": "# B\n## One\n\n[[a#A]]\n",
    "c.md": "# C\n\ntext ^blk\n",
    "d.md": "# D\n\n[[nowhere]]\n",
    "e.md": "# E\n",
}
EDITS = [  # (note, new text or None to delete)
    ("b.md", "# B\n## Two\n\n[[a#A]]\n"),  # a.md's [[b#One]] breaks: a depends on b
    ("c.md", "# C\n\ntext\n"),  # the block id goes: a depends on c
    ("e.md", "# E\n\n[[d]]\n"),  # d stops being an orphan (LK005)
    ("d.md", None),  # e's link breaks: a deleted note is a listing change
    ("f.md", "# F\n\n[[e#E]] [[b#Two]]\n"),  # a new note
    ("b.md", "# B\n## One\n"),  # f's [[b#Two]] breaks, a's [[b#One]] mends
    ("a.md", "# A renamed\n"),  # a's own links go
]


def lk_records(run_cli: Cli, vault: Path, *extra: str) -> list[dict[str, object]]:
    return [r for r in lint_json(run_cli, vault, *extra) if str(r["code"]).startswith("LK")]


# Enough notes for the workers to run the listing-only rules (lintrun: MIN_PARALLEL_ITEMS).
FILLER = {f"filler/f{i:03d}.md": f"# F{i}\n\n[[a]] [[f{i + 1:03d}]]\n" for i in range(200)}


@pytest.mark.parametrize(("select", "filler"), [((), {}), (("--extend-select", "LK005"), {}),
                                                ((), FILLER)],
                         ids=["default", "LK005", "workers"])
def test_kept_vault_findings_match_a_fresh_run_after_every_edit(
        run_cli: Cli, make_vault: MakeVault, select: tuple[str, ...],
        filler: dict[str, str]) -> None:
    vault = make_vault({**WEB, **filler})
    lint_json(run_cli, vault, *select)
    for note, text in EDITS:
        if text is None:
            (vault / note).unlink()
        else:
            (vault / note).write_text(text, encoding="utf-8")
        kept = lk_records(run_cli, vault, *select)
        assert kept == lk_records(run_cli, vault, *select, "--no-cache"), (note, text)
    assert kept, "the edits leave some broken links behind"


def test_one_changed_note_recomputes_only_what_depends_on_it(
        run_cli: Cli, make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch) -> None:
    from vault_tools import lintrun

    vault = make_vault(WEB)
    lint_json(run_cli, vault)
    computed: list[list[str]] = []
    real = lintrun.lint_links

    def recording(plan: object, locations: Sequence[NotePath], *args: object, **kw: object
                  ) -> object:
        computed.append(sorted(location.rel for location in locations))
        return real(plan, locations, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(lintrun, "lint_links", recording)
    lint_json(run_cli, vault)
    assert computed == []  # nothing changed: every note's vault findings are kept
    (vault / "b.md").write_text("# B\n## Two\n\n[[a#A]]\n", encoding="utf-8")
    codes = {(Path(str(r["path"])).name, r["code"]) for r in lint_json(run_cli, vault)}
    assert computed == [["a.md", "b.md"]]  # b itself, and a, which links to b's headings
    assert ("a.md", "LK002") in codes
    computed.clear()
    (vault / "e.md").write_text("# E changed\n", encoding="utf-8")  # nobody links into e
    lint_json(run_cli, vault)
    assert computed == [["e.md"]]


# -- listing-only rules, run by the workers -----------------------------------------------------

LISTING = {
    "a.md": "# A\n\n[[gone]] [[twin]] [[b#Nope]] [[b#^nope]] ![[pic.png]]\n",
    "b.md": "# B\n\n[[a]] [[x/twin]]\n",
    "x/twin.md": "# Twin\n",
    "y/twin.md": "# Twin\n",
}


def vault_stage_inputs(vault: Path) -> tuple[Any, list[NotePath], list[Any]]:
    from vault_tools.config import load_config
    from vault_tools.discover import iter_note_paths
    from vault_tools.lintplan import build_plan
    from vault_tools.notes import load
    from vault_tools.vaultstage import summarize

    plan = build_plan(load_config(vault))
    locations = list(iter_note_paths([vault]))
    return plan, locations, [summarize(load(location).note) for location in locations]


def test_listing_rules_give_the_same_findings_in_a_worker_as_in_the_vault_stage(
        make_vault: MakeVault) -> None:
    from dataclasses import replace

    from vault_tools.vaultstage import (
        lint_links,
        lint_listed,
        listing_indexes,
        parts_suffice,
        summary_from_record,
        summary_to_record,
    )

    plan, locations, summaries = vault_stage_inputs(make_vault(LISTING))
    listings = listing_indexes(plan, locations)
    listing_plan = replace(plan, vault_rules=tuple(
        active for active in plan.vault_rules if active.rule.listing_only))
    listed = [lint_listed(listing_plan, listings, location, summary,
                          Path(location.file).read_text(encoding="utf-8"))
              for location, summary in zip(locations, summaries, strict=True)]
    in_stage, _ = lint_links(plan, locations, summaries)
    assert {f.code for f in in_stage} == {"LK001", "LK002", "LK003", "LK004"}
    assert lint_links(plan, locations, summaries, listed=listed)[0] == in_stage
    # What workers send when nothing is cached: only the links naming a heading or block.
    assert parts_suffice(plan)
    slim = [summary_from_record(location.rel, summary_to_record(summary, parts_only=True))
            for location, summary in zip(locations, summaries, strict=True)]
    assert [len(summary[0].links) for summary in slim if summary] == [2, 0, 0, 0]
    assert lint_links(plan, locations, slim, listed=listed)[0] == in_stage
    # Given findings are taken as they are: the stage does not run those rules again.
    without = lint_links(plan, locations, summaries, listed=[[] for _ in locations])[0]
    assert {f.code for f in without} == {"LK002", "LK003"}


def test_a_run_with_workers_walks_the_vault_once(run_cli: Cli, make_vault: MakeVault,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # The workers' index and the vault stage's share one listing (vaultstage.listing_indexes).
    from vault_tools import vaultfiles, vaultstage

    vault = make_vault({**WEB, **FILLER})
    walked: list[Path] = []
    real = vaultfiles.iter_vault_files

    def counting(root: Path) -> list[str]:
        walked.append(root)
        return real(root)

    monkeypatch.setattr(vaultfiles, "iter_vault_files", counting)
    monkeypatch.setattr(vaultstage, "iter_vault_files", counting)
    codes = {str(r["code"]) for r in lint_json(run_cli, vault, "--no-cache", "-j", "1")}
    assert "LK001" in codes  # the listing rules ran (in the worker route)
    assert walked == [vault]


def test_a_note_passed_by_name_outside_the_listing_is_a_link_target(run_cli: Cli,
                                                                     make_vault: MakeVault
                                                                     ) -> None:
    # The stage's index holds every note of the run; so must the workers' (listing_indexes).
    vault = make_vault({".hidden/n.md": "# N\n", "a.md": "# A\n\n[[n]] [[gone]]\n"})
    result = run_cli("lint", str(vault / ".hidden" / "n.md"), str(vault / "a.md"), "--no-cache",
                     "--output-format", "json", "--exit-zero")
    found = [(Path(str(r["path"])).name, r["code"], r["message"])
             for r in json.loads(result.stdout) if str(r["code"]).startswith("LK")]
    assert found == [("a.md", "LK001", "unresolved link: no note or file 'gone'")]


# -- file stamps: unchanged notes are not read again -------------------------------------------


def count_hashing(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every note read and hashed, by the cache lookup or by a worker, from now on."""
    from vault_tools import lintrun

    calls: list[int] = []
    real = cache_module.content_hash

    def counting(data: bytes) -> str:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(cache_module, "content_hash", counting)
    monkeypatch.setattr(lintrun, "content_hash", counting)
    return calls


def test_a_note_whose_stamp_is_unchanged_is_not_read_again(
        run_cli: Cli, make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "STAMP_MARGIN_NS", 0)  # the notes were written just now
    vault = make_vault(NOTES)
    cold = lint_json(run_cli, vault)
    hashed = count_hashing(monkeypatch)
    assert lint_json(run_cli, vault) == cold
    assert hashed == []


def test_a_change_that_keeps_size_and_modification_time_is_still_seen(
        run_cli: Cli, make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "STAMP_MARGIN_NS", 0)
    vault = make_vault(NOTES)
    lint_json(run_cli, vault)
    note = vault / "c.md"
    before = note.stat()
    time.sleep(0.05)  # past the file system's clock tick
    note.write_text("# C\n#### d\n")  # same length as "# C\n\nclean\n", a heading skip
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))  # as rsync -t or touch -r would
    assert note.stat().st_size == before.st_size
    codes = {(Path(str(r["path"])).name, r["code"]) for r in lint_json(run_cli, vault)}
    assert ("c.md", "HD001") in codes  # the kernel moved ctime: the note was read again


def test_a_note_changed_moments_ago_is_read_whatever_its_stamp(
        run_cli: Cli, make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = make_vault(NOTES)  # just written: inside the default margin
    lint_json(run_cli, vault)
    hashed = count_hashing(monkeypatch)
    lint_json(run_cli, vault)
    assert len(hashed) == len(NOTES)
