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


def _children(pid: int) -> list[str]:
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
        return handle.read().split()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc to see the workers")
def test_ctrl_c_during_a_parallel_lint_prints_no_traceback(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    body = "".join(f"## Part {i}\n- [[Missing {i}]] and ==mark== #tag\n\n" for i in range(200))
    for i in range(3000):  # a few seconds of work on two workers: Ctrl-C lands mid-run
        (vault / f"n{i:04d}.md").write_text(f"# Note {i}\n{body}", encoding="utf-8")
    command = [sys.executable, "-m", "vault_tools", "lint", str(vault), "--no-cache", "-j", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before the workers were seen"
    os.killpg(proc.pid, signal.SIGINT)  # a terminal sends it to the whole process group
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err.decode(), err.decode()
    assert err.decode().strip() == "vault-tools: interrupted"
    assert proc.returncode == 130  # as a shell reports it; 1 would mean "findings"
