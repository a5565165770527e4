"""Parquet output: the nested shape in one file, or the flat tables in a directory.

Needs the ``parquet`` extra (pyarrow), in this process only: workers send each block as JSON
(:mod:`gcmock.dataset.wire`), which this process, the only writer, parses into Arrow
(:mod:`gcmock.dataset.arrow`) and writes through :class:`~gcmock.dataset.stitch.StitchedWriter`
in pieces of :data:`PIECE` conversations, row groups of :data:`ROW_GROUP`. Pieces and row
groups start at multiples of their sizes, so the files do not depend on ``--workers``; and
memory does not grow with the count: this process holds at most a piece's Arrow data, the
workers a block each.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

# Arrow's own allocator (mimalloc) keeps ~35 MB more of what the JSON reader and the Parquet
# writer free than malloc does (measured: 176 vs 141 MB for this process). Arrow reads the
# choice when pyarrow is first imported, so it is made here, unless the user made it.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

import pyarrow as pa

from .arrow import block_tables, world_tables
from .files import existing_parent, file_target, temp_beside
from .manifest import file_sha256
from .parallel import Spilled, run_blocks
from .schema import CONVERSATION_SCHEMA, TABLE_SCHEMAS
from .spec import DatasetSpec
from .stitch import StitchedWriter
from .wire import WORLD_TABLES, block_table_names, encode_block, spill

__all__ = ["PIECE", "ROW_GROUP", "ParquetOutput", "table_file_name"]

ROW_GROUP = 100_000
"""Conversations per row group (about 80 MB of nested Parquet): few row groups keep the
footer short, which readers hold in memory (~0.5 MB per row group of the nested shape)."""

PIECE = 5_000
"""Conversations this process turns into Arrow and hands pyarrow at once (~30 MB nested); a
multiple of the block size that divides :data:`ROW_GROUP`. Pages do not span pieces, so
smaller pieces compress worse: +2 % at 5,000 and +7 % at 2,000 against 10,000."""


def table_file_name(table: str, shard: tuple[int, int]) -> str:
    """``participants.parquet``, or ``participants-00003-of-00008.parquet`` for a shard."""
    index, shards = shard
    return f"{table}.parquet" if shards == 1 else f"{table}-{index:05d}-of-{shards:05d}.parquet"


class ParquetOutput:
    def __init__(self, spec: DatasetSpec, out: str, shard: tuple[int, int]) -> None:
        if out == "-":
            raise ValueError("Parquet cannot go to stdout: give --out a file or directory")
        self.spec = spec
        self.created_dir: Path | None = None
        if spec.tables:
            self.root = Path(out)
            existing_parent(self.root)
            if self.root.exists() and not self.root.is_dir():
                raise ValueError(f"--tables writes a directory, and {out} is a file")
            if not self.root.exists():
                self.root.mkdir()
                self.created_dir = self.root
            names = list(block_table_names(spec)) + (list(WORLD_TABLES) if shard[0] == 0 else [])
            schemas = {name: TABLE_SCHEMAS[name] for name in names}
            self.targets = {name: self.root / table_file_name(name, shard) for name in names}
        else:
            target = file_target(out)
            self.root = target.parent
            schemas = {"conversations": CONVERSATION_SCHEMA}
            self.targets = {"conversations": target}
        self.temps: dict[str, Path] = {}
        self.in_group = 0
        """Conversations written since the last row group ended (simulated days)."""
        self.writers: dict[str, StitchedWriter] = {}
        self.buffered: dict[str, list[pa.Table]] = {name: [] for name in self.targets}
        try:
            for name, target in self.targets.items():
                fh, self.temps[name] = temp_beside(target)
                try:
                    self.writers[name] = StitchedWriter(fh, schemas[name], self.root)
                except BaseException:
                    fh.close()
                    raise
            if spec.tables and shard[0] == 0:
                for name, table in world_tables(spec.world()).items():
                    self.writers[name].write(table)
        except BaseException:  # nothing half-made stays behind (the writer aborts only later)
            self.abort()
            raise

    def write(
        self, ranges: list[tuple[int, int]], end: int, workers: int, advance: Callable[[int], None]
    ) -> None:
        results = run_blocks(
            encode_block, spill, self.spec, ranges, end, workers=workers, scratch=self.root
        )
        with closing(results):  # on any error the workers stop and the scratch goes first
            for start, stop, result in results:
                if isinstance(result, Spilled):  # parsed where it lies, in the page cache
                    block = pa.memory_map(str(result.path))
                else:
                    block = pa.BufferReader(b"".join(result))
                with block:
                    for name, table in block_tables(self.spec, block).items():
                        self.buffered[name].append(table)
                if self.spec.simulate:  # blocks are days: each a piece
                    self.in_group += stop - start
                    ends = self.in_group >= ROW_GROUP
                    self._flush(row_group_ends=ends)
                    if ends:
                        self.in_group = 0
                elif stop % PIECE == 0:
                    self._flush(row_group_ends=stop % ROW_GROUP == 0)
                # What the JSON reader and the writer freed goes back to the system now,
                # before the next block is read (for malloc this is malloc_trim).
                pa.default_memory_pool().release_unused()
                advance(stop - start)

    def _flush(self, row_group_ends: bool) -> None:
        for name, tables in self.buffered.items():
            if tables:
                self.writers[name].write(pa.concat_tables(tables))
                tables.clear()
            if row_group_ends:
                self.writers[name].end_row_group()

    def commit(self) -> dict[str, str]:
        self._flush(row_group_ends=True)
        for writer in self.writers.values():
            writer.close()
        files = {}
        for name, target in self.targets.items():
            os.replace(self.temps[name], target)
            files[str(target.relative_to(self.root))] = file_sha256(target)
        return files

    def abort(self) -> None:
        for name, temp in self.temps.items():
            writer = self.writers.get(name)
            try:
                if writer is not None:
                    writer.abort()
            finally:
                temp.unlink(missing_ok=True)
        if self.created_dir is not None and not any(self.created_dir.iterdir()):
            self.created_dir.rmdir()
