"""Parse many deck files at once, on every core, when there is no parsed-deck cache for them.

A start with no cache over a large collection (the first run after a parser change, or on a new
machine) is mostly deck parsing: ~25 µs a card with `mdblocks`' line reading, ~0.5 s for 20,000
cards, and then encoding them for the cache. Each file's parse is a pure function of its bytes, so
the files are shared among worker processes, each sends back its decks encoded as the cache holds
them, and the results come back in file order: the collection, its diagnostics and their order
are the same as a parse here (a test holds the two equal).

Workers are used only where they pay: the `fork` start method (Linux: a worker starts with the
parsers already imported, in milliseconds), more than one core, and enough text that a parse
here would take longer than starting and feeding them (`MIN_BYTES`). Anything going wrong with
the workers (no processes allowed, a worker killed) means the files are parsed here instead, so
the result never depends on them. Workers ignore Ctrl-C; the command that started them gets it,
cancels what is queued, and stops as it always does.
"""

from __future__ import annotations

import itertools
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from .decks import warm_parsers

Job = tuple[Path, Path, bool]  # (file, its content root, bundled?)
T = TypeVar("T")

# Below about half a megabyte of Markdown (~2,500 cards of the benchmark's kind) a parse here
# takes ~70 ms, about what starting workers and feeding them costs on two cores (measured with
# the encoded results: 449 kB took 69 ms here and 48 ms in two workers, 180 kB 29 ms and 35 ms).
MIN_BYTES = 500_000
MAX_WORKERS = 8  # beyond this the parent's unpickling of the results dominates


def parse_deck_files(
    jobs: Sequence[Job], sizes: Sequence[int], load: Callable[[Path, Path, bool], T]
) -> list[T]:
    """`load(*job)` for every job, in order: in worker processes when that pays. `sizes` are the
    files' sizes in bytes (the caller has just read them for the cache's stamps). `load` parses a
    deck file (`content` passes one that returns it encoded for the cache); it must pickle by name
    to reach a worker, and what it returns must pickle back."""
    workers = _workers(len(jobs), sum(sizes))
    if workers > 1:
        # Here, not at the top: a warm start parses nothing and should not pay ~8 ms for these.
        from concurrent.futures.process import BrokenProcessPool

        try:
            return _in_workers(jobs, sizes, workers, load)
        except (OSError, BrokenProcessPool):  # no processes here, or a worker died: parse here
            pass
    return [load(*job) for job in jobs]


def _workers(files: int, total_bytes: int) -> int:
    if files < 2 or total_bytes < MIN_BYTES:
        return 1
    import multiprocessing

    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may use, not the machine's
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, files, MAX_WORKERS))


def _in_workers(
    jobs: Sequence[Job], sizes: Sequence[int], workers: int, load: Callable[[Path, Path, bool], T]
) -> list[T]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    warm_parsers()  # imported once here, inherited by every worker at fork
    # Largest files first, so no worker is left with a big one at the end; results go back to
    # file order below.
    order = sorted(range(len(jobs)), key=lambda i: -sizes[i])
    chunk = max(1, len(jobs) // (workers * 4))
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=_ignore_ctrl_c
    )
    try:
        parsed = list(pool.map(_apply, itertools.repeat(load), [jobs[i] for i in order], chunksize=chunk))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    by_index = dict(zip(order, parsed, strict=True))
    return [by_index[i] for i in range(len(jobs))]


def _apply(load: Callable[[Path, Path, bool], T], job: Job) -> T:
    return load(*job)


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
