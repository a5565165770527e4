"""NDJSON and JSON-array output, plain or gzip, to a file or stdout, from 1 or K processes."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import IO

from .direct import write_parallel, writev_all
from .encode import encode_parts, gzip_member
from .files import DropBehind, Preallocator, file_target, temp_beside
from .parallel import run_blocks
from .spec import DatasetSpec

__all__ = ["TextOutput"]


class _Sink:
    """Appends bytes to a file (reserving space ahead, dropping written pages from the page
    cache behind) or to stdout, hashing them."""

    def __init__(self, fd: int | None, stream: IO[bytes] | None = None) -> None:
        self.fd = fd
        self.stream = stream
        self.digest = hashlib.sha256()
        self.pos = 0
        self.space: Preallocator | None = None
        self.behind: DropBehind | None = None
        if fd is not None and stream is None:
            self.space, self.behind = Preallocator(fd), DropBehind(fd)

    def write(self, parts: Sequence[bytes]) -> None:
        for part in parts:
            self.digest.update(part)
        if self.stream is not None:
            for part in parts:
                self.stream.write(part)
            return
        assert self.fd is not None
        size = sum(len(part) for part in parts)
        if self.space is not None:
            self.space.ensure(self.pos + size)
        writev_all(self.fd, parts)
        self.pos += size
        if self.behind is not None:
            self.behind.reached(self.pos)

    def moved(self, pos: int) -> None:
        """Other processes wrote up to ``pos``; continue from there."""
        assert self.fd is not None
        self.pos = os.lseek(self.fd, pos, os.SEEK_SET)

    def reached(self, end: int) -> None:
        """Other processes wrote (and this one hashed) everything before ``end``."""
        if self.space is not None:
            self.space.ensure(end)
        if self.behind is not None:
            self.behind.reached(end)

    def finish(self) -> None:
        if self.space is not None:
            self.space.finish(self.pos)


def _stdout_sink() -> _Sink:
    sys.stdout.flush()
    stream = sys.stdout.buffer
    stream.flush()
    return _Sink(None, stream)


IN_PLACE = hasattr(os, "pwritev") and hasattr(os, "preadv")
"""Workers write their blocks in place (:mod:`.direct`) where the OS has positioned writes."""


def _encode(spec: DatasetSpec, start: int, stop: int, end: int) -> bytes:
    return b"".join(encode_parts(spec, start, stop, end))


def _spill(data: bytes, path: Path) -> None:
    path.write_bytes(data)


class TextOutput:
    """One text file: ``[`` + blocks + ``]`` for JSON, blocks alone for NDJSON.

    With workers, blocks are written in place by :func:`write_parallel` into the temporary
    file (or, for stdout, into a scratch file that is copied out as it grows).
    """

    def __init__(self, spec: DatasetSpec, out: str) -> None:
        self.spec = spec
        self.target: Path | None = None if out == "-" else Path(out)
        self.tmp: Path | None = None
        if self.target is None:
            self.sink = _stdout_sink()
        else:
            self.target = file_target(out)
            self.fh, self.tmp = temp_beside(self.target)
            self.sink = _Sink(self.fh.fileno())
        if spec.format == "json":
            self._plain(b"[\n")

    def _plain(self, text: bytes) -> None:
        self.sink.write([gzip_member([text])] if self.spec.gzip else [text])

    def write(
        self, ranges: list[tuple[int, int]], end: int, workers: int, advance: Callable[[int], None]
    ) -> None:
        if workers <= 1 or len(ranges) <= 1:
            for start, stop in ranges:
                self.sink.write(encode_parts(self.spec, start, stop, end))
                advance(stop - start)
        elif not IN_PLACE:
            self._parallel_through_files(ranges, end, workers, advance)
        elif self.tmp is not None:
            sink = self.sink
            offset = write_parallel(
                self.spec,
                str(self.tmp),
                sink.pos,
                ranges,
                end,
                workers,
                lambda chunk: sink.digest.update(chunk),
                advance,
                sink.reached,
            )
            sink.moved(offset)
        else:
            self._parallel_to_stdout(ranges, end, workers, advance)

    def _parallel_through_files(
        self, ranges: list[tuple[int, int]], end: int, workers: int, advance: Callable[[int], None]
    ) -> None:
        """Without ``pwritev`` (Windows): workers spill blocks to files, copied here in order."""
        scratch = self.tmp.parent if self.tmp is not None else None
        results = run_blocks(
            _encode, _spill, self.spec, ranges, end, workers=workers, scratch=scratch
        )
        with closing(results):
            for start, stop, spilled in results:
                self.sink.write([spilled.path.read_bytes()])
                advance(stop - start)

    def _parallel_to_stdout(
        self, ranges: list[tuple[int, int]], end: int, workers: int, advance: Callable[[int], None]
    ) -> None:
        fd, scratch = tempfile.mkstemp(prefix=".gcmock-stdout-", suffix=".tmp")
        space, behind = Preallocator(fd), DropBehind(fd)

        def reached(end: int) -> None:
            space.ensure(end)
            behind.reached(end)

        try:
            write_parallel(
                self.spec,
                scratch,
                0,
                ranges,
                end,
                workers,
                lambda chunk: self.sink.write([bytes(chunk)]),
                advance,
                reached,
            )
        finally:
            os.close(fd)
            os.unlink(scratch)

    def commit(self) -> dict[str, str]:
        if self.spec.format == "json":
            self._plain(b"]\n")
        if self.target is None or self.tmp is None:
            if self.sink.stream is not None:
                self.sink.stream.flush()
            return {}
        self.sink.finish()
        self.fh.close()
        os.replace(self.tmp, self.target)
        return {self.target.name: self.sink.digest.hexdigest()}

    def abort(self) -> None:
        if self.tmp is not None:
            self.fh.close()
            self.tmp.unlink(missing_ok=True)
