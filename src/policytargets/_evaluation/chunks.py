"""Running work over chunks of rows, on up to two threads, with an optional progress bar."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from .._cores import usable_cores

_T = TypeVar("_T")
_R = TypeVar("_R")

#: Set in a thread whose caller already runs work in parallel (Dask's threads,
#: a partition each): a second pool there would only contend for the cores.
_local = threading.local()


@contextlib.contextmanager
def serial() -> Iterator[None]:
    """Run ``_run``'s chunks in this thread only, for the duration."""
    before = getattr(_local, "serial", False)
    _local.serial = True
    try:
        yield
    finally:
        _local.serial = before


def _workers() -> int:
    """Threads for work over chunks: two at most, one where ``serial`` is in force."""
    return 1 if getattr(_local, "serial", False) else min(2, usable_cores())


def _chunks(n: int, size: int) -> list[slice]:
    return [slice(i, min(i + size, n)) for i in range(0, n, size)] or [slice(0, 0)]


def _run(chunks: list[slice], work: Callable[[slice], bool], progress: bool, what: str) -> bool:
    """Run ``work`` over chunks on up to two threads; False as soon as one chunk says so."""
    from concurrent.futures import ThreadPoolExecutor

    workers = _workers()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(chunks), desc=what, unit="chunk")
    try:
        if workers == 1 or len(chunks) < 4:
            for c in chunks:
                if not work(c):
                    return False
                if bar is not None:
                    bar.update()
            return True
        with ThreadPoolExecutor(workers) as pool:
            for done in pool.map(work, chunks):
                if not done:
                    return False
                if bar is not None:
                    bar.update()
        return True
    finally:
        if bar is not None:
            bar.close()


def _map(work: Callable[[_T], _R], items: list[_T]) -> list[_R]:
    """``work`` of each item, on up to two threads (one where ``serial`` is in force)."""
    from concurrent.futures import ThreadPoolExecutor

    workers = _workers()
    if workers == 1 or len(items) < 2:
        return [work(item) for item in items]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(work, items))
