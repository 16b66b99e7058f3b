"""Independent pieces of work (one per spec file) spread over forked worker processes, when there is
enough of it to pay for them: a spec of many large files loads in about half the time on two cores.

Small inputs (every ordinary spec), platforms where fork is not the way processes start (Windows, macOS)
and `SFAUTHGEN_JOBS=1` run the pieces here, in order. Results come back in the order of the inputs, so
output and messages never depend on which process finished first. A piece must report the user's
mistakes in its result, not raise them: exceptions cross back only for bugs.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this much input a worker costs more (fork, sending results back) than it saves.
MIN_PARALLEL_BYTES = 1024 * 1024
MAX_JOBS = 8


def jobs_for(weights: Sequence[int]) -> int:
    """How many processes to use for pieces of these sizes (in bytes): 1 means here, in order."""
    chosen = os.environ.get("SFAUTHGEN_JOBS", "")
    limit = int(chosen) if chosen.isdigit() and int(chosen) > 0 else MAX_JOBS
    if sys.platform != "linux" or len(weights) < 2 or sum(weights) < MIN_PARALLEL_BYTES:
        return 1
    return max(1, min(limit, len(os.sched_getaffinity(0)), len(weights)))


def map_in_order(function: Callable[[Item], Result], items: Sequence[Item], weights: Sequence[int]) -> list[Result]:
    """`function` of each item, in processes of their own when `jobs_for(weights)` says so.

    Workers are forked after `function` exists: it (a partial holding the model, say) reaches them
    through the fork, never pickled; only items and results cross between processes.
    """
    jobs = jobs_for(weights)
    if jobs == 1:
        return [function(item) for item in items]
    import multiprocessing  # here: most runs never start a worker

    context = multiprocessing.get_context("fork")
    # The largest pieces first, so no worker is left with a big one at the end; put back in order after.
    order = sorted(range(len(items)), key=lambda index: -weights[index])
    with context.Pool(jobs, initializer=_start_worker, initargs=(function,)) as pool:
        done = pool.map(_run, [items[index] for index in order], chunksize=1)
    results: list[Result] = [None] * len(items)  # type: ignore[list-item]
    for index, result in zip(order, done, strict=True):
        results[index] = result
    return results


_function: Callable[[Any], Any] | None = None  # in a worker: what it runs for each item


def _start_worker(function: Callable[[Any], Any]) -> None:
    global _function
    _function = function
    # Ctrl-C is the parent's to handle (it stops the workers); a worker would print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(item: Any) -> Any:
    assert _function is not None
    return _function(item)
