"""K worker processes writing one text file together, each block straight to its place.

Block ``i``'s offset is the end of block ``i - 1``, known as soon as that block is encoded
(not written): each worker publishes the end of every block it encodes in a shared array and
``pwritev``s its bytes there, so no byte is copied through the parent. Blocks are dealt round
robin; a worker whose predecessor block is still being encoded hands its block to a writer
thread and goes on with its next one. The parent follows the blocks in order: it hashes them
(reading the page cache), copies them to stdout if that is the output, and reports progress.

A worker that fails stops the run: the parent terminates the others and raises.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.sharedctypes import RawArray
from typing import Any

from .encode import encode_parts
from .heap import keep_freed_memory
from .parallel import sigint_ignored_by_children
from .spec import DatasetSpec

__all__ = ["pwrite_all", "write_parallel", "writev_all"]

_IOV_MAX = 1024
_POLL_S = (0.0005, 0.001, 0.002, 0.004, 0.008)
"""Polling backs off: a block takes ~0.1 s, and every wake-up costs the GIL and a syscall."""
_FOLLOW_CHUNK = 1 << 20


def writev_all(fd: int, parts: Sequence[bytes]) -> None:
    """Write every part at the file position (``writev`` in batches; retries short writes)."""
    for i in range(0, len(parts), _IOV_MAX):
        batch = list(parts[i : i + _IOV_MAX])
        size = sum(len(p) for p in batch)
        done = os.writev(fd, batch)
        if done < size:
            rest = memoryview(b"".join(batch))[done:]
            while rest:
                rest = rest[os.write(fd, rest) :]


def pwrite_all(fd: int, parts: Sequence[bytes], offset: int) -> int:
    """Write every part at ``offset``; returns the offset after them."""
    for i in range(0, len(parts), _IOV_MAX):
        batch = list(parts[i : i + _IOV_MAX])
        size = sum(len(p) for p in batch)
        done = os.pwritev(fd, batch, offset)
        if done < size:
            rest = memoryview(b"".join(batch))[done:]
            pos = offset + done
            while rest:
                n = os.pwrite(fd, rest, pos)
                rest, pos = rest[n:], pos + n
        offset += size
    return offset


def _wait(ends: Any, index: int) -> int:
    tries = 0
    while (value := ends[index]) < 0:
        time.sleep(_POLL_S[min(tries, len(_POLL_S) - 1)])
        tries += 1
    return int(value)


def _worker(
    spec: DatasetSpec,
    path: str,
    base: int,
    jobs: list[tuple[int, int, int]],
    end: int,
    ends: Any,
    written: Any,
    errors: Any,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    keep_freed_memory()
    fd = os.open(path, os.O_WRONLY)
    handoff: queue.Queue[tuple[int, list[bytes]] | None] = queue.Queue(maxsize=2)
    failed: list[str] = []

    def write() -> None:
        while (item := handoff.get()) is not None:
            index, parts = item
            try:
                offset = base if index == 0 else _wait(ends, index - 1)
                ends[index] = offset + sum(len(p) for p in parts)
                pwrite_all(fd, parts, offset)
                written[index] = 1
            except BaseException:
                failed.append(traceback.format_exc())
                return

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        for index, start, stop in jobs:
            if failed:
                break
            handoff.put((index, encode_parts(spec, start, stop, end)))
    except BaseException:
        failed.append(traceback.format_exc())
    handoff.put(None)
    thread.join()
    os.close(fd)
    if failed:
        errors.put(failed[0])
        raise SystemExit(1)


def _start_workers(
    spec: DatasetSpec,
    path: str,
    base: int,
    ranges: Sequence[tuple[int, int]],
    end: int,
    workers: int,
    ends: Any,
    written: Any,
) -> tuple[list[Any], Any]:
    """Spawn ``workers`` processes, worker ``k`` writing blocks ``k, k + workers, ...``; they
    report each block's end in ``ends``, its completion in ``written``, a failure on the queue."""
    count = len(ranges)
    context = multiprocessing.get_context("spawn")
    errors = context.Queue()
    procs = [
        context.Process(
            target=_worker,
            args=(
                spec,
                path,
                base,
                [(i, *ranges[i]) for i in range(k, count, workers)],
                end,
                ends,
                written,
                errors,
            ),
            daemon=True,
        )
        for k in range(workers)
    ]
    with sigint_ignored_by_children():
        for p in procs:
            p.start()
    return procs, errors


def write_parallel(
    spec: DatasetSpec,
    path: str,
    base: int,
    ranges: Sequence[tuple[int, int]],
    end: int,
    workers: int,
    follow: Callable[[memoryview], None],
    advance: Callable[[int], None],
    reached: Callable[[int], None],
) -> int:
    """Write ``ranges`` into the file ``path`` from offset ``base`` with ``workers`` processes.

    ``follow`` gets the written bytes in order (in chunks), ``advance`` the conversations done
    per block, ``reached`` the offset followed so far (to reserve disk space ahead of the
    workers and let the page cache drop what is behind).
    Returns the offset after the last block.
    """
    count = len(ranges)
    ends = RawArray("q", [-1] * count)
    written = RawArray("b", count)
    procs, errors = _start_workers(spec, path, base, ranges, end, workers, ends, written)
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            offset = base
            reached(offset)
            buffer = bytearray(_FOLLOW_CHUNK)
            for i, (start, stop) in enumerate(ranges):
                tries = 0
                while not written[i]:
                    _check(procs, errors)
                    time.sleep(_POLL_S[min(tries, len(_POLL_S) - 1)])
                    tries += 1
                offset = _follow(fd, offset, ends[i], buffer, follow)
                reached(offset)
                advance(stop - start)
        finally:
            os.close(fd)
        for p in procs:
            p.join()
        _check(procs, errors)
        return offset
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join()


def _follow(
    fd: int, offset: int, stop: int, buffer: bytearray, follow: Callable[[memoryview], None]
) -> int:
    view = memoryview(buffer)
    while offset < stop:
        n = os.preadv(fd, [view[: min(len(buffer), stop - offset)]], offset)
        if n <= 0:
            raise OSError(f"short read at offset {offset}")
        follow(view[:n])
        offset += n
    return offset


def _check(procs: list[Any], errors: Any) -> None:
    for p in procs:
        if p.exitcode not in (None, 0):
            try:
                message = errors.get(timeout=1)
            except queue.Empty:
                message = f"exit code {p.exitcode}"
            last = message.strip().splitlines()[-1]
            raise RuntimeError(f"a generator worker failed: {last}")
