"""Configuration: where it is found, what each key does, and the exact one-line errors a user
sees for a bad file (those messages are the user interface, so they are asserted verbatim)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from vault_tools.config import (
    Config,
    SchemaMapping,
    find_config_file,
    load_config,
    split_codes,
    with_overrides,
)
from vault_tools.errors import UsageError
from vault_tools.findings import Severity
from vault_tools.lintplan import build_plan

MakeVault = Callable[[dict[str, str]], Path]
RunCli = Callable[..., Result]

# A heading skip (HD001, line 2) and trailing spaces (WS001, line 3): one finding per family.
NOTE = "# Title\n### Skipped\ntrailing  \n"


def codes_in(result: Result) -> list[str]:
    """The rule codes of a `concise` report, in output order."""
    return [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()
            if line.count(":") >= 3 and not line.startswith(("Found", "All"))]


def lint(run_cli: RunCli, *args: str) -> Result:
    return run_cli("lint", "--output-format", "concise", *args)


def assert_one_line_error(result: Result, expected: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr == f"vault-tools: error: {expected}\n"


# -- discovery -------------------------------------------------------------------------------


def test_no_config_file_gives_defaults_rooted_at_the_vault(make_vault: MakeVault) -> None:
    vault = make_vault({"a.md": NOTE})
    config = load_config(vault)
    assert config == Config(root=vault)


def test_dot_file_at_vault_root_is_found_from_a_note_inside(make_vault: MakeVault) -> None:
    vault = make_vault({"sub/deeper/a.md": NOTE, ".vault-tools.toml": 'select = ["HD"]\n'})
    found = find_config_file(vault / "sub" / "deeper" / "a.md")
    assert found is not None
    assert found[0] == (vault / ".vault-tools.toml").resolve()
    assert found[1] == {"select": ["HD"]}


def test_pyproject_table_is_used(make_vault: MakeVault) -> None:
    vault = make_vault({"pyproject.toml": '[project]\nname = "x"\n\n[tool.vault-tools]\n'
                                          'ignore = ["WS001"]\n'})
    config = load_config(vault)
    assert config.source == (vault / "pyproject.toml").resolve()
    assert config.ignore == ("WS001",)


def test_pyproject_without_our_table_is_skipped_and_search_goes_up(make_vault: MakeVault) -> None:
    vault = make_vault({"pyproject.toml": '[tool.black]\nline-length = 80\n'})
    (vault.parent / ".vault-tools.toml").write_text('ignore = ["HD"]\n', encoding="utf-8")
    config = load_config(vault)
    assert config.source == (vault.parent / ".vault-tools.toml").resolve()
    assert config.ignore == ("HD",)


def test_dot_file_wins_over_pyproject_in_the_same_folder(make_vault: MakeVault) -> None:
    vault = make_vault({".vault-tools.toml": 'ignore = ["WS"]\n',
                        "pyproject.toml": '[tool.vault-tools]\nignore = ["HD"]\n'})
    assert load_config(vault).ignore == ("WS",)


def test_nearest_folder_wins(make_vault: MakeVault) -> None:
    vault = make_vault({".vault-tools.toml": 'ignore = ["WS"]\n',
                        "sub/.vault-tools.toml": 'ignore = ["HD"]\n'})
    assert load_config(vault / "sub").ignore == ("HD",)
    assert load_config(vault).ignore == ("WS",)


def test_explicit_config_file_overrides_the_search(make_vault: MakeVault, tmp_path: Path) -> None:
    vault = make_vault({".vault-tools.toml": 'ignore = ["WS"]\n'})
    other = tmp_path / "elsewhere.toml"
    other.write_text('ignore = ["HD"]\nfail-on = "error"\n', encoding="utf-8")
    config = load_config(vault, other)
    assert (config.source, config.ignore, config.fail_on) == (other, ("HD",), Severity.ERROR)


def test_explicit_pyproject_reads_its_table(tmp_path: Path) -> None:
    project = tmp_path / "pyproject.toml"
    project.write_text('[tool.vault-tools]\nselect = ["HD001"]\n', encoding="utf-8")
    assert load_config(tmp_path, project).select == ("HD001",)
    project.write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load_config(tmp_path, project).select == ()


def test_every_key_reaches_the_config(make_vault: MakeVault) -> None:
    vault = make_vault({".vault-tools.toml": """\
select = ["HD", "WS001"]
extend-select = ["VT"]
ignore = ["HD001"]
exclude = ["templates/*", "*.excalidraw.md"]
fail-on = "error"

[per-file-ignores]
"daily/*" = ["WS001"]
"inbox/**" = ["HD", "WS"]

[rules.WS001]
severity = "info"

[[schemas]]
tag = "person"
frontmatter = "schemas/person.json"

[[schemas]]
glob = "projects/*"
structure = "schemas/project.json"
"""})
    config = load_config(vault)
    root = vault.resolve()
    assert config.root == root
    assert config.select == ("HD", "WS001")
    assert config.extend_select == ("VT",)
    assert config.ignore == ("HD001",)
    assert config.exclude == ("templates/*", "*.excalidraw.md")
    assert config.fail_on is Severity.ERROR
    assert config.per_file_ignores == (("daily/*", ("WS001",)), ("inbox/**", ("HD", "WS")))
    assert config.rules == {"WS001": {"severity": "info"}}
    assert config.schemas == (
        SchemaMapping("person", None, root / "schemas/person.json", None),
        SchemaMapping(None, "projects/*", None, root / "schemas/project.json"),
    )


def test_command_line_values_replace_the_files() -> None:
    base = Config(select=("HD",), ignore=("WS001",), fail_on=Severity.ERROR)
    merged = with_overrides(base, select=("WS",), ignore=None, fail_on=Severity.INFO)
    assert (merged.select, merged.ignore, merged.fail_on) == (("WS",), ("WS001",), Severity.INFO)


@pytest.mark.parametrize(("values", "expected"), [
    (("HD,FM",), ("HD", "FM")),
    (("hd001", "ws"), ("HD001", "WS")),
    (("HD, WS001,", "all"), ("HD", "WS001", "ALL")),
])
def test_split_codes(values: tuple[str, ...], expected: tuple[str, ...]) -> None:
    assert split_codes(values) == expected


# -- the config at work, through the CLI -----------------------------------------------------


def test_config_file_select_applies(make_vault: MakeVault, run_cli: RunCli) -> None:
    vault = make_vault({"a.md": NOTE, ".vault-tools.toml": 'select = ["WS"]\n'})
    assert codes_in(lint(run_cli, str(vault))) == ["WS001"]


def test_pyproject_config_applies(make_vault: MakeVault, run_cli: RunCli) -> None:
    vault = make_vault({"a.md": NOTE, "pyproject.toml": '[tool.vault-tools]\nignore = ["WS"]\n'})
    assert codes_in(lint(run_cli, str(vault))) == ["HD001"]


def test_config_found_when_only_a_file_is_passed(make_vault: MakeVault, run_cli: RunCli) -> None:
    vault = make_vault({"notes/a.md": NOTE, ".vault-tools.toml": 'ignore = ["HD"]\n'})
    assert codes_in(lint(run_cli, str(vault / "notes" / "a.md"))) == ["WS001"]


def test_config_option_overrides_the_vaults_file(
    make_vault: MakeVault, run_cli: RunCli, tmp_path: Path
) -> None:
    vault = make_vault({"a.md": NOTE, ".vault-tools.toml": 'ignore = ["HD"]\n'})
    other = tmp_path / "strict.toml"
    other.write_text('ignore = ["WS"]\n', encoding="utf-8")
    assert codes_in(lint(run_cli, str(vault), "--config", str(other))) == ["HD001"]


def test_exclude_from_config(make_vault: MakeVault, run_cli: RunCli) -> None:
    vault = make_vault({"a.md": NOTE, "templates/t.md": NOTE,
                        ".vault-tools.toml": 'exclude = ["templates"]\nselect = ["HD"]\n'})
    result = lint(run_cli, str(vault))
    assert result.exit_code == 1
    assert "templates" not in result.stdout
    assert codes_in(result) == ["HD001"]


def test_exclude_is_relative_to_the_config_folder_when_linting_a_subfolder(
    make_vault: MakeVault, run_cli: RunCli
) -> None:
    vault = make_vault({"notes/drafts/d.md": NOTE, "notes/n.md": NOTE,
                        ".vault-tools.toml": 'exclude = ["notes/drafts/*"]\nselect = ["HD"]\n'})
    result = lint(run_cli, str(vault / "notes"))
    assert "drafts" not in result.stdout
    assert codes_in(result) == ["HD001"]
    # pre-commit passes excluded files too: the config still keeps them out.
    result = lint(run_cli, str(vault / "notes" / "drafts" / "d.md"))
    assert (result.exit_code, codes_in(result)) == (0, [])


def test_per_file_ignores_from_config(make_vault: MakeVault, run_cli: RunCli) -> None:
    vault = make_vault({"daily/d.md": NOTE, "n.md": NOTE,
                        ".vault-tools.toml": '[per-file-ignores]\n"daily/*" = ["WS001", "HD"]\n'})
    result = lint(run_cli, str(vault))
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in result.stdout.splitlines()
            if ": " in line] == ["n.md", "n.md"]


@pytest.mark.parametrize("target", ["daily", "daily/d.md"])
def test_per_file_ignores_are_relative_to_the_config_folder(
    make_vault: MakeVault, run_cli: RunCli, target: str
) -> None:
    """Linting a sub-folder or one file (as pre-commit does) must not change what the globs see."""
    vault = make_vault({"daily/d.md": NOTE,
                        ".vault-tools.toml": '[per-file-ignores]\n"daily/*" = ["WS001", "HD"]\n'})
    result = lint(run_cli, str(vault / target))
    assert (result.exit_code, codes_in(result)) == (0, [])


def test_per_file_ignores_without_obsidian_folder(run_cli: RunCli, tmp_path: Path) -> None:
    """A vault checked out without `.obsidian/` (often git-ignored) still uses its config."""
    vault = tmp_path / "repo"
    (vault / "daily").mkdir(parents=True)
    (vault / "daily" / "d.md").write_text(NOTE, encoding="utf-8")
    (vault / ".vault-tools.toml").write_text('[per-file-ignores]\n"daily/*" = ["ALL"]\n',
                                             encoding="utf-8")
    result = lint(run_cli, str(vault / "daily" / "d.md"))
    assert (result.exit_code, codes_in(result)) == (0, [])


def test_rule_severity_from_config(make_vault: MakeVault) -> None:
    vault = make_vault({".vault-tools.toml": '[rules.HD001]\nseverity = "error"\n'
                                             '[rules.WS001]\nseverity = "info"\n'})
    plan = build_plan(load_config(vault))
    severities = {active.rule.code: active.severity for active in plan.rules}
    assert (severities["HD001"], severities["WS001"]) == (Severity.ERROR, Severity.INFO)


def test_info_severity_from_config_does_not_fail(make_vault: MakeVault, run_cli: RunCli) -> None:
    vault = make_vault({"a.md": "trailing  \n", ".vault-tools.toml": '[rules.WS001]\n'
                                                                    'severity = "info"\n'})
    result = lint(run_cli, str(vault))
    assert (result.exit_code, codes_in(result)) == (0, ["WS001"])


def test_fail_on_from_config_and_its_override(make_vault: MakeVault, run_cli: RunCli) -> None:
    vault = make_vault({"a.md": NOTE, ".vault-tools.toml": 'fail-on = "error"\n'})
    assert lint(run_cli, str(vault)).exit_code == 0
    assert lint(run_cli, str(vault), "--fail-on", "warning").exit_code == 1


# -- bad configuration: exit 2, one line naming the file, the key and what was expected --------


BAD_CONFIGS = [
    ('bogus = 1\n',
     "unknown key 'bogus' (known keys: exclude, extend-select, fail-on, ignore, "
     "per-file-ignores, rules, schemas, select)"),
    ('select = "HD"\n', "key 'select': expected an array, got a string"),
    ('ignore = [1]\n', "key 'ignore[0]': expected a string, got an integer"),
    ('select = ["hd"]\n',
     "key 'select[0]': \"hd\" is not a rule code or prefix "
     "(expected e.g. HD, HD001 or ALL, in upper case)"),
    ('select = ["ZZ"]\n',
     "key 'select': \"ZZ\" matches no rule (run `vault-tools rules` for the list)"),
    ('extend-select = ["HD9"]\n',
     "key 'extend-select': \"HD9\" matches no rule (run `vault-tools rules` for the list)"),
    ('exclude = "templates"\n', "key 'exclude': expected an array, got a string"),
    ('fail-on = "fatal"\n',
     "key 'fail-on': expected one of \"error\", \"warning\", \"info\", got \"fatal\""),
    ('fail-on = 2\n',
     "key 'fail-on': expected one of \"error\", \"warning\", \"info\", got 2"),
    ('per-file-ignores = ["HD"]\n', "key 'per-file-ignores': expected a table, got an array"),
    ('[per-file-ignores]\n"daily/*" = "WS001"\n',
     "key 'per-file-ignores.\"daily/*\"': expected an array, got a string"),
    ('[per-file-ignores]\n"daily/*" = [true]\n',
     "key 'per-file-ignores.\"daily/*\"[0]': expected a string, got a boolean"),
    ('[per-file-ignores]\ndaily = ["XX"]\n',
     "key 'per-file-ignores.daily': \"XX\" matches no rule "
     "(run `vault-tools rules` for the list)"),
    ('[rules]\nHD001 = "info"\n', "key 'rules.HD001': expected a table, got a string"),
    ('[rules.hd001]\nseverity = "info"\n',
     "key 'rules.hd001': not a rule code (expected a code such as HD001, in upper case)"),
    ('[rules.XX999]\nseverity = "info"\n',
     "key 'rules.XX999': no such rule (run `vault-tools rules` for the list)"),
    ('[rules.HD001]\nseverity = "fatal"\n',
     "key 'rules.HD001.severity': expected one of \"error\", \"warning\", \"info\", "
     "got \"fatal\""),
    ('[rules.HD001]\nlevel = 2\n',
     "key 'rules.HD001.level': unknown option (HD001 has no options)"),
    ('schemas = [1]\n', "key 'schemas[0]': expected a table, got an integer"),
    ('[[schemas]]\nfrontmatter = "p.json"\n', "key 'schemas[0]': needs a 'tag' or 'glob' key"),
    ('[[schemas]]\ntag = ""\n', "key 'schemas[0].tag': expected a non-empty string"),
    ('[[schemas]]\ntag = "person"\nschema = "p.json"\n',
     "unknown key 'schemas[0].schema' (known keys: frontmatter, glob, structure, tag)"),
]


@pytest.mark.parametrize(("text", "message"), BAD_CONFIGS)
def test_bad_config_is_one_clear_line(
    make_vault: MakeVault, run_cli: RunCli, text: str, message: str
) -> None:
    vault = make_vault({"a.md": NOTE, ".vault-tools.toml": text})
    result = lint(run_cli, str(vault))
    assert_one_line_error(result, f"{(vault / '.vault-tools.toml').resolve()}: {message}")


@pytest.mark.parametrize(("text", "where"), [("a = 1\na = 2\n", "line 2"),
                                           ("select = [\n", "end of document")])
def test_invalid_toml_is_one_line(
    make_vault: MakeVault, run_cli: RunCli, text: str, where: str
) -> None:
    # After "invalid TOML:" comes tomllib's own wording, which is not ours to pin down.
    vault = make_vault({"a.md": NOTE, ".vault-tools.toml": text})
    result = lint(run_cli, str(vault))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    prefix = f"vault-tools: error: {(vault / '.vault-tools.toml').resolve()}: invalid TOML: "
    assert result.stderr.startswith(prefix)
    assert result.stderr.count("\n") == 1
    assert where in result.stderr


def test_bad_config_reached_from_a_single_file(make_vault: MakeVault, run_cli: RunCli) -> None:
    vault = make_vault({"notes/a.md": NOTE, ".vault-tools.toml": 'select = "HD"\n'})
    result = lint(run_cli, str(vault / "notes" / "a.md"))
    assert_one_line_error(result, f"{(vault / '.vault-tools.toml').resolve()}: "
                                  "key 'select': expected an array, got a string")


def test_pyproject_errors_name_the_full_key(make_vault: MakeVault, run_cli: RunCli) -> None:
    vault = make_vault({"a.md": NOTE,
                        "pyproject.toml": '[tool.vault-tools]\nselect = "HD"\nbogus = 1\n'})
    result = lint(run_cli, str(vault))
    assert_one_line_error(result, f"{(vault / 'pyproject.toml').resolve()}: unknown key "
                                  "'tool.vault-tools.bogus' (known keys: exclude, extend-select, "
                                  "fail-on, ignore, per-file-ignores, rules, schemas, select)")


def test_pyproject_table_of_the_wrong_type(make_vault: MakeVault, run_cli: RunCli) -> None:
    vault = make_vault({"a.md": NOTE, "pyproject.toml": '[tool]\nvault-tools = 3\n'})
    result = lint(run_cli, str(vault))
    assert_one_line_error(result, f"{(vault / 'pyproject.toml').resolve()}: "
                                  "key 'tool.vault-tools': expected a table, got an integer")


def test_pyproject_with_a_non_table_tool_is_not_ours(make_vault: MakeVault) -> None:
    vault = make_vault({"pyproject.toml": 'tool = 3\n'})
    assert load_config(vault).source is None


def test_config_that_is_not_utf8(make_vault: MakeVault, run_cli: RunCli) -> None:
    vault = make_vault({"a.md": NOTE})
    (vault / ".vault-tools.toml").write_bytes(b'ignore = ["\xe9"]\n')
    result = lint(run_cli, str(vault))
    assert_one_line_error(result, f"{(vault / '.vault-tools.toml').resolve()}: "
                                  "invalid TOML: not UTF-8 (byte offset 11)")


def test_missing_explicit_config(make_vault: MakeVault, run_cli: RunCli, tmp_path: Path) -> None:
    vault = make_vault({"a.md": NOTE})
    missing = tmp_path / "nope.toml"
    result = lint(run_cli, str(vault), "--config", str(missing))
    assert_one_line_error(result, f"{missing}: configuration file not found")


def test_bad_explicit_config_is_named_as_given(
    make_vault: MakeVault, run_cli: RunCli, tmp_path: Path
) -> None:
    vault = make_vault({"a.md": NOTE})
    bad = tmp_path / "bad.toml"
    bad.write_text('fail-on = "never"\n', encoding="utf-8")
    result = lint(run_cli, str(vault), "--config", str(bad))
    assert_one_line_error(result, f"{bad}: key 'fail-on': expected one of \"error\", "
                                  "\"warning\", \"info\", got \"never\"")


def test_usage_error_from_load_config_directly(tmp_path: Path) -> None:
    (tmp_path / ".vault-tools.toml").write_text("select = 1\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"key 'select': expected an array, got an integer$"):
        load_config(tmp_path)
