"""Coverage-guided fuzzing of the note parser with atheris (issue 9); see fuzz/README.md.

Each input is the bytes of a note file. It must decode, parse, lint (every rule, selected
with ALL) and export without an exception; the fast path must give the note markdown-it-py
gives (the differential check of issue 6, on inputs coverage steers to the corners); every line
it reports must lie inside the file, and the export must be JSON. A failure is a crash:
libFuzzer saves the input under fuzz/crashes/.

    python fuzz/fuzz_parse_note.py -max_total_time=60        # the short run (CI)

`check_note(data)` works without atheris: tests replay inputs through it.
"""

from __future__ import annotations

import json
import shlex
import sys
import tempfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vault_tools.model import Note
    from vault_tools.source import SourceText

HERE = Path(__file__).resolve().parent
SEEDS = HERE / "corpus"
DICTIONARY = HERE / "obsidian.dict"
CRASHES = HERE / "crashes"
# Coverage is traced in these packages: our code and the parsers it drives.
INSTRUMENTED = ["vault_tools", "markdown_it", "mdit_py_plugins", "yaml", "frontmatter"]

Check = Callable[[bytes], None]


@cache
def build_check() -> Check:
    """The check, built once (imports, the lint plan); atheris instruments what it imports."""
    from vault_tools.config import Config
    from vault_tools.discover import NotePath
    from vault_tools.engine import INTERNAL_ERROR, lint_note
    from vault_tools.export import render_jsonl
    from vault_tools.lintplan import build_plan
    from vault_tools.notes import LoadedNote
    from vault_tools.parse import parse_source
    from vault_tools.source import decode

    plan = build_plan(Config(select=("ALL",)))
    location = NotePath(Path(tempfile.gettempdir()), "fuzz.md")

    def check(data: bytes) -> None:
        source = decode(data)
        note = parse_source(source, "fuzz.md")
        # The fast path (blocks.py and its helpers) must agree with markdown-it-py, the
        # reference, on every input: a difference is a wrong note nothing else would notice.
        assert note == parse_source(source, "fuzz.md", fast=False), "fast path differs"
        check_lines(note, source)
        assert json.loads(render_jsonl(note))["path"] == "fuzz.md"
        for finding in lint_note(LoadedNote(location, source, note), plan, "fuzz.md"):
            assert finding.code != INTERNAL_ERROR, finding.message  # a rule crashed
            assert 1 <= finding.line <= len(source.lines), finding

    return check


def check_note(data: bytes) -> None:
    """Everything the fuzzer asserts about one input; raises on a violation."""
    build_check()(data)


def check_lines(note: Note, source: SourceText) -> None:
    total = len(source.lines)
    for what, line in iter_lines(note):
        assert 1 <= line <= total, (what, line, total)


def iter_lines(note: Note) -> Iterator[tuple[str, int]]:
    """(what, line) of everything the note reports a line for."""
    sections = [note.preamble, *note.sections]
    while sections:
        section = sections.pop()
        yield "section", section.line
        yield "section end", max(section.end_line, 1)
        yield from (("paragraph", paragraph.line) for paragraph in section.paragraphs)
        items = list(section.bullets)
        while items:
            item = items.pop()
            yield "item", item.line
            items.extend(item.children)
        sections.extend(section.sections)
    for group in (note.highlights, note.links, note.inline_tags, note.callouts, note.block_ids,
                  note.errors):
        yield from ((type(value).__name__, value.line) for value in group)
    for comment in note.comments:
        yield "comment", comment.line
        yield "comment end", comment.end_line


def with_defaults(argv: list[str]) -> list[str]:
    """The seeds, the dictionary, the crash folder and a per-input timeout, unless given. New
    inputs go to a scratch folder, so the seed corpus stays as written. argv[0] becomes the
    command that runs this script again (restart_command)."""
    options = [arg for arg in argv[1:] if arg.startswith("-")]
    folders = [arg for arg in argv[1:] if not arg.startswith("-")]
    if not folders:
        folders = [tempfile.mkdtemp(prefix="vault-tools-fuzz-"), str(SEEDS)]
    defaults = {"-dict=": str(DICTIONARY), "-artifact_prefix=": f"{CRASHES}/",
                "-timeout=": "10"}  # seconds for one input: slower is reported as a hang
    for option, value in defaults.items():
        if not any(arg.startswith(option) for arg in options):
            options.append(option + value)
    CRASHES.mkdir(exist_ok=True)
    return [restart_command(argv[0]), *options, *folders]


def restart_command(script: str) -> str:
    """How libFuzzer starts this script again: for -jobs, -workers and -merge it runs
    argv[0] and the options through the shell. This interpreter on this file, so the
    documented two-worker run works without an execute bit or an activated virtualenv."""
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(Path(script).resolve()))}"


def main() -> None:
    try:
        import atheris  # type: ignore[import-untyped]
    except ImportError:
        print("fuzz_parse_note: atheris is not installed (`pip install atheris`; wheels exist "
              "for Linux x86-64 only): skipping", file=sys.stderr)
        sys.exit(0)
    with atheris.instrument_imports(include=INSTRUMENTED):
        build_check()
    atheris.Setup(with_defaults(sys.argv), check_note)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
