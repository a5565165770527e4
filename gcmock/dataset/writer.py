"""Write one dataset file (or table directory) atomically, then its manifest.

Data goes to temporary names beside the targets and is renamed only when every block is
written, so an error or Ctrl-C leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from .encode import blocks
from .manifest import manifest, manifest_path, write_manifest
from .progress import Progress
from .spec import DatasetSpec
from .text import TextOutput

__all__ = ["write_dataset"]


class _Output(Protocol):
    def write(
        self, ranges: list[tuple[int, int]], end: int, workers: int, advance: Callable[[int], None]
    ) -> None:
        """Write the blocks ``ranges`` of a file ending at index ``end``, in order."""

    def commit(self) -> dict[str, str]:
        """Move the files into place; return their names (relative to the manifest) and sha256."""

    def abort(self) -> None:
        """Remove every temporary file."""


def _open(spec: DatasetSpec, out: str, shard: tuple[int, int]) -> _Output:
    if spec.format == "parquet":
        from .parquet import ParquetOutput

        return ParquetOutput(spec, out, shard)
    return TextOutput(spec, out)


def write_dataset(
    spec: DatasetSpec,
    out: str,
    *,
    shard: tuple[int, int] = (0, 1),
    workers: int = 1,
    command: Sequence[str] = (),
    progress: Progress | None = None,
) -> dict[str, str]:
    """Write shard ``shard`` of ``spec`` to ``out`` (``-`` is stdout) and its manifest.

    Returns the files written (names relative to the manifest) with their sha256. Raises
    ``ValueError`` for an unusable output path before anything is written. With ``workers``
    above 1, call it under ``if __name__ == "__main__":`` (workers are spawned).
    """
    start, stop = spec.shard(*shard)
    output = _open(spec, out, shard)
    advance = progress.advance if progress is not None else (lambda n: None)
    try:
        ranges = spec.day_ranges(start, stop) if spec.simulate else blocks(start, stop)
        output.write(list(ranges), stop, workers, advance)
        files = output.commit()
    except BaseException:
        output.abort()
        raise
    if out != "-":
        root = Path(out) if spec.tables else Path(out).parent
        document = manifest(spec, list(command), shard, (start, stop), files)
        write_manifest(manifest_path(root, shard), document)
    return files
