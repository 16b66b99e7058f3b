"""Independent pieces of work (one per spec file) spread over forked worker processes, when there is
enough of it to pay for them: a spec of many large files loads in about half the time on two cores.

Small inputs (every ordinary spec), platforms where fork is not the way processes start (Windows, macOS)
and `SFAUTHGEN_JOBS=1` run the pieces here, in order. Results come back in the order of the inputs, so
output and messages never depend on which process finished first. A piece reports the user's mistakes
in its result; anything it raises is a bug, and comes back as InternalError (exit 3), as does a worker
that dies (killed, out of memory) instead of a run that waits for it forever.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from sfauthgen.diagnostics import InternalError, SfauthgenError

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this much input a worker costs more (fork, sending results back) than it saves.
MIN_PARALLEL_BYTES = 1024 * 1024
MAX_JOBS = 8
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def jobs_for(weights: Sequence[int]) -> int:
    """How many processes to use for pieces of these sizes (in bytes): 1 means here, in order."""
    chosen = os.environ.get("SFAUTHGEN_JOBS", "")
    limit = int(chosen) if chosen.isdigit() and int(chosen) > 0 else MAX_JOBS
    if sys.platform != "linux" or len(weights) < 2 or sum(weights) < MIN_PARALLEL_BYTES:
        return 1
    return max(1, min(limit, len(os.sched_getaffinity(0)), len(weights)))


def map_in_order(function: Callable[[Item], Result], items: Sequence[Item], weights: Sequence[int]) -> list[Result]:
    """`function` of each item, in processes of their own when `jobs_for(weights)` says so.

    Workers are forked after `function` exists: it (and what it holds) reaches them through the fork,
    never pickled; only items and results cross between processes.
    """
    jobs = jobs_for(weights)
    if jobs == 1:
        return [function(item) for item in items]
    import multiprocessing  # here: most runs never start a worker
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # The largest pieces first, so no worker is left with a big one at the end; put back in order after.
    order = sorted(range(len(items)), key=lambda index: -weights[index])
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker,
                               initargs=(function, os.getpid()))
    try:
        with _interrupts_held():  # the workers are forked here, on the first submit
            futures = [pool.submit(_run, items[index]) for index in order]
        done = [future.result() for future in futures]
    except BrokenProcessPool:
        raise InternalError("a worker process stopped before finishing (killed, or out of memory?); "
                            "run again with SFAUTHGEN_JOBS=1 to do the work in one process") from None
    finally:
        # Ctrl-C included: queued pieces are dropped, running ones end within a piece's time (workers
        # ignore SIGINT), and none is left behind holding the terminal or a CI log's pipe.
        pool.shutdown(wait=True, cancel_futures=True)
    results: list[Result] = [None] * len(items)  # type: ignore[list-item]
    for index, (ok, value) in zip(order, done, strict=True):
        if not ok:
            raise value if isinstance(value, SfauthgenError) else InternalError(f"in a worker process: {value}")
        results[index] = value
    return results


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """SIGINT held back while workers are forked: each starts with it blocked and ignores it before
    taking it back; the parent gets a Ctrl-C pressed meanwhile as soon as they are all running."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


_function: Callable[[Any], Any] | None = None  # in a worker: what it runs for each item


def _start_worker(function: Callable[[Any], Any], parent: int) -> None:
    global _function
    _function = function
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:  # a worker whose parent is killed (SIGKILL, out of memory) is killed too, not left waiting
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _run(item: Any) -> tuple[bool, Any]:
    """(True, result); or (False, the error) for one of sfauthgen's own errors, raised again by the
    parent as it would be in one process; or (False, text) for a bug, sent as text since not every
    exception survives pickling, and one that does not would stop the pool from reporting anything."""
    assert _function is not None
    try:
        return True, _function(item)
    except SfauthgenError as exc:
        return False, exc
    except Exception as exc:  # a bug: reported by the parent as InternalError
        return False, f"{type(exc).__name__}: {exc}"
