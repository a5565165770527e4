"""Run a block function over an index range, in this process or in K worker processes.

For outputs only this process can write (Parquet): results come back in index order, so the
writer appends them as they arrive. A worker spills its result to a file in a scratch directory
and returns the path rather than sending it through a pipe, which cost the parent more CPU than
reading the file. At most a few blocks per worker are in flight, which bounds memory and scratch
space whatever the count. Workers ignore Ctrl-C: the parent catches it, cancels what is queued
and cleans up. (Text output has its own scheme, :mod:`gcmock.dataset.direct`.)
"""

from __future__ import annotations

import multiprocessing
import shutil
import signal
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .heap import keep_freed_memory
from .spec import DatasetSpec

__all__ = ["Block", "Spill", "Spilled", "run_blocks", "sigint_ignored_by_children"]

Block = Callable[[DatasetSpec, int, int, int], Any]
"""``block(spec, start, stop, end)``: the block ``[start, stop)`` of a file ending at ``end``."""
Spill = Callable[[Any, Path], None]
"""Write a block's result (its bytes) to a file."""

_IN_FLIGHT_PER_WORKER = 3


class Spilled:
    """A block a worker wrote to ``path``; the consumer reads it, then it is deleted."""

    __slots__ = ("path",)

    def __init__(self, path: Path) -> None:
        self.path = path


def _start_worker() -> None:
    """Ignore Ctrl-C (the parent handles it), and keep freed heap: a worker frees a block's
    bytes after writing them, and handing them back to the kernel would fault every page in
    again for the next block (see :mod:`gcmock.dataset.heap`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    keep_freed_memory()


@contextmanager
def sigint_ignored_by_children() -> Iterator[None]:
    """Start processes inside this block: they inherit an ignored SIGINT across ``exec``, so a
    Ctrl-C in the terminal (sent to the whole process group) cannot hit one while it is still
    importing, and the parent alone handles it. (A Ctrl-C during the few milliseconds the block
    lasts is ignored.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _spill_block(
    block: Block, spill: Spill, spec: DatasetSpec, start: int, stop: int, end: int, path: Path
) -> Path:
    spill(block(spec, start, stop, end), path)
    return path


def run_blocks(
    block: Block,
    spill: Spill,
    spec: DatasetSpec,
    ranges: Iterable[tuple[int, int]],
    end: int,
    *,
    workers: int = 1,
    scratch: Path | None = None,
) -> Generator[tuple[int, int, Any], None, None]:
    """``(start, stop, result)`` for each range, in order.

    With one worker the result is ``block(...)`` itself; with more it is a :class:`Spilled`
    file in a scratch directory made in ``scratch`` (put it on the output's file system), which
    is removed at the end. Workers are spawned, not forked: each imports gcmock and builds the
    world once (about a second), and none of the parent's threads or open files leak in.
    """
    if workers <= 1:
        for start, stop in ranges:
            yield start, stop, block(spec, start, stop, end)
        return
    directory = Path(tempfile.mkdtemp(prefix=".gcmock-blocks-", dir=scratch))
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)
    pending: deque[tuple[int, int, Future[Path]]] = deque()

    def submit(start: int, stop: int) -> None:
        path = directory / f"{start}.block"
        future = pool.submit(_spill_block, block, spill, spec, start, stop, end, path)
        pending.append((start, stop, future))

    todo = iter(ranges)
    try:
        with sigint_ignored_by_children():
            for start, stop in todo:
                submit(start, stop)
                if len(pending) >= workers * _IN_FLIGHT_PER_WORKER:
                    break
        while pending:
            start, stop, future = pending.popleft()
            path = future.result()
            nxt = next(todo, None)
            if nxt is not None:
                submit(*nxt)
            try:
                yield start, stop, Spilled(path)
            finally:
                path.unlink(missing_ok=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(directory, ignore_errors=True)
