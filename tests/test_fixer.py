"""`lint --fix` / `--diff`: fixture cases per fixable rule (tests/fixtures/fix/, markdown-it's
fixture format), the fixer's loop and its refusals (overlaps, a fix that changes the model, one
that never settles), safe writes (a failure mid-write, file mode, line ends, BOM, final newline,
symlinks), and the command line."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import Result
from markdown_it.utils import read_fixture_file

from vault_tools import safe_write
from vault_tools.discover import NotePath
from vault_tools.edits import FixFailed, apply_edits, choose
from vault_tools.engine import lint_note
from vault_tools.findings import Edit, Finding, Fix, Severity, Violation
from vault_tools.fix_check import model_difference, moved
from vault_tools.fixer import FixRequest, NoteFix, fix_note, fix_notes
from vault_tools.lintplan import ActiveRule, LintPlan
from vault_tools.notes import load
from vault_tools.parse import parse_note
from vault_tools.rules import RULES, NoteContext, Rule
from vault_tools.rules.base import Options
from vault_tools.source import decode

FIXTURES = Path(__file__).parent / "fixtures" / "fix"
MARKS = {"␠": " ", "→": "\t"}
MakeVault = Callable[[dict[str, str]], Path]
RunCli = Callable[..., Result]
Position = tuple[int, int, str]


def unmark(text: str) -> str:
    """Fixture text -> note text: `␠` a space, `→` a tab, a final `␄` no final newline."""
    for mark, char in MARKS.items():
        text = text.replace(mark, char)
    return text[:-2] if text.endswith("␄\n") else text


def fixture_cases() -> list[object]:
    # A list: pytest 9 deprecates parametrizing from a generator.
    return [pytest.param(path.stem.upper(), unmark(text), unmark(expected),
                         id=f"{path.stem}:{line}:{title}")
            for path in sorted(FIXTURES.glob("*.md"))
            for line, title, text, expected in read_fixture_file(path)]


def plan_of(*rules: str | Rule) -> LintPlan:
    chosen = [RULES[rule] if isinstance(rule, str) else rule for rule in rules]
    return LintPlan(tuple(ActiveRule(rule, rule.severity, dict(rule.options))
                          for rule in chosen), known_codes=frozenset(RULES))


def write_note(root: Path, data: bytes, rel: str = "note.md") -> NotePath:
    root.mkdir(parents=True, exist_ok=True)
    (root / rel).write_bytes(data)
    return NotePath(root, rel)


def fixed(tmp_path: Path, text: str, *rules: str | Rule, unsafe: bool = False) -> NoteFix:
    location = write_note(tmp_path / "vault", text.encode())
    return fix_note(location, FixRequest(plan_of(*rules), unsafe=unsafe))


def fix_file(location: NotePath, *rules: str | Rule, unsafe: bool = False
             ) -> list[Finding]:
    """Fix one file on disk; the findings a report would show afterwards."""
    plan = plan_of(*rules)
    before = lint_note(load(location), plan)
    outcome = fix_notes([location], before, FixRequest(plan, unsafe=unsafe))
    return outcome.remaining(lint_note(load(location), plan))


def positions(findings: Sequence[Finding]) -> list[Position]:
    return [(f.line, f.col, f.code) for f in findings]


# -- fixture cases --------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "text", "expected"), fixture_cases())
def test_fixture(tmp_path: Path, code: str, text: str, expected: str) -> None:
    result = fixed(tmp_path, text, code, unsafe=True)
    assert result.failure is None
    assert result.after == expected
    again = fixed(tmp_path / "again", expected, code, unsafe=True)
    assert again.after == expected and not again.applied  # fixing twice = fixing once


def test_every_fixable_rule_has_fixture_cases() -> None:
    fixable = {code for code, rule in RULES.items() if rule.fixable}
    assert {path.stem.upper() for path in FIXTURES.glob("*.md")} == fixable
    for path in FIXTURES.glob("*.md"):
        cases = read_fixture_file(path)
        assert len(cases) >= 3, path
        assert any(unmark(text) != unmark(expected) for _, _, text, expected in cases), path


@pytest.mark.parametrize(("code", "text", "expected"), fixture_cases())
def test_fix_safety_is_what_the_rule_declares(code: str, text: str, expected: str) -> None:
    ctx = NoteContext(parse_note(text), decode(text.encode()))
    for violation in RULES[code].check(ctx, RULES[code].options):
        if violation.fix is not None:
            assert violation.fix.safe == (RULES[code].fixable == "safe")


# -- the loop -------------------------------------------------------------------------------------


def finding(code: str, *edits: tuple[int, int, str], safe: bool = True, line: int = 1
            ) -> Finding:
    fix = Fix(tuple(Edit(*edit) for edit in edits), safe)
    return Finding("note.md", line, 1, code, "m", fix=fix)


def test_choose_skips_overlapping_and_touching_insertions() -> None:
    first = finding("WS001", (0, 2, "x"))
    overlapping = finding("WS001", (1, 3, ""), line=2)
    insertion_at_end = finding("WS002", (2, 2, "\n"), line=3)
    apart = finding("WS003", (3, 4, ""), line=4)
    chosen = choose([apart, insertion_at_end, overlapping, first], unsafe=False, size=10)
    assert chosen == [first, apart]


def test_choose_takes_a_fix_whole_or_not_at_all() -> None:
    taken = finding("LS001", (0, 2, "x"))
    partly_clashing = finding("LS001", (1, 2, "y"), (5, 6, "z"), line=2)
    self_overlapping = finding("WS001", (6, 8, ""), (7, 9, ""), line=3)
    assert choose([taken, partly_clashing, self_overlapping], False, 10) == [taken]


def test_choose_keeps_unsafe_fixes_for_unsafe_runs() -> None:
    unsafe = finding("HD001", (0, 3, "##"), safe=False)
    assert choose([unsafe], unsafe=False, size=5) == []
    assert choose([unsafe], unsafe=True, size=5) == [unsafe]


def test_an_edit_outside_the_note_is_refused() -> None:
    with pytest.raises(FixFailed, match="outside the note"):
        choose([finding("WS001", (3, 12, ""))], unsafe=False, size=10)


def test_apply_edits_in_any_order() -> None:
    edits = [Edit(8, 8, "!"), Edit(0, 1, "A"), Edit(4, 6, "")]
    assert apply_edits("abc def gh", edits) == "Abc f !gh"
    assert apply_edits("abc def gh", list(reversed(edits))) == "Abc f !gh"


def test_overlapping_fixes_come_in_on_a_later_pass(tmp_path: Path) -> None:
    # Line 3 is whitespace only: WS001 empties it, WS003 removes it; the edits overlap.
    result = fixed(tmp_path, "a\n\n  \n\nb\n", "WS001", "WS003")
    assert result.after == "a\n\nb\n"
    assert result.applied == {"WS001": 1, "WS003": 1}


def test_moved_positions() -> None:
    edits = [Edit(2, 4, ""), Edit(6, 6, "xyz"), Edit(8, 9, "Q")]
    assert [moved(offset, edits) for offset in (0, 1, 2, 3, 4, 6, 8, 9)] == [
        0, 1, 2, 2, 2, 7, 9, 10]


def test_model_difference_allows_only_what_the_rule_may_change() -> None:
    before = parse_note("# A\n### B\n\ntext ==h==\n")
    after = parse_note("# A\n## B\n\ntext ==h==\n")
    edit = [Edit(4, 7, "##")]
    old, new = "# A\n### B\n\ntext ==h==\n", "# A\n## B\n\ntext ==h==\n"
    assert model_difference(before, after, {"HD001"}, edit, old, new) is None
    assert model_difference(before, after, {"WS001"}, edit, old, new) == (
        "sections[0].sections[0].level")
    lost = parse_note("# A\n## B\n\ntext\n")
    assert model_difference(before, lost, {"HD001"}, edit, old, new) is not None


# -- fixes that go wrong --------------------------------------------------------------------------


def fake_rule(code: str, check: Callable[[NoteContext, Options], Iterator[Violation]]) -> Rule:
    real = RULES[code]
    return Rule(code, real.name, real.severity, check, "A fake rule for tests.", real.fixable)


def drops_a_word(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    start = ctx.source.text.find("every ")
    if start >= 0:
        yield Violation(1, start + 1, "trailing whitespace", Fix((Edit(start, start + 6, ""),)))


def never_settles(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    end = len(ctx.source.text)
    yield Violation(1, 1, "blank lines", Fix((Edit(end, end, "\n"),)))


def changes_nothing(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    yield Violation(1, 1, "trailing whitespace", Fix((Edit(0, 1, ctx.source.text[:1]),)))


NOTE = b"Keep every word.\n"


@pytest.mark.parametrize(("rule", "message"), [
    (fake_rule("WS001", drops_a_word),
     "the WS001 (trailing-whitespace) fix would also change `preamble.paragraphs[0].text`"),
    (fake_rule("WS003", never_settles), "the fixes did not settle after 10 passes"),
    (fake_rule("WS001", changes_nothing), "the WS001 fix changes nothing"),
])
def test_a_bad_fix_writes_nothing_and_says_why(tmp_path: Path, rule: Rule, message: str
                                               ) -> None:
    location = write_note(tmp_path, NOTE)
    left = fix_file(location, rule)
    assert Path(location.file).read_bytes() == NOTE
    failures = [f for f in left if f.code == "VT000"]
    assert positions(failures) == [(1, 1, "VT000")]
    assert message in failures[0].message and failures[0].severity == Severity.ERROR
    assert not any(f.fixable for f in left)  # --fix cannot fix them: not shown as fixable


def test_the_culprit_is_named_when_several_rules_fix_in_one_pass(tmp_path: Path) -> None:
    location = write_note(tmp_path, b"Keep every word.")  # WS002 fires too, harmlessly
    left = fix_file(location, fake_rule("WS001", drops_a_word), "WS002")
    assert Path(location.file).read_bytes() == b"Keep every word."
    (failure,) = [f for f in left if f.code == "VT000"]
    assert failure.message.startswith("not fixed: the WS001 ")


def test_a_note_that_is_not_utf8_is_never_rewritten(tmp_path: Path) -> None:
    data = b"caf\xe9 au lait  \n"
    location = write_note(tmp_path, data)
    left = fix_file(location, "WS001")
    assert Path(location.file).read_bytes() == data
    assert [f.code for f in left if f.code == "VT000"] == ["VT000"]
    assert not any(f.fixable for f in left)


# -- writing --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "expected"), [
    (b"a \r\nb\t\r\n", b"a\r\nb\r\n"),  # CRLF stays CRLF
    (b"a \r\nb\nc\t\r\n", b"a\r\nb\nc\r\n"),  # mixed line ends: each line keeps its own
    (b"a \rb\r", b"a\rb\r"),  # old Mac line ends
    (b"\xef\xbb\xbfa \nb\n", b"\xef\xbb\xbfa\nb\n"),  # the BOM stays
    (b"a \nb  ", b"a\nb"),  # no final newline, and WS002 not selected: still none
])
def test_line_ends_bom_and_final_newline_are_kept(tmp_path: Path, data: bytes, expected: bytes
                                                  ) -> None:
    location = write_note(tmp_path, data)
    fix_file(location, "WS001")
    assert Path(location.file).read_bytes() == expected


def test_removed_lines_take_their_own_line_ends(tmp_path: Path) -> None:
    location = write_note(tmp_path, b"a\r\n\r\n\n\r\nb\rc\n")
    fix_file(location, "WS003")
    assert Path(location.file).read_bytes() == b"a\r\n\r\nb\rc\n"


def test_crlf_file_gets_a_crlf_final_newline(tmp_path: Path) -> None:
    location = write_note(tmp_path, b"a\r\nb")
    fix_file(location, "WS002")
    assert Path(location.file).read_bytes() == b"a\r\nb\r\n"


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])
def test_file_mode_is_kept(tmp_path: Path, mode: int) -> None:
    location = write_note(tmp_path, b"a  \n")
    os.chmod(location.file, mode)
    fix_file(location, "WS001")
    assert Path(location.file).read_bytes() == b"a\n"
    assert stat.S_IMODE(os.stat(location.file).st_mode) == mode


def test_a_symlinked_note_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "real.md"
    real.parent.mkdir()
    real.write_bytes(b"a  \n")
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "note.md").symlink_to(real)
    fix_file(NotePath(vault, "note.md"), "WS001")
    assert (vault / "note.md").is_symlink()
    assert real.read_bytes() == b"a\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "note.md")


def test_failure_at_the_rename_leaves_the_original_and_no_temp_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    location = write_note(tmp_path, b"a  \n")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    left = fix_file(location, "WS001")
    assert Path(location.file).read_bytes() == b"a  \n"
    assert leftovers(tmp_path) == []
    (failure,) = [f for f in left if f.code == "VT000"]
    assert "cannot write the file: No space left on device" in failure.message


def test_failure_while_writing_the_temp_file_leaves_the_original(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    location = write_note(tmp_path, b"a  \n")

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    fix_file(location, "WS001")
    assert Path(location.file).read_bytes() == b"a  \n"
    assert leftovers(tmp_path) == []


def test_a_file_edited_meanwhile_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_bytes(b"saved by the user\n")
    with pytest.raises(safe_write.FileChangedError):
        safe_write.rewrite_bytes(target, b"fixed\n", expected=b"what we read\n")
    assert target.read_bytes() == b"saved by the user\n"


def test_unchanged_bytes_are_not_written(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_bytes(b"same\n")
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert not safe_write.rewrite_bytes(target, b"same\n", expected=b"same\n")
    assert target.stat().st_mtime_ns == 1_000_000_000


def test_diff_of_one_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # paths show as `vault/note.md`
    result = fixed(tmp_path, "# A\n\ntext \nlast", "WS001", "WS002")
    assert result.diff() == (
        "--- a/vault/note.md\n+++ b/vault/note.md\n@@ -1,4 +1,4 @@\n # A\n \n-text \n"
        "-last\n\\ No newline at end of file\n+text\n+last\n")


# -- the command line -----------------------------------------------------------------------------


@pytest.fixture
def here(run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work from the folder holding the vault, so reported paths read `vault/...`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# HD001 (unsafe) on line 3, LS001 on line 5, WS001 on line 6, WS003 on line 8.
MESSY = "# Title\n\n### Skipped\n\n- a\n* b  \n\n\n\ntext\n"


def snapshot(vault: Path) -> dict[str, bytes]:
    return {p.relative_to(vault).as_posix(): p.read_bytes()
            for p in sorted(vault.rglob("*")) if p.is_file()}


@pytest.mark.usefixtures("here")
def test_diff_writes_nothing_and_exits_1(run_cli: RunCli, make_vault: MakeVault) -> None:
    vault = make_vault({"messy.md": MESSY, "clean.md": "# Clean\n\ntext\n"})
    before = snapshot(vault)
    result = run_cli("lint", "vault", "--diff", "--no-cache")
    assert result.exit_code == 1
    assert snapshot(vault) == before
    assert result.stdout == (
        "--- a/vault/messy.md\n+++ b/vault/messy.md\n@@ -3,8 +3,6 @@\n ### Skipped\n \n"
        " - a\n-* b  \n-\n-\n+- b\n \n text\n")
    assert result.stderr == "vault-tools: would fix 3 findings in 1 note\n"


@pytest.mark.usefixtures("here")
def test_diff_exits_0_when_there_is_nothing_to_fix(run_cli: RunCli, make_vault: MakeVault
                                                   ) -> None:
    vault = make_vault({"clean.md": "# Clean\n\n### Skipped\n"})  # only an unsafe fix
    result = run_cli("lint", "vault", "--diff", "--no-cache")
    assert (result.exit_code, result.stdout) == (0, "")
    assert snapshot(vault) == {"clean.md": b"# Clean\n\n### Skipped\n"}


@pytest.mark.usefixtures("here")
def test_fix_then_reports_what_is_left(run_cli: RunCli, make_vault: MakeVault) -> None:
    vault = make_vault({"messy.md": MESSY})
    result = run_cli("lint", "vault", "--fix", "--no-cache", "--output-format", "concise",
                     "--select", "HD001,LS001,WS")
    assert (vault / "messy.md").read_text() == "# Title\n\n### Skipped\n\n- a\n- b\n\ntext\n"
    assert result.stdout == (
        "vault/messy.md:3:1: HD001 [*] heading level 3 follows level 1; expected level 2\n"
        "Found 1 finding in 1 note (1 fixable with --fix --unsafe-fixes).\n")
    assert result.stderr == "vault-tools: fixed 3 findings in 1 note\n"
    assert result.exit_code == 1


@pytest.mark.usefixtures("here")
def test_unsafe_fixes_only_when_asked(run_cli: RunCli, make_vault: MakeVault) -> None:
    vault = make_vault({"messy.md": MESSY})
    run_cli("lint", "vault", "--fix", "--select", "HD001")
    assert (vault / "messy.md").read_text() == MESSY
    result = run_cli("lint", "vault", "--fix", "--unsafe-fixes", "--select", "HD001")
    assert (vault / "messy.md").read_text() == MESSY.replace("### Skipped", "## Skipped")
    assert (result.exit_code, result.stdout) == (0, "All checks passed (1 note).\n")


@pytest.mark.usefixtures("here")
def test_fix_select_ws_fixes_only_ws(run_cli: RunCli, make_vault: MakeVault) -> None:
    vault = make_vault({"messy.md": MESSY})
    run_cli("lint", "vault", "--fix", "--unsafe-fixes", "--select", "WS")
    assert (vault / "messy.md").read_text() == (
        "# Title\n\n### Skipped\n\n- a\n* b\n\ntext\n")  # HD001 and LS001 left as they were
    result = run_cli("lint", "vault", "--output-format", "concise", "--exit-zero")
    assert {code for *_, code in concise_positions(result)} >= {"HD001", "LS001"}


def concise_positions(result: Result) -> list[Position]:
    found = []
    for line in result.stdout.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].isdigit():
            found.append((int(parts[1]), int(parts[2]), parts[3].split()[0]))
    return found


@pytest.mark.usefixtures("here")
def test_summary_counts_safe_and_unsafe_fixes(run_cli: RunCli, make_vault: MakeVault) -> None:
    make_vault({"messy.md": MESSY})
    result = run_cli("lint", "vault", "--select", "HD001,LS001,WS", "--output-format",
                     "concise")
    assert result.stdout.splitlines()[-1] == (
        "Found 4 findings in 1 note (3 fixable with --fix, 1 more with --fix --unsafe-fixes).")


def test_rules_command_shows_safe_and_unsafe(run_cli: RunCli) -> None:
    result = run_cli("rules")
    columns = {line.split()[0]: line.split()[2] for line in result.stdout.splitlines()[1:]}
    assert {code: columns[code] for code in ("WS001", "FM004", "LS001", "HD001", "IN001")} == {
        "WS001": "safe", "FM004": "safe", "LS001": "safe", "HD001": "unsafe", "IN001": "-"}


@pytest.mark.usefixtures("here")
def test_diff_names_the_notes_fix_would_leave_alone(run_cli: RunCli, make_vault: MakeVault
                                                    ) -> None:
    vault = make_vault({})
    (vault / "latin1.md").write_bytes(b"caf\xe9 \n")  # WS001, but not UTF-8: never rewritten
    result = run_cli("lint", "vault", "--diff")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.splitlines() == [
        "vault-tools: nothing to fix",
        "vault-tools: vault/latin1.md: not fixed: the file is not clean UTF-8 text (see VT001);"
        " rewriting it would lose bytes"]
    assert (vault / "latin1.md").read_bytes() == b"caf\xe9 \n"


@pytest.mark.usefixtures("here")
def test_fix_in_worker_processes(run_cli: RunCli, make_vault: MakeVault) -> None:
    count = 210  # above parallel.MIN_PARALLEL_ITEMS, so a pool is used
    vault = make_vault({f"n{i:03}.md": f"# N{i}\n\ntext \n" for i in range(count)})
    result = run_cli("lint", "vault", "--fix", "--jobs", "2", "--select", "WS")
    assert result.stderr == f"vault-tools: fixed {count} findings in {count} notes\n"
    assert {p.read_text() for p in vault.glob("*.md")} == {
        f"# N{i}\n\ntext\n" for i in range(count)}
