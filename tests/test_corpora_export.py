"""Every note of every real vault in ../shared/corpora goes through `vault-tools export`: no
crash, every record valid against note.schema.json, and the counts that README.txt states."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import CORPORA, ROOT, corpus_names
from jsonschema import Draft202012Validator

# README.txt's table: | corpus | notes | bytes of notes | with frontmatter | not valid YAML |
NOTES_COLUMN, INVALID_YAML_COLUMN = 1, 4


@cache
def readme_counts() -> dict[str, tuple[int, int]]:
    """corpus -> (notes, notes whose frontmatter is not valid YAML), as README.txt states."""
    counts: dict[str, tuple[int, int]] = {}
    for line in (CORPORA / "README.txt").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[NOTES_COLUMN].isdigit():
            counts[cells[0]] = (int(cells[NOTES_COLUMN]), int(cells[INVALID_YAML_COLUMN]))
    return counts


@cache
def note_validator() -> Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / "note.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def test_readme_lists_every_corpus(corpora_dir: Path) -> None:
    assert sorted(readme_counts()) == corpus_names()
    assert readme_counts()["kepano-obsidian"] == (103, 28)


@pytest.mark.parametrize("corpus", corpus_names())
def test_corpus_exports(corpus: str, corpora_dir: Path, run_cli: Callable[..., Result],
                        tmp_path: Path) -> None:
    target = tmp_path / f"{corpus}.jsonl"
    result = run_cli("export", str(corpora_dir / corpus), "--format", "jsonl", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    records: list[dict[str, Any]] = [
        json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    validator = note_validator()
    invalid = {r["path"]: e.message for r in records for e in validator.iter_errors(r)}
    assert invalid == {}
    crashed = [r["path"] for r in records if any(e["code"] == "VT000" for e in r["errors"])]
    assert crashed == []  # the parser crashed on these (reported, not raised, since 4da3bed)
    with_fm001 = [r["path"] for r in records if any(e["code"] == "FM001" for e in r["errors"])]
    assert (len(records), len(with_fm001)) == readme_counts()[corpus]
    # Each problem is also reported on stderr, one line each, naming the note and the line.
    expected = [(f"{r['path']}:{e['line']}:", e["code"]) for r in records for e in r["errors"]]
    reported = result.stderr.splitlines()
    assert len(reported) == len(expected)
    for line, (prefix, code) in zip(reported, expected, strict=True):
        assert line.startswith(prefix) and f" {code} " in line, line
