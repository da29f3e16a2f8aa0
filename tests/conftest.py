"""Shared fixtures. Tests that read ../shared skip with a reason when it is absent (a user's
fresh clone); CI has it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from vault_tools.cli import cli

# The same examples on every run (derandomized), so a CI verdict on a commit is the commit's
# and not the luck of the draw. VAULT_TOOLS_HYPOTHESIS_PROFILE=explore draws new ones each run:
# with the long-run knobs (VAULT_TOOLS_HYPOTHESIS_SCALE, VAULT_TOOLS_FUZZ_EXAMPLES) that is where
# new discrepancies are hunted.
settings.register_profile("fixed", derandomize=True, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("VAULT_TOOLS_HYPOTHESIS_PROFILE", "fixed"))

# Adds --update-golden (deliberate regeneration of tests/golden/; see golden_util's docstring).
pytest_plugins = ("golden_util",)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_VAULT = ROOT / "sample_vault"
SHARED = Path(os.environ.get("VAULT_TOOLS_SHARED", ROOT.parent / "shared"))
CORPORA = SHARED / "corpora"
SEED = SHARED / "seed" / "000_fb0128f9fc17b07a.txt"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared is only beside CI's checkout)")
    return path


@pytest.fixture(scope="session")
def bench_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark vault (6,571 notes, 16 MB), generated once for the session's tests that
    compare two routes on it; they only read it."""
    tool = need_shared(SHARED / "tools" / "make-bench-vault.py")
    vault = tmp_path_factory.mktemp("bench") / "bench"
    subprocess.run([sys.executable, str(tool), str(vault)], check=True, capture_output=True)
    return vault


@pytest.fixture
def corpora_dir() -> Path:
    return need_shared(CORPORA)


def corpus_names() -> list[str]:
    if not CORPORA.is_dir():
        return ["<absent>"]
    return sorted(p.name for p in CORPORA.iterdir() if p.is_dir())


@pytest.fixture
def seed_note(tmp_path: Path) -> Path:
    """The seed note copied to a `.md` file in its own vault folder."""
    source = need_shared(SEED)
    target = tmp_path / "vault" / "Roles.md"
    target.parent.mkdir()
    shutil.copyfile(source, target)
    return target


@pytest.fixture
def sample_vault() -> Path:
    return SAMPLE_VAULT


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    """Invoke the CLI in-process from the repository root, as a user would from a shell."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    yield invoke


@pytest.fixture
def make_vault(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write {relative path: text} into a fresh vault folder (with .obsidian/) and return it."""

    def build(files: dict[str, str]) -> Path:
        root = tmp_path / "vault"
        (root / ".obsidian").mkdir(parents=True, exist_ok=True)
        for rel, text in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        return root

    return build
