#!/usr/bin/env python3
"""Time vault-tools against a plain markdown-it parse and against other Markdown linters.

    python benchmarks/run.py CORPUS [--repeat N] [--jobs N] [--timeout S] [--only A,B] [--json]

Every measurement runs N times, each time in a fresh subprocess, on the same copy of CORPUS, and
is reported as median / min / max wall time, notes per second, peak RSS, and its ratio to the
median of the `parse` baseline (a plain `MarkdownIt("commonmark").parse` of every note).
A measurement whose command does not exist (yet) is reported as "n/a" with the reason.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
BASELINE = "parse"
LINTER_OK_CODES = frozenset({0, 1})  # exit 1 means "found issues" for every linter measured here


def note_files(root: str) -> list[str]:
    """The notes of a vault: every *.md file, skipping dot-folders as Obsidian does.

    Self-contained (only `os`) because its source is also pasted into the `read` and `parse`
    child scripts, so that the baseline and the header's note count see exactly the same files.
    """
    import os

    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(folder, f) for f in sorted(files) if f.endswith(".md"))
    return found


_NOTE_FILES_SRC = inspect.getsource(note_files)

READ_SCRIPT = f"""{_NOTE_FILES_SRC}
import sys
for path in note_files(sys.argv[1]):
    with open(path, "rb") as fh:
        fh.read().decode("utf-8", errors="replace")
"""

PARSE_SCRIPT = f"""{_NOTE_FILES_SRC}
import sys
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark")
for path in note_files(sys.argv[1]):
    with open(path, "rb") as fh:
        md.parse(fh.read().decode("utf-8", errors="replace"))
"""

# Runs one target and reports its own numbers as JSON. The target gets its own process so that
# wait4() returns the rusage of that child alone: RUSAGE_CHILDREN in this script would report the
# max RSS over *all* children so far, not per measurement. Timing starts at spawn, so the
# wrapper's own interpreter start-up is not counted. waitid(WNOWAIT) leaves the child a zombie
# until the timer is cancelled, so the timer can never kill a recycled process group.
WRAPPER = r"""
import json, os, signal, subprocess, sys, threading, time
timeout, stderr_path, cwd, argv = float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
timed_out = threading.Event()
with open(stderr_path, "wb") as err:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=err, start_new_session=True)
    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    timer = threading.Timer(timeout, kill)
    timer.start()
    os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
    elapsed = time.perf_counter() - start
    timer.cancel()
    timer.join()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
print(json.dumps({"seconds": elapsed, "returncode": proc.returncode,
                  "maxrss": usage.ru_maxrss, "timed_out": timed_out.is_set()}))
"""


# --------------------------------------------------------------------------- context


@dataclass
class Context:
    """What the measurements share: the corpus copy, the scratch folder and the CLI's --help."""

    workspace: Path
    corpus: Path
    jobs: int
    timeout: float
    env: dict[str, str]
    _help: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    _mutable_corpus: Path | None = None

    def vault_tools(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "vault_tools", *args]

    def help(self, command: str) -> tuple[str | None, str]:
        """(reason it is unusable or None, help text) for `vault_tools COMMAND --help`, cached."""
        if command not in self._help:
            self._help[command] = self._read_help(command)
        return self._help[command]

    def _read_help(self, command: str) -> tuple[str | None, str]:
        try:
            proc = subprocess.run(
                self.vault_tools(command, "--help"), cwd=self.workspace, env=self.env,
                capture_output=True, text=True, timeout=60, check=False,
            )
        except subprocess.TimeoutExpired:
            return f"`vault_tools {command} --help` timed out", ""
        if proc.returncode != 0:
            # Drop the "/path/to/python: " prefix of "No module named ..." messages.
            error = last_line(proc.stderr or proc.stdout).removeprefix(f"{sys.executable}: ")
            return f"`vault_tools {command} --help`: {error}", ""
        return None, proc.stdout

    def has_flag(self, command: str, flag: str) -> bool:
        # The look-ahead keeps `--no-cache` from matching `--no-cache-dir`.
        return re.search(re.escape(flag) + r"(?![\w-])", self.help(command)[1]) is not None

    def listed_flags(self, command: str, *flags: str) -> list[str]:
        """The subset of FLAGS that `COMMAND --help` lists: only pass flags the CLI knows."""
        return [flag for flag in flags if self.has_flag(command, flag)]

    def mutable_corpus(self) -> Path:
        """A second copy, made on first use, for the measurement that edits notes."""
        if self._mutable_corpus is None:
            self._mutable_corpus = copy_corpus(self.corpus, self.workspace / "corpus-edited")
        return self._mutable_corpus


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def copy_corpus(source: Path, dest: Path) -> Path:
    # Cache folders left by earlier tool runs (e.g. a stray .rumdl_cache) are not part of the
    # corpus and would make "cold" runs warm, so they are not copied.
    def ignore(_folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n == "__pycache__" or (n[0] == "." and "cache" in n.lower())}

    shutil.copytree(source, dest, ignore=ignore, symlinks=True)
    return dest


# --------------------------------------------------------------------------- measurements

Argv = Callable[[Context], list[str]]
Check = Callable[[Context], str | None]


@dataclass(frozen=True)
class Measurement:
    """One row of the table. `available` returns None when it can run, else the reason why not."""

    name: str
    argv: Argv
    available: Check
    ok_codes: frozenset[int] = frozenset({0})
    prime: bool = False  # run once, untimed, before the repeats (fills the tool's cache)
    before_each: Callable[[Context, int], None] | None = None  # untimed, before every repeat


def always(_ctx: Context) -> str | None:
    return None


def installed(program: str) -> Check:
    def check(_ctx: Context) -> str | None:
        return None if shutil.which(program) else f"{program} not installed"

    return check


def vt_command(command: str, *required_flags: str) -> Check:
    """Available when `vault_tools COMMAND --help` works and lists every flag in REQUIRED_FLAGS."""

    def check(ctx: Context) -> str | None:
        reason = ctx.help(command)[0]
        if reason is not None:
            return reason
        missing = [flag for flag in required_flags if not ctx.has_flag(command, flag)]
        return f"`{command} --help` lists no {', '.join(missing)}" if missing else None

    return check


def export_output(ctx: Context) -> Path:
    return ctx.workspace / "export.jsonl"


def remove_export_output(ctx: Context, _repeat: int) -> None:
    # export writes "only if it changed": without this, every run after the first skips the write.
    export_output(ctx).unlink(missing_ok=True)


def export_argv(*extra: str) -> Argv:
    def argv(ctx: Context) -> list[str]:
        out = str(export_output(ctx))
        return [
            *ctx.vault_tools("export", str(ctx.corpus), "--format", "jsonl", "-o", out),
            *ctx.listed_flags("export", "--no-cache"),
            *extra,
        ]

    return argv


def export_jobs_argv(ctx: Context) -> list[str]:
    return export_argv("--jobs", str(ctx.jobs))(ctx)


def lint_argv(*flags: str, edited: bool = False) -> Argv:
    def argv(ctx: Context) -> list[str]:
        corpus = ctx.mutable_corpus() if edited else ctx.corpus
        return [*ctx.vault_tools("lint", str(corpus)), *ctx.listed_flags("lint", *flags)]

    return argv


def edit_one_note(ctx: Context, repeat: int) -> None:
    # A different line each time, so size and content change and no cache can call it unchanged.
    note = Path(note_files(str(ctx.mutable_corpus()))[0])
    with note.open("a", encoding="utf-8") as fh:
        fh.write(f"\nBenchmark edit {repeat}.\n")


def python_script(source: str) -> Argv:
    return lambda ctx: [sys.executable, "-c", source, str(ctx.corpus)]


def program(*args: str, glob: str = "") -> Argv:
    """ARGS then the corpus (with GLOB appended, for tools that take a pattern, not a folder)."""
    return lambda ctx: [*args, str(ctx.corpus) + glob]


MEASUREMENTS: list[Measurement] = [
    Measurement("read", python_script(READ_SCRIPT), always),
    Measurement(BASELINE, python_script(PARSE_SCRIPT), always),
    Measurement("export", export_argv(), vt_command("export"), before_each=remove_export_output),
    Measurement(
        "export-jobs", export_jobs_argv, vt_command("export", "--jobs"),
        before_each=remove_export_output,
    ),
    Measurement(
        "lint-cold", lint_argv("--no-cache", "--exit-zero"), vt_command("lint"),
        ok_codes=LINTER_OK_CODES,
    ),
    # Warm and one-changed only mean something when the CLI caches; --no-cache is the tell.
    Measurement(
        "lint-warm", lint_argv("--exit-zero"), vt_command("lint", "--no-cache"),
        ok_codes=LINTER_OK_CODES, prime=True,
    ),
    Measurement(
        "lint-changed", lint_argv("--exit-zero", edited=True), vt_command("lint", "--no-cache"),
        ok_codes=LINTER_OK_CODES, prime=True, before_each=edit_one_note,
    ),
    Measurement(
        "rumdl-cold", program("rumdl", "check", "--flavor", "obsidian", "--no-cache"),
        installed("rumdl"), ok_codes=LINTER_OK_CODES,
    ),
    Measurement(
        "rumdl-warm", program("rumdl", "check", "--flavor", "obsidian"), installed("rumdl"),
        ok_codes=LINTER_OK_CODES, prime=True,
    ),
    # Without -r, `pymarkdown scan DIR` only looks at DIR's own files, not its sub-folders.
    # Without --continue-on-error it stops at the first note a rule crashes on (on the
    # benchmark vault: after 129 of 6,571 notes, exit 1, as if it had found issues).
    Measurement(
        "pymarkdown", program("pymarkdown", "--continue-on-error", "scan", "-r"),
        installed("pymarkdown"),
        ok_codes=LINTER_OK_CODES,
    ),
    Measurement(
        "markdownlint-cli2", program("markdownlint-cli2", glob="/**/*.md"),
        installed("markdownlint-cli2"), ok_codes=LINTER_OK_CODES,
    ),
]


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Run:
    seconds: float
    returncode: int
    maxrss_mb: float
    timed_out: bool
    stderr: str


@dataclass
class Row:
    name: str
    status: str  # "ok", "n/a", "failed" or "timeout"
    reason: str = ""
    argv: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    peak_rss_mb: float | None = None
    returncodes: list[int] = field(default_factory=list)


def run_once(ctx: Context, argv: Sequence[str]) -> Run:
    err_path = ctx.workspace / "stderr.txt"
    wrapper = [sys.executable, "-c", WRAPPER, str(ctx.timeout), str(err_path), str(ctx.workspace)]
    # The wrapper enforces the timeout itself; this one only guards against the wrapper hanging.
    proc = subprocess.run(
        [*wrapper, *argv], env=ctx.env, capture_output=True, text=True,
        timeout=ctx.timeout + 60, check=True,
    )
    data: dict[str, Any] = json.loads(proc.stdout)
    # ru_maxrss is in KiB on Linux but in bytes on macOS.
    divisor = 1024 * 1024 if sys.platform == "darwin" else 1024
    return Run(
        seconds=float(data["seconds"]),
        returncode=int(data["returncode"]),
        maxrss_mb=int(data["maxrss"]) / divisor,
        timed_out=bool(data["timed_out"]),
        stderr=err_path.read_text(errors="replace"),
    )


def problem(ctx: Context, run: Run, ok_codes: frozenset[int]) -> tuple[str, str] | None:
    """(status, reason) when RUN did not succeed, else None."""
    if run.timed_out:
        return "timeout", f"killed after {ctx.timeout:g} s"
    if run.returncode not in ok_codes:
        return "failed", f"exit {run.returncode}: {last_line(run.stderr)}"
    return None


def measure(ctx: Context, m: Measurement, repeat: int) -> Row:
    reason = m.available(ctx)
    if reason is not None:
        return Row(m.name, "n/a", reason)
    row = Row(m.name, "ok", argv=m.argv(ctx))
    if m.prime:
        progress(f"{m.name}: priming")
        failure = problem(ctx, run_once(ctx, m.argv(ctx)), m.ok_codes)
        if failure is not None:
            row.status, row.reason = failure[0], f"priming run: {failure[1]}"
            return row
    for i in range(repeat):
        if m.before_each is not None:
            m.before_each(ctx, i)
        progress(f"{m.name}: run {i + 1}/{repeat}")
        run = run_once(ctx, m.argv(ctx))
        failure = problem(ctx, run, m.ok_codes)
        if failure is not None:
            # Stop at the first bad run: repeating a timeout would only cost N x --timeout.
            row.status, row.reason = failure
            return row
        row.seconds.append(run.seconds)
        row.returncodes.append(run.returncode)
        row.peak_rss_mb = max(row.peak_rss_mb or 0.0, run.maxrss_mb)
    return row


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- reporting


@dataclass(frozen=True)
class Corpus:
    path: str
    notes: int
    bytes: int


def describe_corpus(root: Path) -> Corpus:
    files = note_files(str(root))
    return Corpus(str(root), len(files), sum(os.path.getsize(f) for f in files))


def machine_info() -> dict[str, Any]:
    affinity = getattr(os, "sched_getaffinity", None)
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        # On a shared machine or in a container this can be lower than cpu_count.
        "cpus_usable": len(affinity(0)) if affinity else None,
    }


def row_summary(row: Row, notes: int, baseline: float | None) -> dict[str, Any]:
    summary: dict[str, Any] = asdict(row)
    if row.seconds:
        median = statistics.median(row.seconds)
        summary.update(
            median_s=median, min_s=min(row.seconds), max_s=max(row.seconds),
            notes_per_s=notes / median if median > 0 else None,
            ratio=median / baseline if baseline else None,
        )
    return summary


def baseline_median(rows: Sequence[Row]) -> float | None:
    for row in rows:
        if row.name == BASELINE and row.seconds:
            return statistics.median(row.seconds)
    return None


def fmt(value: Any, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def table_line(s: dict[str, Any]) -> list[str]:
    if "median_s" not in s:
        return [s["name"], s["status"], "", "", "", "", "", s["reason"]]
    note = "baseline" if s["name"] == BASELINE else ""
    codes = sorted(set(s["returncodes"]))
    if codes != [0]:
        note = f"exit {'/'.join(map(str, codes))}"  # linters exit 1 when they find issues
    return [
        s["name"], f"{s['median_s']:.3f}", f"{s['min_s']:.3f}", f"{s['max_s']:.3f}",
        fmt(s["notes_per_s"], ",.0f"), fmt(s["peak_rss_mb"], ".0f"), fmt(s["ratio"], ".2f"), note,
    ]


def render_table(summaries: Sequence[dict[str, Any]]) -> str:
    header = ["name", "median s", "min", "max", "notes/s", "peak RSS MB", "ratio", "notes"]
    lines = [header, *(table_line(s) for s in summaries)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]

    def render(cells: list[str]) -> str:
        # Numbers are right-aligned; the free-text last column is not padded.
        padded = [cells[0].ljust(widths[0])]
        padded += [c.rjust(w) for c, w in zip(cells[1:-1], widths[1:], strict=True)]
        return " | ".join([*padded, cells[-1]]).rstrip()

    rule = "-+-".join("-" * w for w in widths) + "-+-" + "-" * 5
    return "\n".join([render(header), rule, *(render(cells) for cells in lines[1:])])


def render_text(report: dict[str, Any]) -> str:
    corpus, machine = report["corpus"], report["machine"]
    loads = report["loadavg"]
    head = [
        f"corpus: {corpus['path']}  ({corpus['notes']:,} notes, {corpus['bytes'] / 1e6:.1f} MB)",
        f"python {machine['python']} ({machine['implementation']}), {machine['platform']}",
        f"cpus: {machine['cpu_count']} (usable: {machine['cpus_usable']})",
        f"loadavg before: {fmt_load(loads['before'])}   after: {fmt_load(loads['after'])}",
        f"runs per measurement: {report['repeat']} (median, min, max);"
        f" timeout {report['timeout']:g} s; ratio = median / median of '{BASELINE}'",
        "",
    ]
    return "\n".join(head) + render_table(report["rows"])


def fmt_load(load: Sequence[float]) -> str:
    return " ".join(f"{x:.2f}" for x in load)


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    names = [m.name for m in MEASUREMENTS]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("corpus", type=Path, help="a folder of .md notes")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument(
        "--jobs", type=int, default=1,
        help="value for the export-jobs row's `--jobs` (default 1: single process)",
    )
    parser.add_argument(
        "--timeout", type=float, default=120.0,
        help="seconds before one run is killed and reported as a timeout (default 120)",
    )
    parser.add_argument(
        "--only", type=lambda s: [n.strip() for n in s.split(",") if n.strip()],
        help=f"comma-separated subset of: {', '.join(names)} ('{BASELINE}' always runs: it is the "
        "baseline of every ratio)",
    )
    parser.add_argument("--json", action="store_true", help="write the report as JSON to stdout")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.only or []) - set(names))
    if unknown:
        parser.error(f"unknown --only name(s) {', '.join(unknown)}; choose from {', '.join(names)}")
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus} is not a folder")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def selected(only: list[str] | None) -> list[Measurement]:
    if not only:
        return MEASUREMENTS
    return [m for m in MEASUREMENTS if m.name in only or m.name == BASELINE]


def child_env(workspace: Path) -> dict[str, str]:
    # Children run from the scratch folder (so caches that tools drop in their working directory,
    # like .rumdl_cache, land there), so the repository must be put on the import path explicitly.
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    # An installed package runs from byte-code that pip compiled; a sandbox with
    # PYTHONDONTWRITEBYTECODE would recompile every module on every run (a tenth of a second,
    # for every Python tool measured). Byte-code goes to the scratch folder, not the repository.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(workspace / "pycache")
    return env


def compile_sources(env: dict[str, str]) -> None:
    """Byte-compile vault_tools before the first timed run, as `pip install` would."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO_ROOT / "vault_tools")],
                   env=env, capture_output=True, check=False)


def run_all(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    progress(f"copying {args.corpus} to {tmp}")
    ctx = Context(
        workspace=tmp, corpus=copy_corpus(args.corpus.resolve(), tmp / "corpus"),
        jobs=args.jobs, timeout=args.timeout, env=child_env(tmp),
    )
    compile_sources(ctx.env)
    corpus = describe_corpus(ctx.corpus)
    load_before = os.getloadavg()
    rows = [measure(ctx, m, args.repeat) for m in selected(args.only)]
    load_after = os.getloadavg()
    baseline = baseline_median(rows)
    return {
        "corpus": {**asdict(corpus), "path": str(args.corpus)},
        "machine": machine_info(),
        "loadavg": {"before": list(load_before), "after": list(load_after)},
        "repeat": args.repeat,
        "timeout": args.timeout,
        "jobs": args.jobs,
        "rows": [row_summary(row, corpus.notes, baseline) for row in rows],
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vault-tools-bench-") as tmp:
        report = run_all(args, Path(tmp))
    print(json.dumps(report, indent=2) if args.json else render_text(report))
    # n/a and timeouts are results worth reporting; only a crash makes the benchmark fail.
    return 1 if any(row["status"] == "failed" for row in report["rows"]) else 0


if __name__ == "__main__":
    sys.exit(main())
