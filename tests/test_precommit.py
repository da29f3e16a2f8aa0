"""The pre-commit hook: its manifest, the vault's configuration found when pre-commit passes
single files from the repository root, and the real `pre-commit` installing this checkout from
its `.pre-commit-hooks.yaml` and failing on a bad note, passing on a good one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from vault_tools.cli import cli

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"

# A vault in a sub-folder of the repository, without `.obsidian/` (git does not keep an empty
# one): its configuration must still be found when pre-commit passes `vault/Inbox/good.md`.
CONFIG = 'ignore = ["WS001"]\n[per-file-ignores]\n"Daily/*" = ["HD001"]\n'
GOOD = "# Good\n\nTrailing spaces, ignored by the vault's configuration.   \n"
BAD = "# Bad\n\n### Deep\n\nText.\n"  # HD001 on line 3
DAILY = "# Day\n\n### Deep\n\nText.\n"  # HD001 too, but ignored for Daily/* by the configuration


def write_vault(repo: Path) -> None:
    files = {"vault/.vault-tools.toml": CONFIG, "vault/Inbox/good.md": GOOD,
             "vault/Inbox/bad.md": BAD, "vault/Daily/2024-01-01.md": DAILY}
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")


def lint_json(*args: str) -> Result:
    return CliRunner().invoke(cli, ["lint", *args, "--output-format", "json", "--jobs", "1"],
                              catch_exceptions=False)


def positions(result: Result) -> list[tuple[str, int, int, str]]:
    return [(f["path"], f["line"], f["col"], f["code"]) for f in json.loads(result.stdout)]


# -- the manifest --------------------------------------------------------------------------------


def hooks() -> dict[str, dict[str, object]]:
    return {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text("utf-8"))}


def test_lint_hook_runs_the_linter_on_markdown() -> None:
    hook = hooks()["vault-tools-lint"]
    assert (hook["entry"], hook["language"], hook["types"]) == (
        "vault-tools lint", "python", ["markdown"])


def test_fix_hook_ships_only_with_fix() -> None:
    """`vault-tools-fix` runs `lint --fix`: no stub before the option exists, none missing after."""
    has_fix = "--fix" in CliRunner().invoke(cli, ["lint", "--help"]).stdout
    assert ("vault-tools-fix" in hooks()) == has_fix
    if has_fix:
        assert hooks()["vault-tools-fix"]["entry"] == "vault-tools lint --fix"


# -- files passed from the repository root ---------------------------------------------------------


def test_single_files_from_the_repository_root_use_the_vault_config(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_vault(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    whole = lint_json("vault")
    assert positions(whole) == [("vault/Inbox/bad.md", 3, 1, "HD001")]
    for note in ("vault/Inbox/good.md", "vault/Daily/2024-01-01.md"):
        assert positions(lint_json(note)) == [], note
    assert positions(lint_json("vault/Inbox/bad.md", "vault/Inbox/good.md")) == positions(whole)


def test_markdown_outside_the_vault_passed_first_keeps_the_vault_config(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_vault(tmp_path)
    (tmp_path / "README.md").write_text("# Read me\n\nText.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    # pre-commit's `types: [markdown]` passes both, in this order.
    assert positions(lint_json("README.md", "vault/Inbox/good.md")) == []


# -- the real pre-commit --------------------------------------------------------------------------


def git(repo: Path, *args: str, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def git_env(tmp_path: Path) -> dict[str, str]:
    """Hermetic: no user git configuration, pre-commit's cache in the test's folder."""
    empty = tmp_path / "empty.gitconfig"
    empty.write_text("", encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GIT_", "PRE_COMMIT")) and key != "GITHUB_ACTIONS"}
    env.update(GIT_CONFIG_GLOBAL=str(empty), GIT_CONFIG_NOSYSTEM="1",
               PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
               PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", NO_COLOR="1")
    return env


def init_repo(repo: Path, env: dict[str, str]) -> None:
    git(repo, "init", "-q", env=env)
    git(repo, "config", "user.name", "Test", env=env)
    git(repo, "config", "user.email", "test@example.org", env=env)
    git(repo, "add", "-A", env=env)
    git(repo, "commit", "-q", "-m", "snapshot", env=env)


def snapshot_checkout(target: Path, env: dict[str, str]) -> str:
    """This checkout's working tree as it is now, committed in a repository of its own.

    `pre-commit try-repo` on a dirty tree commits staged and modified tracked files into a
    shadow repository, but leaves untracked files out: a new module would be missing. A
    snapshot of every file git does not ignore tests exactly what is on disk.
    """
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, env=env, capture_output=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: nothing for pre-commit to clone")
    for name in filter(None, listed.stdout.decode("utf-8").split("\0")):
        source = ROOT / name
        if source.is_file():  # listed but deleted in the working tree: not part of it
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    init_repo(target, env)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=target, env=env, check=True,
                          capture_output=True, text=True)
    return head.stdout.strip()


def pre_commit(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_real_pre_commit_fails_on_a_bad_note_and_passes_on_a_good_one(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    env = git_env(tmp_path)
    source = tmp_path / "vault-tools"
    rev = snapshot_checkout(source, env)
    notes = tmp_path / "notes"
    write_vault(notes)
    # What a user writes, with this checkout in place of the published repository: pre-commit
    # clones it, reads our .pre-commit-hooks.yaml and pip-installs the package into a venv.
    (notes / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {source.as_posix()}\n  rev: {rev}\n  hooks:\n"
        "  - id: vault-tools-lint\n  - id: vault-tools-fix\n", encoding="utf-8")
    init_repo(notes, env)

    bad = pre_commit(notes, env, "run", "vault-tools-lint", "--files", "vault/Inbox/bad.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "vault/Inbox/bad.md:3:1: HD001" in bad.stdout, bad.stdout

    good = pre_commit(notes, env, "run", "vault-tools-lint", "--files", "vault/Inbox/good.md",
                      "vault/Daily/2024-01-01.md")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout

    check_fix_hook(notes, env)

    # And as a git hook, on the staged files only.
    assert pre_commit(notes, env, "install").returncode == 0
    (notes / "vault/Inbox/new.md").write_text("# New\n\n#### Deeper\n\nText.\n", encoding="utf-8")
    git(notes, "add", "vault/Inbox/new.md", env=env)
    refused = subprocess.run(["git", "commit", "-q", "-m", "new"], cwd=notes, env=env,
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1
    assert "vault/Inbox/new.md:3:1: HD001" in refused.stdout + refused.stderr
    assert "vault/Inbox/bad.md" not in refused.stdout + refused.stderr  # not staged


def check_fix_hook(notes: Path, env: dict[str, str]) -> None:
    """pre-commit fails a hook that changes files; the second run finds nothing left."""
    note = notes / "vault/Inbox/unfinished.md"
    note.write_text("# Unfinished\n\nNo final newline.", encoding="utf-8")
    git(notes, "add", "vault/Inbox/unfinished.md", env=env)  # pre-commit diffs tracked files
    files = ("--files", "vault/Inbox/unfinished.md")
    first = pre_commit(notes, env, "run", "vault-tools-fix", *files)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert note.read_text("utf-8") == "# Unfinished\n\nNo final newline.\n"
    again = pre_commit(notes, env, "run", "vault-tools-fix", *files)
    assert again.returncode == 0, again.stdout + again.stderr
