"""Inline suppressions in Obsidian comments and frontmatter, applied centrally by the engine.

Notes use two real rules: WS001 (trailing whitespace, one finding per line ending in spaces) and
HD001 (a heading that skips a level), plus VT004 for unknown codes in a suppression."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from vault_tools.config import Config
from vault_tools.discover import NotePath
from vault_tools.engine import lint_note
from vault_tools.lintplan import build_plan
from vault_tools.notes import load
from vault_tools.parse import parse_note
from vault_tools.suppressions import Directive, Suppressions, iter_directives

MakeVault = Callable[[dict[str, str]], Path]
Lint = Callable[[str], list[tuple[int, int, str]]]


@pytest.fixture
def lint(make_vault: MakeVault) -> Lint:
    """(line, col, code) of WS001, HD001 and VT004 findings in one note."""
    plan = build_plan(Config(select=("WS001", "HD001", "VT004")))

    def run(text: str) -> list[tuple[int, int, str]]:
        vault = make_vault({"n.md": text})
        return [(f.line, f.col, f.code) for f in lint_note(load(NotePath(vault, "n.md")), plan)]

    return run


def test_without_suppressions_everything_is_reported(lint: Lint) -> None:
    assert lint("# T\n### U\na \nb \n") == [(2, 1, "HD001"), (3, 2, "WS001"), (4, 2, "WS001")]


def test_disable_lasts_to_the_end_of_the_note(lint: Lint) -> None:
    text = "a \n%% vault-tools: disable WS001 %%\nb \n\nc \n"
    assert lint(text) == [(1, 2, "WS001")]


def test_disable_until_enable(lint: Lint) -> None:
    text = ("a \n%% vault-tools: disable WS001 %%\nb \n"
            "%% vault-tools: enable WS001 %%\nc \n")
    assert lint(text) == [(1, 2, "WS001"), (5, 2, "WS001")]


def test_disable_one_rule_keeps_the_others(lint: Lint) -> None:
    text = "# T\n%% vault-tools: disable HD001 %%\n### U\nb \n"
    assert lint(text) == [(4, 2, "WS001")]


def test_disable_by_prefix_and_several_codes(lint: Lint) -> None:
    assert lint("%% vault-tools: disable WS %%\n# T\n### U\nb \n") == [(3, 1, "HD001")]
    assert lint("%% vault-tools: disable WS001, HD001 %%\n# T\n### U\nb \n") == []
    assert lint("%% vault-tools: disable WS001 HD001 %%\n# T\n### U\nb \n") == []


def test_disable_without_codes_or_with_all_means_every_rule(lint: Lint) -> None:
    assert lint("a \n%% vault-tools: disable %%\n# T\n### U\nb \n") == [(1, 2, "WS001")]
    assert lint("a \n%% vault-tools: disable ALL %%\n# T\n### U\nb \n") == [(1, 2, "WS001")]


def test_enable_one_after_disabling_all(lint: Lint) -> None:
    text = "%% vault-tools: disable ALL %%\n%% vault-tools: enable WS001 %%\n# T\n### U\nb \n"
    assert lint(text) == [(5, 2, "WS001")]


def test_disable_next_line_covers_only_that_line(lint: Lint) -> None:
    text = "a \n%% vault-tools: disable-next-line WS001 %%\nb \nc \n"
    assert lint(text) == [(1, 2, "WS001"), (4, 2, "WS001")]


def test_disable_next_line_after_a_multiline_comment(lint: Lint) -> None:
    text = "%%\nvault-tools: disable-next-line WS001\n%%\nb \nc \n"
    assert lint(text) == [(5, 2, "WS001")]


def test_disable_next_line_at_the_end_of_a_text_line(lint: Lint) -> None:
    text = "# T %% vault-tools: disable-next-line HD001 %%\n### U\n#### V\n##### W\n"
    assert lint(text) == []
    assert lint("# T %% vault-tools: disable-next-line HD001 %%\ntext\n### U\n") == [
        (3, 1, "HD001")]


def test_directives_are_case_insensitive(lint: Lint) -> None:
    assert lint("%% Vault-Tools: DISABLE-next-line ws001 %%\nb \n") == []


def test_directive_inside_code_is_not_a_directive(lint: Lint) -> None:
    text = "```\n%% vault-tools: disable WS001 %%\n```\nb \n"
    assert lint(text) == [(4, 2, "WS001")]
    assert lint("`%% vault-tools: disable WS001 %%`\nb \n") == [(2, 2, "WS001")]


@pytest.mark.parametrize("value", ["[WS001]", "WS001", "[WS]", "ALL", '"WS001, HD001"',
                                   "[ws001]", "\n  - WS001"])
def test_frontmatter_disables_for_the_whole_note(lint: Lint, value: str) -> None:
    text = f"---\nvault-tools-disable: {value}\n---\na \n# T\n### U\nb \n"
    remaining = [code for _, _, code in lint(text)]
    assert "WS001" not in remaining
    assert set(remaining) <= {"HD001"}


def test_frontmatter_with_two_codes_in_one_string(lint: Lint) -> None:
    assert lint('---\nvault-tools-disable: "WS001, HD001"\n---\na \n# T\n### U\n') == []


@pytest.mark.parametrize("value", [" []", " false", "", ' ""', ' [""]', " ~"])
def test_empty_frontmatter_value_disables_nothing(lint: Lint, value: str) -> None:
    text = f"---\nvault-tools-disable:{value}\n---\na \n"
    assert lint(text) == [(4, 2, "WS001")]


# -- VT004: an unknown code in a suppression is itself reported ------------------------------


def test_unknown_code_in_comment_is_reported_where_the_comment_is(lint: Lint) -> None:
    text = "intro\nsee %% vault-tools: disable-next-line WS01X %%\nb \n"
    # WS01X is no code; the comment suppresses nothing, and says so.
    assert lint(text) == [(2, 5, "VT004"), (3, 2, "WS001")]


def test_unknown_prefix_and_known_codes(lint: Lint) -> None:
    assert lint("%% vault-tools: disable HD01, WS001 %%\n") == [(1, 1, "VT004")]
    assert lint("%% vault-tools: enable ZZ %%\n") == [(1, 1, "VT004")]
    assert lint("%% vault-tools: disable HD0 WS ALL %%\n") == []


def test_unknown_code_in_frontmatter_is_reported_on_its_key(lint: Lint) -> None:
    text = "---\ntitle: x\nvault-tools-disable: [WS001, NOPE1]\n---\na \n"
    assert lint(text) == [(3, 1, "VT004")]


def test_vt004_can_itself_be_suppressed(lint: Lint) -> None:
    text = "%% vault-tools: disable-next-line VT004 %%\n%% vault-tools: disable ZZ9 %%\n"
    assert lint(text) == []


# -- the Suppressions value itself -----------------------------------------------------------


def test_iter_directives_positions() -> None:
    note = parse_note("---\nvault-tools-disable: [WS001]\n---\ntext %% vault-tools: disable "
                      "HD001 %%\n%%\nvault-tools: disable-next-line IN001\n%%\n")
    assert list(iter_directives(note)) == [
        Directive("file", ("WS001",), 2, 1, 2),
        Directive("disable", ("HD001",), 4, 6, 4),
        Directive("disable-next-line", ("IN001",), 5, 1, 7),
    ]


@pytest.mark.parametrize(("code", "line", "expected"), [
    ("HD001", 1, False), ("HD001", 3, True), ("HD001", 5, True), ("HD001", 6, False),
    ("HD002", 3, True), ("HD002", 9, True), ("WS001", 3, False), ("WS001", 8, True),
    ("WS001", 9, False), ("FM001", 4, True),
])
def test_suppressed(code: str, line: int, expected: bool) -> None:
    suppressions = Suppressions((
        Directive("disable", ("HD",), 3, 1, 3),
        Directive("enable", ("HD001",), 6, 1, 6),
        Directive("disable-next-line", ("WS001",), 5, 1, 7),
        Directive("file", ("FM",), 1, 1, 1),
    ))
    assert suppressions.suppressed(code, line) is expected
