"""A note whose file name is not UTF-8 goes through every output format and the cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vault_tools.cli import OUTPUT_FORMATS


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
def test_name_that_is_not_utf8_in_every_format(fmt: str, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / os.fsdecode(b"caf\xe9.md")).write_bytes(b"# Caf\xc3\xa9\n### Deep\n")
    for _ in range(2):  # cold, then from the cache
        run = subprocess.run([sys.executable, "-m", "vault_tools", "lint", ".", "-j", "1",
                              "--output-format", fmt], cwd=vault, capture_output=True,
                             timeout=60, check=False)
        assert run.returncode == 1, run.stderr
        assert b"Traceback" not in run.stderr and b"internal error" not in run.stderr
        # The name goes out as the bytes it was (quoted in SARIF's URI); XML cannot hold them,
        # so JUnit shows U+FFFD in their place and stays valid UTF-8.
        shown = {"sarif": b"caf%E9.md", "junit": "caf\ufffd.md".encode()}.get(fmt, b"caf\xe9.md")
        assert shown in run.stdout
