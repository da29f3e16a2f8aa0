"""Links in frontmatter properties (`up: "[[Parent]]"`): links of the note, as in Obsidian."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from vault_tools.parse import parse_note

Cli = Callable[..., Result]
MakeVault = Callable[[dict[str, str]], Path]


def links(text: str) -> list[tuple[str, str | None, str | None, int, int, str | None]]:
    return [(link.target, link.heading, link.alias, link.line, link.col, link.property)
            for link in parse_note(text).links]


def test_a_quoted_link_and_the_items_of_a_list_are_links() -> None:
    text = ('---\nup: "[[Parent]]"\nrelated:\n  - "[[Other#Part|the part]]"\n'
            "  - '[[Other#Part|the part]]'\n  - plain text\n---\nBody [[Body link]].\n")
    assert links(text) == [
        ("Parent", None, None, 2, 6, "up"),
        ("Other", "Part", "the part", 4, 6, "related"),
        ("Other", "Part", "the part", 5, 6, "related"),  # the same text again: its own place
        ("Body link", None, None, 8, 6, None),  # after the properties: in source order
    ]


@pytest.mark.parametrize("value", [
    "[[Parent]]",  # unquoted: YAML reads a list in a list
    '"see [[Parent]]"',  # text around it: properties hold no Markdown
    '"[[A]] [[B]]"',
    '"![[Parent]]"',
    '"[Parent](Parent.md)"',
    '"[[|alias only]]"',
    "{nested: \"[[Parent]]\"}",  # a nested mapping is no property of Obsidian's
    "42",
])
def test_other_values_hold_no_link(value: str) -> None:
    assert links(f"---\nup: {value}\n---\ntext\n") == []


def test_both_frontmatter_readers_agree() -> None:
    # An anchor sends the block through PyYAML; plain `key: value` lines take the fast reader.
    plain = '---\nup: "[[Parent]]"\nlist:\n  - "[[Child]]"\n---\n'
    yaml_route = '---\nup: "[[Parent]]"\nlist:\n  - "[[Child]]"\nx: &a 1\ny: *a\n---\n'
    assert links(plain) == links(yaml_route) == [
        ("Parent", None, None, 2, 6, "up"), ("Child", None, None, 4, 6, "list")]


def test_a_value_written_with_escapes_stands_at_its_value() -> None:
    # `\u00e9` is not how the link reads: the value's own place is the best there is.
    assert links('---\nup: "[[Caf\\u00e9]]"\n---\n') == [("Café", None, None, 2, 5, "up")]
    folded = links("---\nup: >-\n  [[Parent]]\n---\n")
    assert folded == [("Parent", None, None, 3, 3, "up")]


def test_broken_yaml_has_no_properties_and_no_links() -> None:
    assert links('---\nup: "[[Parent]]"\nbad: [\n---\n') == []


def lint(run_cli: Cli, *args: str) -> list[tuple[str, int, int, str]]:
    result = run_cli("lint", *args, "--output-format", "json", "--exit-zero", "--no-cache")
    assert result.exit_code == 0, result.output
    return [(Path(r["path"]).name, r["line"], r["col"], r["code"])
            for r in json.loads(result.stdout)]


VAULT = {
    "Child.md": ('---\nup: "[[Parent]]"\nsee:\n  - "[[Missing]]"\n  - "[[Parent#Nowhere]]"\n'
                 "---\nText.\n"),
    "Parent.md": "# Parent\n\nText.\n",
}


def test_the_lk_rules_check_them_and_they_make_a_note_no_orphan(run_cli: Cli,
                                                                make_vault: MakeVault) -> None:
    vault = make_vault(VAULT)
    assert lint(run_cli, str(vault), "--select", "LK,LK005") == [
        ("Child.md", 4, 6, "LK001"),
        ("Child.md", 5, 6, "LK002"),
    ]  # Parent.md, linked from Child's `up` alone, is no orphan


def test_export_names_the_property_and_counts_the_backlink(run_cli: Cli, make_vault: MakeVault,
                                                           tmp_path: Path) -> None:
    vault = make_vault(VAULT)
    result = run_cli("export", str(vault), "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    notes: dict[str, dict[str, Any]] = {
        record["path"]: record for record in map(json.loads, result.stdout.splitlines())}
    assert [(link["target"], link["property"], link["resolved"])
            for link in notes["Child.md"]["links"]] == [
        ("Parent", "up", "Parent.md"), ("Missing", "see", None), ("Parent", "see", "Parent.md")]
    assert notes["Parent.md"]["backlinks"] == 1
    database = tmp_path / "vault.sqlite"
    result = run_cli("export", str(vault), "--format", "sqlite", "-o", str(database))
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT target, property, line FROM links ORDER BY line, col").fetchall()
    assert rows == [("Parent", "up", 2), ("Missing", "see", 4), ("Parent", "see", 5)]

