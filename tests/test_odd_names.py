"""A note whose file name is not UTF-8 goes through every output format and the cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vault_tools.cli import OUTPUT_FORMATS

JSON_FORMATS = ("json", "sarif", "gitlab")


def not_utf8_vault(tmp_path: Path) -> Path:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / os.fsdecode(b"caf\xe9.md")).write_bytes(b"# Caf\xc3\xa9\n### Deep\n")
    return vault


def lint(vault: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    run = subprocess.run([sys.executable, "-m", "vault_tools", "lint", ".", "-j", "1", *args],
                         cwd=vault, capture_output=True, timeout=60, check=False)
    assert b"Traceback" not in run.stderr and b"internal error" not in run.stderr, run.stderr
    return run


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
def test_name_that_is_not_utf8_in_every_format(fmt: str, tmp_path: Path) -> None:
    vault = not_utf8_vault(tmp_path)
    for _ in range(2):  # cold, then from the cache
        run = lint(vault, "--output-format", fmt)
        assert run.returncode == 1, run.stderr
        # Every format stays valid UTF-8 (JSON readers reject anything else): the odd byte is
        # shown as `\xe9`, as export names the note, except in SARIF's URI, which quotes it.
        out = run.stdout.decode("utf-8")
        if fmt in JSON_FORMATS:
            json.loads(out)
        shown = {"sarif": "caf%E9.md", "json": r"caf\\xe9.md", "gitlab": r"caf\\xe9.md"}
        assert shown.get(fmt, r"caf\xe9.md") in out


def test_name_that_is_not_utf8_in_an_output_file_and_a_baseline(tmp_path: Path) -> None:
    vault = not_utf8_vault(tmp_path)
    assert lint(vault, "--output-format", "json", "-o", "out.json").returncode == 1
    assert json.loads((vault / "out.json").read_bytes())[0]["path"] == r"caf\xe9.md"
    assert lint(vault, "--write-baseline", "base.json").returncode == 0
    assert json.loads((vault / "base.json").read_bytes())["findings"][0]["path"] == r"caf\xe9.md"
    assert lint(vault, "--baseline", "base.json").returncode == 0  # the finding matched


def test_error_messages_name_it_as_the_reports_do(tmp_path: Path) -> None:
    """stderr shows the odd byte as `\\xe9` too, not as Python's default `\\udce9`: a user
    copies the name from the report and from the error alike."""
    vault = not_utf8_vault(tmp_path)
    missing = os.fsdecode(b"gone\xe9.md")
    run = subprocess.run([sys.executable, "-m", "vault_tools", "lint", missing], cwd=vault,
                         capture_output=True, timeout=60, check=False)
    assert run.returncode == 2
    message = run.stderr.decode("utf-8")
    assert message == "vault-tools: error: gone\\xe9.md: no such file or folder\n"
    # Export's own lines on stderr (a note's problems) name it the same way.
    broken = vault / os.fsdecode(b"caf\xe9.md")
    broken.write_bytes(b"---\ntags: [a\n---\n")
    run = subprocess.run([sys.executable, "-m", "vault_tools", "export", ".", "-o", "x.jsonl"],
                         cwd=vault, capture_output=True, timeout=60, check=False)
    assert run.stderr.decode("utf-8").startswith("caf\\xe9.md:3:1: FM001"), run.stderr
