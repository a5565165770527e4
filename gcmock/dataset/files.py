"""Temporary files beside their targets: written in full, then renamed into place."""

from __future__ import annotations

import ctypes
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

__all__ = ["Preallocator", "existing_parent", "file_target", "temp_beside"]


def existing_parent(target: Path) -> None:
    """Refuse (``ValueError``) a target whose directory does not exist, before writing."""
    if not target.parent.is_dir():
        raise ValueError(f"output directory does not exist: {target.parent}")


def file_target(out: str) -> Path:
    """``out`` as a file to (re)write: its directory exists and it is not a directory."""
    target = Path(out)
    existing_parent(target)
    if target.is_dir():
        raise ValueError(f"{out} is a directory; give a file name")
    return target


def temp_beside(target: Path) -> tuple[IO[bytes], Path]:
    """A new hidden temporary file beside ``target`` (same file system, so the final rename is
    atomic), with the permissions a plain ``open`` would give it."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    umask = os.umask(0o022)
    os.umask(umask)
    os.chmod(fd, 0o666 & ~umask)
    return os.fdopen(fd, "wb"), Path(name)


_FALLOCATE: Callable[[int, int, int, int], int] | None = None
if sys.platform.startswith("linux"):
    try:
        _libc = ctypes.CDLL(None, use_errno=True)
        _FALLOCATE = _libc.fallocate
        _FALLOCATE.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64)
    except (OSError, AttributeError):
        _FALLOCATE = None


class Preallocator:
    """Reserves disk space ahead of the writes, in large steps.

    On ext4 a write into reserved (unwritten) extents costs a fraction of the kernel time of a
    write that must allocate blocks as it goes, which for gigabytes of output is about a tenth
    of the generator's CPU. Linux's ``fallocate`` is called directly: ``posix_fallocate``
    would write zeros on a file system that cannot reserve space. The file can end up longer
    than its data; :meth:`finish` cuts it back.
    """

    STEP = 256 << 20

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.reserved = 0
        self.enabled = _FALLOCATE is not None

    def ensure(self, end: int) -> None:
        """Make sure space up to ``end`` (plus a step) is reserved."""
        while self.enabled and self.reserved < end + self.STEP:
            assert _FALLOCATE is not None
            if _FALLOCATE(self.fd, 0, self.reserved, self.STEP) != 0:
                self.enabled = False  # unsupported here: plain writes
                return
            self.reserved += self.STEP

    def finish(self, size: int) -> None:
        """Cut the file back to ``size`` bytes of data."""
        if self.reserved:
            os.ftruncate(self.fd, size)


class DropBehind:
    """Lets the kernel drop an output file's pages from memory once they are written and hashed.

    Nobody reads a multi-gigabyte dataset back while it is being generated, yet every page of it
    stayed cached: it pushed out what other programs had in the page cache, and each new page
    cost a first touch. Handing written pages back as the writer goes lets the kernel reuse
    them: on the 2-core VM, kernel time for a million conversations went from 14 s to 3 s and the
    cache holds only the last :data:`LAG` bytes. ``POSIX_FADV_DONTNEED`` starts write-back of
    dirty pages and drops the clean ones, so a page left dirty by one call goes at a later one.
    """

    LAG = 64 << 20
    """Bytes kept behind the write position (a few blocks), which may still be read back."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.enabled = hasattr(os, "posix_fadvise")

    def reached(self, end: int) -> None:
        """Everything before ``end`` is written (and hashed): drop all but the last LAG bytes."""
        if self.enabled and end > self.LAG:
            os.posix_fadvise(self.fd, 0, end - self.LAG, os.POSIX_FADV_DONTNEED)
