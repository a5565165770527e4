"""Temporary files beside their targets: written in full, then renamed into place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO

__all__ = ["existing_parent", "temp_beside"]


def existing_parent(target: Path) -> None:
    """Refuse (``ValueError``) a target whose directory does not exist, before writing."""
    if not target.parent.is_dir():
        raise ValueError(f"output directory does not exist: {target.parent}")


def temp_beside(target: Path) -> tuple[IO[bytes], Path]:
    """A new hidden temporary file beside ``target`` (same file system, so the final rename is
    atomic), with the permissions a plain ``open`` would give it."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    umask = os.umask(0o022)
    os.umask(umask)
    os.chmod(fd, 0o666 & ~umask)
    return os.fdopen(fd, "wb"), Path(name)
