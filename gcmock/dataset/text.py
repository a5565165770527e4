"""NDJSON and JSON-array output, plain or gzip, to a file or stdout, from 1 or K processes."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from .direct import write_parallel, writev_all
from .encode import encode_parts, gzip_member
from .files import existing_parent, temp_beside
from .spec import DatasetSpec

__all__ = ["TextOutput"]


class _Sink:
    """Appends bytes to a file descriptor (or a captured stream without one), hashing them."""

    def __init__(self, fd: int | None, stream: IO[bytes] | None = None) -> None:
        self.fd = fd
        self.stream = stream
        self.digest = hashlib.sha256()

    def write(self, parts: Sequence[bytes]) -> None:
        for part in parts:
            self.digest.update(part)
        if self.fd is not None:
            writev_all(self.fd, parts)
        else:
            assert self.stream is not None
            for part in parts:
                self.stream.write(part)


def _stdout_sink() -> _Sink:
    sys.stdout.flush()
    stream = sys.stdout.buffer
    stream.flush()
    try:
        return _Sink(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return _Sink(None, stream)  # a captured stdout (tests)


class TextOutput:
    """One text file: ``[`` + blocks + ``]`` for JSON, blocks alone for NDJSON.

    With workers, blocks are written in place by :func:`write_parallel` into the temporary
    file (or, for stdout, a scratch file that is copied out as it grows).
    """

    def __init__(self, spec: DatasetSpec, out: str) -> None:
        self.spec = spec
        self.target: Path | None = None if out == "-" else Path(out)
        self.tmp: Path | None = None
        if self.target is None:
            self.sink = _stdout_sink()
        else:
            existing_parent(self.target)
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
        elif self.tmp is not None:
            base = os.lseek(self.fh.fileno(), 0, os.SEEK_CUR)
            offset = write_parallel(
                self.spec, str(self.tmp), base, ranges, end, workers, self._hash, advance
            )
            os.lseek(self.fh.fileno(), offset, os.SEEK_SET)
        else:
            self._parallel_to_stdout(ranges, end, workers, advance)

    def _hash(self, chunk: memoryview) -> None:
        self.sink.digest.update(chunk)

    def _parallel_to_stdout(
        self, ranges: list[tuple[int, int]], end: int, workers: int, advance: Callable[[int], None]
    ) -> None:
        fd, scratch = tempfile.mkstemp(prefix=".gcmock-stdout-", suffix=".tmp")
        os.close(fd)
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
            )
        finally:
            os.unlink(scratch)

    def commit(self) -> dict[str, str]:
        if self.spec.format == "json":
            self._plain(b"]\n")
        if self.target is None or self.tmp is None:
            if self.sink.stream is not None:
                self.sink.stream.flush()
            return {}
        self.fh.close()
        os.replace(self.tmp, self.target)
        return {self.target.name: self.sink.digest.hexdigest()}

    def abort(self) -> None:
        if self.tmp is not None:
            self.fh.close()
            self.tmp.unlink(missing_ok=True)
