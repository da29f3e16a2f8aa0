"""Ordered parallel map over notes: the same results, in the same order, as a plain loop.

Work is handed out in chunks (each note is small; per-task overhead would dominate) and results
come back in input order, so output is byte-identical whatever `jobs` is. Fork is used where the
platform has it: workers inherit the imported modules and the lint plan instead of rebuilding them.

concurrent.futures rather than multiprocessing.Pool: the Pool's worker-handler thread wakes up
whenever a result waits in the pipe, and spent 0.17 s of the parent's CPU polling its workers
during a cold lint of the benchmark vault (the results thread itself used 0.13 s); here one
thread reads the results. A worker that dies also fails the run instead of hanging it.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from vault_tools.errors import UsageError

T = TypeVar("T")
R = TypeVar("R")

# Below this many notes a pool costs more than it saves (start-up is ~50-100 ms).
MIN_PARALLEL_ITEMS = 200


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def _context() -> Any:
    import multiprocessing  # only when a pool starts: a warm lint run starts none

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


# prctl(2) option: the signal the kernel sends this process when its parent dies.
_PR_SET_PDEATHSIG = 1


def _end_with_parent(parent: int) -> None:
    """Linux: if the parent is killed outright (SIGKILL, the out-of-memory killer), end this
    worker too. Forked workers hold each other's end of the task queue open, so no end of
    file would ever reach them: they waited for work for ever. Elsewhere workers are spawned,
    hold no such ends, and see the queue close."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # only in workers: a run without a pool never loads it

    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return  # no prctl in this C library: the worker waits as before
    if os.getppid() != parent:
        os._exit(1)  # the parent died before prctl took effect


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple[Any, ...],
                  parent: int) -> None:
    # A worker allocates many small objects that live until its result is sent; with the
    # default thresholds the cyclic collector ran every 700 allocations, rescanning what the
    # fork inherited. Frozen inheritance and rarer collections: lint_one about 5% faster.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    # Ctrl-C reaches the whole process group: the parent stops the run and reports it, and
    # workers interrupted mid-note would each print a traceback. SIGTERM sent to a worker
    # ends it (not the handler the parent's main() installed, inherited by the fork).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # held since the fork (_signals_held)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    _end_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


_HELD = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while workers are forked. A worker forked with the parent's
    handlers runs them until _start_worker replaces them: a Ctrl-C right then printed a
    traceback from it and ended the run as a dead worker. Held, such a signal reaches the
    parent once the workers exist, and a worker lets it go as it unblocks them, ignored. (Not
    on Windows: no signal masks, and workers are spawned there.)"""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ordered_map(func: Callable[[T], R], items: Sequence[T], jobs: int,
                initializer: Callable[..., None] | None = None,
                initargs: tuple[Any, ...] = ()) -> Iterator[R]:
    """`map(func, items)` on up to `jobs` processes; `initializer` also runs in this process."""
    if initializer is not None:
        initializer(*initargs)
    if jobs <= 1 or len(items) < MIN_PARALLEL_ITEMS:
        yield from map(func, items)
        return
    chunksize = max(8, min(64, len(items) // (jobs * 8) or 1))
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(jobs, _context(), _start_worker,
                             (initializer, initargs, os.getpid())) as pool:
        try:
            with _signals_held():  # map submits every chunk now; the first submit forks
                results = pool.map(func, items, chunksize=chunksize)
            yield from results
        except BrokenProcessPool as exc:
            raise UsageError("a worker process stopped before its work was done (killed, or "
                             "out of memory?); run again, or with --jobs 1") from exc
