"""Parquet output: the nested shape in one file, or the flat tables in a directory.

Needs the ``parquet`` extra (pyarrow). Workers build each block's Arrow tables and spill them;
this process, the only writer, buffers blocks into row groups aligned on multiples of
:data:`ROW_GROUP`, so the files do not depend on ``--workers``.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .arrow import CONVERSATION_TABLES, WORLD_TABLES, block_tables, world_tables
from .files import existing_parent, file_target, temp_beside
from .manifest import file_sha256
from .parallel import Spilled, run_blocks
from .schema import CONVERSATION_SCHEMA, TABLE_SCHEMAS
from .spec import DatasetSpec

__all__ = ["ROW_GROUP", "ParquetOutput", "table_file_name"]

ROW_GROUP = 10_000
"""Conversations per row group; groups start at multiples of it, like blocks."""


def table_file_name(table: str, shard: tuple[int, int]) -> str:
    """``participants.parquet``, or ``participants-00003-of-00008.parquet`` for a shard."""
    index, shards = shard
    return f"{table}.parquet" if shards == 1 else f"{table}-{index:05d}-of-{shards:05d}.parquet"


def _statistics(schema: pa.Schema) -> list[str]:
    """Min/max statistics for top-level scalar columns only: the footer keeps them for every
    row group, and for the ~400 nested leaves they would grow it (and this process) by about
    8 MB per million conversations without helping any query."""
    return [f.name for f in schema if not pa.types.is_nested(f.type)]


def _block(spec: DatasetSpec, start: int, stop: int, end: int) -> dict[str, pa.Table]:
    return block_tables(spec, start, stop)


def _spill(result: dict[str, pa.Table], path: Path) -> None:
    with open(path, "wb") as fh:
        pickle.dump(result, fh, protocol=5)


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
            names = list(CONVERSATION_TABLES) + (list(WORLD_TABLES) if shard[0] == 0 else [])
            schemas = {name: TABLE_SCHEMAS[name] for name in names}
            self.targets = {name: self.root / table_file_name(name, shard) for name in names}
        else:
            target = file_target(out)
            self.root = target.parent
            schemas = {"conversations": CONVERSATION_SCHEMA}
            self.targets = {"conversations": target}
        self.temps: dict[str, Path] = {}
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.buffered: dict[str, list[pa.Table]] = {}
        for name, target in self.targets.items():
            fh, self.temps[name] = temp_beside(target)
            fh.close()
            self.writers[name] = pq.ParquetWriter(
                self.temps[name],
                schemas[name],
                compression="zstd",
                write_statistics=_statistics(schemas[name]),
            )
            self.buffered[name] = []
        if spec.tables and shard[0] == 0:
            for name, table in world_tables(spec.world()).items():
                self.writers[name].write_table(table)

    def write(
        self, ranges: list[tuple[int, int]], end: int, workers: int, advance: Callable[[int], None]
    ) -> None:
        results = run_blocks(
            _block, _spill, self.spec, ranges, end, workers=workers, scratch=self.root
        )
        with closing(results):  # on any error the workers stop and the scratch goes first
            for start, stop, result in results:
                if isinstance(result, Spilled):
                    with open(result.path, "rb") as fh:
                        result = pickle.load(fh)
                for name, table in result.items():
                    self.buffered[name].append(table)
                if stop % ROW_GROUP == 0:
                    self._flush()
                advance(stop - start)

    def _flush(self) -> None:
        for name, tables in self.buffered.items():
            if tables:
                table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
                self.writers[name].write_table(table, row_group_size=max(1, table.num_rows))
                tables.clear()

    def commit(self) -> dict[str, str]:
        self._flush()
        for writer in self.writers.values():
            writer.close()
        files = {}
        for name, target in self.targets.items():
            os.replace(self.temps[name], target)
            files[str(target.relative_to(self.root))] = file_sha256(target)
        return files

    def abort(self) -> None:
        for name, writer in self.writers.items():
            try:
                writer.close()
            finally:
                self.temps[name].unlink(missing_ok=True)
        if self.created_dir is not None and not any(self.created_dir.iterdir()):
            self.created_dir.rmdir()
