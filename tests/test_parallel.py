"""The process pool: results in input order, and a clear end when a worker or the user stops it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vault_tools import parallel
from vault_tools.errors import UsageError

COUNT = parallel.MIN_PARALLEL_ITEMS + 40  # enough items for a pool to start

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"),
                                reason="workers run functions of this test module only when forked")


def _square(value: int) -> int:
    return value * value


def _die_on_seven(value: int) -> int:
    if value == 7:
        os._exit(3)  # as a worker killed by the kernel's out-of-memory killer would end
    return value


@needs_fork
def test_results_come_back_in_input_order() -> None:
    items = list(range(COUNT))
    assert list(parallel.ordered_map(_square, items, 2)) == [i * i for i in items]


@needs_fork
def test_a_worker_that_dies_ends_the_run_with_a_clear_error() -> None:
    with pytest.raises(UsageError, match="worker process stopped"):
        list(parallel.ordered_map(_die_on_seven, list(range(COUNT)), 2))


@needs_fork
def test_a_signal_as_workers_start_waits_until_they_ignore_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C landing between a worker's fork and its start-up, where it still has the
    parent's handler (here Python's, raising KeyboardInterrupt): the worker ignores it once
    started and works on."""
    start = parallel._start_worker

    def interrupted_start(*args: object) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # in the worker, before its own handlers
        start(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "_start_worker", interrupted_start)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # what forks inherit
    items = list(range(COUNT))
    assert list(parallel.ordered_map(_square, items, 2)) == [i * i for i in items]


def _children(pid: int) -> list[str]:
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
        return handle.read().split()


def _session(leader: int) -> list[int]:
    """The processes still in the session `leader` started (its workers, once it is gone)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except (OSError, ValueError, IndexError):
            continue  # not a process, or one that just ended
        if entry.name.isdigit() and int(fields[3]) == leader and fields[0] != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc to see the workers")
@pytest.mark.parametrize(("signum", "group", "said"), [
    (signal.SIGINT, True, "interrupted"),  # Ctrl-C: a terminal sends it to the whole group
    (signal.SIGTERM, False, "terminated"),  # `kill PID`: the parent alone
    (signal.SIGKILL, False, None),  # `kill -9 PID`, the out-of-memory killer: nothing to say
], ids=["ctrl-c", "sigterm", "sigkill"])
def test_a_stopped_parallel_lint_ends_cleanly_with_its_workers(
        tmp_path: Path, signum: int, group: bool, said: str | None) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    body = "".join(f"## Part {i}\n- [[Missing {i}]] and ==mark== #tag\n\n" for i in range(200))
    for i in range(3000):  # a few seconds of work on two workers: the signal lands mid-run
        (vault / f"n{i:04d}.md").write_text(f"# Note {i}\n{body}", encoding="utf-8")
    command = [sys.executable, "-m", "vault_tools", "lint", str(vault), "--no-cache", "-j", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before the workers were seen"
    if group:
        os.killpg(proc.pid, signum)
    else:
        os.kill(proc.pid, signum)
    try:
        _, err = proc.communicate(timeout=60)  # a worker left running would keep stderr open
        deadline = time.monotonic() + 10  # workers of a killed parent are reaped by init
        while _session(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        leftover = _session(proc.pid)
        for pid in leftover:
            os.kill(pid, signal.SIGKILL)
    assert not leftover, "workers outlived the run"
    assert "Traceback" not in err.decode(), err.decode()
    if said is None:
        assert proc.returncode == -signum  # the parent had no say; its workers ended with it
        return
    assert err.decode().strip() == f"vault-tools: {said}"
    assert proc.returncode == 128 + signum  # as a shell reports it; 1 would mean "findings"
