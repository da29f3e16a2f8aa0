"""`--changed-since REF` in a temporary git repository: which notes are linted (modified,
staged, committed since REF, untracked, renamed, non-ASCII names; not deleted, ignored or
unchanged ones), that the vault's configuration still applies, and the exit-2 errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from vault_tools.changed import keep_changed
from vault_tools.cli import cli
from vault_tools.discover import iter_note_paths

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BAD = "# Note\n\n### Deep\n"  # one HD001 on line 3, so every linted note shows in the output


@pytest.fixture(autouse=True)
def quiet_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git configuration (hooks, signing, templates) leaks into the tests."""
    empty = tmp_path / "empty.gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def commit_all(repo: Path, message: str = "notes") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose vault is a sub-folder, with every note committed."""
    root = tmp_path / "repo"
    files = {
        "vault/.obsidian/app.json": "{}\n",
        "vault/.vault-tools.toml": 'select = ["HD001"]\n',
        "vault/a.md": BAD, "vault/b.md": BAD, "vault/sub/c.md": BAD, "vault/Café.md": BAD,
        "other/d.md": BAD, "vault/notes.txt": "not a note\n", ".gitignore": "*.tmp.md\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.org")
    commit_all(root, "init")
    return root


@pytest.fixture
def lint(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """`vault-tools lint ... --output-format json` from the repository root."""
    monkeypatch.chdir(repo)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, ["lint", *args, "--output-format", "json", "--jobs", "1"],
                                  catch_exceptions=False)

    return invoke


def linted(result: Result) -> list[str]:
    assert result.exit_code in (0, 1), result.output
    return sorted({finding["path"] for finding in json.loads(result.stdout)})


def touch(repo: Path, rel: str, text: str = BAD + "\nmore\n") -> None:
    (repo / rel).parent.mkdir(parents=True, exist_ok=True)
    (repo / rel).write_text(text, encoding="utf-8")


def test_nothing_changed_lints_nothing(lint: Callable[..., Result]) -> None:
    result = lint("vault", "--changed-since", "HEAD")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_modified_staged_untracked_and_renamed_notes(repo: Path,
                                                     lint: Callable[..., Result]) -> None:
    touch(repo, "vault/a.md")  # modified, not staged
    touch(repo, "vault/sub/c.md")
    git(repo, "add", "vault/sub/c.md")  # modified and staged
    touch(repo, "vault/new.md")  # untracked
    touch(repo, "vault/Café.md")  # a name git would quote without -z
    git(repo, "mv", "vault/b.md", "vault/renamed.md")
    touch(repo, "vault/skip.tmp.md")  # untracked but ignored
    touch(repo, "other/d.md")  # changed, but not under the path given
    assert linted(lint("vault", "--changed-since", "HEAD")) == [
        "vault/Café.md", "vault/a.md", "vault/new.md", "vault/renamed.md", "vault/sub/c.md"]


def test_deleted_notes_are_skipped(repo: Path, lint: Callable[..., Result]) -> None:
    (repo / "vault/a.md").unlink()
    git(repo, "rm", "-q", "vault/b.md")
    touch(repo, "vault/sub/c.md")
    assert linted(lint("vault", "--changed-since", "HEAD")) == ["vault/sub/c.md"]


def test_commits_since_ref_count(repo: Path, lint: Callable[..., Result]) -> None:
    touch(repo, "vault/a.md")
    commit_all(repo, "edit a")
    touch(repo, "vault/sub/c.md")
    assert linted(lint("vault", "--changed-since", "HEAD~1")) == ["vault/a.md", "vault/sub/c.md"]
    assert linted(lint("vault", "--changed-since", "HEAD")) == ["vault/sub/c.md"]


def test_three_dot_range_is_passed_to_git(repo: Path, lint: Callable[..., Result]) -> None:
    touch(repo, "vault/a.md")
    commit_all(repo, "edit a")
    assert linted(lint("vault", "--changed-since", "HEAD~1...HEAD")) == ["vault/a.md"]


def test_works_from_inside_the_vault_and_on_explicit_files(
        repo: Path, lint: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    touch(repo, "vault/sub/c.md")
    assert linted(lint("vault/a.md", "vault/sub/c.md", "--changed-since", "HEAD")) == [
        "vault/sub/c.md"]
    monkeypatch.chdir(repo / "vault")
    result = CliRunner().invoke(cli, ["lint", ".", "--changed-since", "HEAD",
                                      "--output-format", "json"], catch_exceptions=False)
    assert linted(result) == ["sub/c.md"]


def test_vault_configuration_still_applies(repo: Path, lint: Callable[..., Result]) -> None:
    (repo / "vault/.vault-tools.toml").write_text(
        'select = ["HD001", "WS001"]\n[per-file-ignores]\n"sub/*" = ["WS001"]\n',
        encoding="utf-8")
    commit_all(repo, "config")
    touch(repo, "vault/sub/c.md", BAD + "trailing \n")
    touch(repo, "vault/a.md", BAD + "trailing \n")
    result = lint("vault", "--changed-since", "HEAD")
    found = [(f["path"], f["line"], f["col"], f["code"]) for f in json.loads(result.stdout)]
    assert found == [("vault/a.md", 3, 1, "HD001"), ("vault/a.md", 4, 9, "WS001"),
                     ("vault/sub/c.md", 3, 1, "HD001")]


def test_keep_changed_filters_discovered_locations(repo: Path) -> None:
    touch(repo, "vault/a.md")
    locations = list(iter_note_paths([repo / "vault"]))
    assert [loc.rel for loc in keep_changed(locations, "HEAD", [repo / "vault"])] == ["a.md"]


def test_not_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = tmp_path / "plain"
    vault.mkdir()
    (vault / "a.md").write_text(BAD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = CliRunner().invoke(cli, ["lint", "plain", "--changed-since", "HEAD"],
                                catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "vault-tools: error: --changed-since: plain is not inside a git repository (")
    assert "Traceback" not in result.output


def test_unknown_ref(lint: Callable[..., Result]) -> None:
    result = lint("vault", "--changed-since", "no-such-branch")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "vault-tools: error: --changed-since no-such-branch: git cannot compare with this "
        "revision (")
    assert result.stderr.count("\n") == 1


def test_unknown_ref_is_reported_even_with_no_note(repo: Path,
                                                   lint: Callable[..., Result]) -> None:
    (repo / "empty").mkdir()
    result = lint("empty", "--changed-since", "no-such-branch")
    assert result.exit_code == 2


@pytest.mark.parametrize("ref", ["--output=out.txt", "-p", ""])
def test_option_like_ref_is_refused(repo: Path, lint: Callable[..., Result], ref: str) -> None:
    result = lint("vault", f"--changed-since={ref}")
    assert result.exit_code == 2
    assert result.stderr == f"vault-tools: error: --changed-since: {ref!r} is not a git revision\n"
    assert not (repo / "out.txt").exists()
