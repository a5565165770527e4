"""Blocks from the workers, and the world, as Arrow tables for the Parquet files.

A block arrives as JSON (:mod:`gcmock.dataset.wire`) and Arrow's JSON reader, told the schema,
turns it into columns in C++: about 55 us per nested conversation, two thirds of what building
them from Python dicts costs, and the workers need not load pyarrow. One block parses into one
chunk per column whether it came from a worker's file or from this process, so the tables, and
the files, do not depend on ``--workers``.
"""

from __future__ import annotations

from functools import cache

import pyarrow as pa
import pyarrow.json as pj

from gcmock.scenarios import World

from .schema import CONVERSATION_SCHEMA, TABLE_SCHEMAS
from .spec import DatasetSpec
from .wire import WORLD_TABLES, block_table_names, encode_world

__all__ = ["block_tables", "world_tables"]


def _wire_type(t: pa.DataType) -> pa.DataType:
    """``t`` as the JSON reader is asked for it: maps as lists of key/value structs."""
    if pa.types.is_map(t):
        return pa.list_(pa.struct([t.key_field, t.item_field]))
    if pa.types.is_list(t):
        return pa.list_(t.value_field.with_type(_wire_type(t.value_type)))
    if pa.types.is_struct(t):
        return pa.struct([f.with_type(_wire_type(f.type)) for f in t])
    return t


def _flat_type(t: pa.DataType) -> pa.DataType:
    """A flat table's column as the JSON holds it: times are epoch milliseconds."""
    return pa.int64() if pa.types.is_timestamp(t) else t


_NESTED = pj.ParseOptions(
    explicit_schema=pa.schema([f.with_type(_wire_type(f.type)) for f in CONVERSATION_SCHEMA]),
    unexpected_field_behavior="ignore",  # like building from dicts; a test proves none is lost
)


@cache
def _flat_options(names: tuple[str, ...]) -> pj.ParseOptions:
    """Tables ``names`` as one JSON object of positional columns (:mod:`~.wire`)."""
    tables = [
        pa.field(
            name,
            pa.struct(
                pa.field(str(i), pa.list_(_flat_type(f.type)))
                for i, f in enumerate(TABLE_SCHEMAS[name])
            ),
        )
        for name in names
    ]
    return pj.ParseOptions(explicit_schema=pa.schema(tables), unexpected_field_behavior="error")


def block_tables(spec: DatasetSpec, block: pa.NativeFile) -> dict[str, pa.Table]:
    """A block (:func:`gcmock.dataset.wire.encode_block`, in a file or buffer opened for
    reading): the nested table, or the four flat ones."""
    if spec.tables:
        return _flat_tables(block, block_table_names(spec))
    parsed = _read(block, _NESTED)
    columns = [
        _retype(column.chunk(0), field.type)
        for column, field in zip(parsed.columns, CONVERSATION_SCHEMA, strict=True)
    ]
    return {"conversations": pa.Table.from_arrays(columns, schema=CONVERSATION_SCHEMA)}


def world_tables(world: World) -> dict[str, pa.Table]:
    """The world's users, queues and wrap-up codes, for joining on the ids in the tables."""
    return _flat_tables(pa.BufferReader(encode_world(world)), WORLD_TABLES)


def _read(source: pa.NativeFile, options: pj.ParseOptions) -> pa.Table:
    """Parsed on this thread, in one piece (one chunk per column): the workers have the
    other cores, and the chunks do not depend on where the data came from."""
    reading = pj.ReadOptions(use_threads=False, block_size=source.size() + 1)
    return pj.read_json(source, read_options=reading, parse_options=options)


def _flat_tables(source: pa.NativeFile, names: tuple[str, ...]) -> dict[str, pa.Table]:
    row = _read(source, _flat_options(names))
    return {name: _flat(row.column(name).chunk(0), TABLE_SCHEMAS[name]) for name in names}


def _retype(array: pa.Array, target: pa.DataType) -> pa.Array:
    """``array``, as parsed from JSON (so starting at offset 0), as ``target``, sharing its
    buffers: only maps differ, and a map is a list of key/value structs in memory."""
    if array.type == target:
        return array
    if pa.types.is_map(target):
        entries = pa.struct([target.key_field, target.item_field])
        children = [_retype(array.values, entries)]
    elif pa.types.is_list(target):
        children = [_retype(array.values, target.value_type)]
    else:
        children = [_retype(array.field(i), f.type) for i, f in enumerate(target)]
    own = array.buffers()[: 1 if pa.types.is_struct(target) else 2]  # validity (and offsets)
    return pa.Array.from_buffers(target, len(array), own, array.null_count, array.offset, children)


def _flat(row: pa.StructArray, schema: pa.Schema) -> pa.Table:
    """A flat table from its one-row JSON object of columns (a missing one is a length error)."""
    columns = [row.field(i).flatten() for i in range(len(schema))]
    return pa.Table.from_arrays(
        [c if c.type == f.type else c.cast(f.type) for c, f in zip(columns, schema, strict=True)],
        schema=schema,
    )
