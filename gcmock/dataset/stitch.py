"""One Parquet file written a piece at a time, in memory that does not grow with the file.

pyarrow's ``ParquetWriter`` takes a row group as one Arrow table (about 6 KB per nested
conversation) and keeps every row group's metadata in memory until it closes: about 1.1 KB per
leaf column per row group, so 46 MB per million nested conversations (~400 leaves) at 10,000 per
row group. :class:`StitchedWriter` instead has pyarrow write each piece (a few thousand rows) as
a small file of its own, without dictionary pages, and keeps the pages in a scratch file. When a
row group is complete, its pages are copied into the output column by column (a column chunk is
nothing but its pages in a row) and the pieces' footers are merged into the row group's
metadata, which goes to a second scratch file until :meth:`StitchedWriter.close` writes the
footer around it. This process holds one piece and one row group's metadata at a time, so row
groups can be large, and few: a short footer for readers too.

Pages do not span pieces, so the bytes depend on where pieces start (callers cut them at
multiples of a fixed size), and on nothing else.
"""

from __future__ import annotations

import io
import struct
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from .thrift import (
    I16,
    I32,
    I64,
    LIST,
    STOP,
    STRUCT,
    Struct,
    Value,
    decode_struct,
    encode_field_header,
    encode_fields,
    encode_list_header,
    encode_struct,
)

__all__ = ["StitchedWriter"]

_MAGIC = b"PAR1"
_COPY = 1 << 20

# Field ids of parquet.thrift: FileMetaData, RowGroup, ColumnChunk, ColumnMetaData, Statistics.
_NUM_ROWS, _ROW_GROUPS = 3, 4
_COLUMNS, _GROUP_BYTES, _GROUP_ROWS, _GROUP_OFFSET, _GROUP_COMPRESSED, _ORDINAL = 1, 2, 3, 5, 6, 7
_FILE_OFFSET, _META = 2, 3
_ENCODINGS, _VALUES, _UNCOMPRESSED, _COMPRESSED, _PAGE_OFFSET = 2, 5, 6, 7, 9
_STATISTICS, _ENCODING_STATS, _SIZE_STATISTICS = 12, 13, 16
_MAX, _MIN, _NULLS, _MAX_VALUE, _MIN_VALUE, _MAX_EXACT, _MIN_EXACT = 1, 2, 3, 5, 6, 7, 8

_KNOWN = {
    "row group": {_COLUMNS, _GROUP_BYTES, _GROUP_ROWS, _GROUP_OFFSET, _GROUP_COMPRESSED, _ORDINAL},
    "column chunk": {_FILE_OFFSET, _META},
    "column metadata": {1, _ENCODINGS, 3, 4, _VALUES, _UNCOMPRESSED, _COMPRESSED, _PAGE_OFFSET}
    | {_STATISTICS, _ENCODING_STATS, _SIZE_STATISTICS},
    "statistics": {_MAX, _MIN, _NULLS, _MAX_VALUE, _MIN_VALUE, _MAX_EXACT, _MIN_EXACT},
}
"""The fields stitching knows how to merge. Anything else (dictionary pages, page indexes,
bloom filters, encryption) is refused rather than copied wrong."""

_ORDER: dict[int, Callable[[bytes], Any]] = {
    0: bytes,  # BOOLEAN: one byte, false < true
    1: lambda b: int.from_bytes(b, "little", signed=True),  # INT32
    2: lambda b: int.from_bytes(b, "little", signed=True),  # INT64
    4: lambda b: struct.unpack("<f", b)[0],  # FLOAT
    5: lambda b: struct.unpack("<d", b)[0],  # DOUBLE
    6: bytes,  # BYTE_ARRAY (strings): bytewise, unsigned
}
"""How each physical type's statistics compare, to merge the pieces' minimums and maximums."""


def _write_statistics(schema: pa.Schema) -> list[str]:
    """Min/max statistics for top-level scalar columns only: readers skip row groups on them
    (ids and times), and for the ~400 nested leaves they would only lengthen the footer."""
    return [f.name for f in schema if not pa.types.is_nested(f.type)]


def _check(what: str, fields: Struct) -> None:
    extra = set(fields) - _KNOWN[what]
    if extra:
        raise ValueError(f"cannot stitch Parquet {what} fields {sorted(extra)}")


def _int(fields: Struct, field: int) -> int:
    value = fields[field][1]
    assert isinstance(value, int)
    return value


def _struct(fields: Struct, field: int) -> Struct:
    value = fields[field][1]
    assert isinstance(value, dict)
    return value


def _items(fields: Struct, field: int) -> list[Any]:
    value = fields[field][1]
    assert isinstance(value, tuple)
    return value[1]


def _bytes(fields: Struct, field: int) -> bytes:
    value = fields[field][1]
    assert isinstance(value, bytes)
    return value


def _add(into: Struct, other: Struct, *fields: int) -> None:
    for field in fields:
        into[field] = (into[field][0], _int(into, field) + _int(other, field))


def _all_null(statistics: Struct, values: int) -> bool:
    return _NULLS in statistics and _int(statistics, _NULLS) == values


def _merge_statistics(a: Struct, b: Struct, physical: int, values: tuple[int, int]) -> Struct:
    """Statistics of two runs of a column chunk, of ``values`` values each. A bound is kept
    when each run has it or holds only nulls: pyarrow leaves out a bound too long to record,
    and then the merged chunk has none either."""
    _check("statistics", b)
    merged: Struct = {}
    if _NULLS in a and _NULLS in b:
        merged[_NULLS] = a[_NULLS]
        _add(merged, b, _NULLS)
    order = _ORDER.get(physical)
    runs = list(zip((a, b), values, strict=True))
    for value, legacy, exact, pick in (
        (_MAX_VALUE, _MAX, _MAX_EXACT, max),
        (_MIN_VALUE, _MIN, _MIN_EXACT, min),
    ):
        bounded = [s for s in (a, b) if value in s]
        if order and bounded and all(value in s or _all_null(s, n) for s, n in runs):
            chosen = pick(bounded, key=lambda s: order(_bytes(s, value)))
            merged.update(
                (field, chosen[field]) for field in (value, legacy, exact) if field in chosen
            )
    return dict(sorted(merged.items()))


def _merge_counts(a: list[Struct], b: list[Struct]) -> list[Value]:
    """Page encoding statistics: page counts per (page type, encoding), summed."""
    counts: dict[tuple[int, int], Struct] = {}
    for stat in a + b:
        key = (_int(stat, 1), _int(stat, 2))
        if key in counts:
            _add(counts[key], stat, 3)
        else:
            counts[key] = dict(stat)
    merged: list[Value] = list(counts.values())
    return merged


def _merge_sizes(a: Struct, b: Struct) -> Struct:
    """Size statistics: byte counts summed, level histograms summed bucket by bucket."""
    merged = dict(a)
    for field, (kind, _) in b.items():
        if kind == LIST:
            pairs = zip(_items(merged, field), _items(b, field), strict=True)
            merged[field] = (LIST, (I64, [x + y for x, y in pairs]))
        else:
            _add(merged, b, field)
    return merged


def _merge_chunk(a: Struct, b: Struct) -> None:
    """Fold column metadata ``b`` (the next run of pages) into ``a``."""
    values = (_int(a, _VALUES), _int(b, _VALUES))
    encodings = _items(a, _ENCODINGS) + _items(b, _ENCODINGS)
    a[_ENCODINGS] = (LIST, (I32, list(dict.fromkeys(encodings))))
    if _STATISTICS in a and _STATISTICS in b:
        physical = _int(a, 1)
        merged = _merge_statistics(
            _struct(a, _STATISTICS), _struct(b, _STATISTICS), physical, values
        )
        a[_STATISTICS] = (STRUCT, merged)
    else:
        a.pop(_STATISTICS, None)
    if _ENCODING_STATS in a and _ENCODING_STATS in b:
        counts = _merge_counts(_items(a, _ENCODING_STATS), _items(b, _ENCODING_STATS))
        a[_ENCODING_STATS] = (LIST, (STRUCT, counts))
    else:
        a.pop(_ENCODING_STATS, None)
    if _SIZE_STATISTICS in a and _SIZE_STATISTICS in b:
        sizes = _merge_sizes(_struct(a, _SIZE_STATISTICS), _struct(b, _SIZE_STATISTICS))
        a[_SIZE_STATISTICS] = (STRUCT, sizes)
    else:
        a.pop(_SIZE_STATISTICS, None)
    _add(a, b, _VALUES, _UNCOMPRESSED, _COMPRESSED)


def _copy(src: IO[bytes], dst: IO[bytes], offset: int, size: int) -> None:
    """Append ``size`` bytes of ``src`` from ``offset`` to ``dst``."""
    src.seek(offset)
    while size:
        chunk = src.read(min(size, _COPY))
        if not chunk:
            raise EOFError("a stitched Parquet scratch file ended early")
        dst.write(chunk)
        size -= len(chunk)


class StitchedWriter:
    """A Parquet file of ``schema`` written to ``out`` (which it closes): :meth:`write` pieces,
    :meth:`end_row_group` after each row group, then :meth:`close`. Its two scratch files
    (deleted on close, unnamed where the system allows) go in ``scratch``."""

    def __init__(self, out: IO[bytes], schema: pa.Schema, scratch: Path) -> None:
        self.schema = schema
        self.options = {
            "compression": "zstd",
            "use_dictionary": False,  # a column chunk has at most one dictionary page
            "write_statistics": _write_statistics(schema),
        }
        empty = io.BytesIO()
        with pq.ParquetWriter(empty, schema, **self.options):
            pass
        self.template = _read_footer(empty)
        self.files = ExitStack()
        self.out = self.files.enter_context(out)
        # Both live as long as this writer, which closes them in close() or abort().
        self.pages = self.files.enter_context(tempfile.TemporaryFile(dir=scratch))  # noqa: SIM115
        self.groups = self.files.enter_context(tempfile.TemporaryFile(dir=scratch))  # noqa: SIM115
        self.out.write(_MAGIC)
        self.group: Struct = {}
        self.runs: list[list[tuple[int, int]]] = []
        self.row_groups = self.rows = 0

    def write(self, table: pa.Table) -> None:
        """Add ``table``'s rows to the row group being written."""
        if not table.num_rows:
            return
        base = self.pages.tell()  # pyarrow counts offsets from where it starts writing
        with pq.ParquetWriter(self.pages, self.schema, **self.options) as writer:
            writer.write_table(table, row_group_size=table.num_rows)
        (group,) = _items(_read_footer(self.pages), _ROW_GROUPS)
        _check("row group", group)
        chunks = _items(group, _COLUMNS)
        first = not self.group
        if first:
            self.group = group
            self.runs = [[] for _ in chunks]
        else:
            _add(self.group, group, _GROUP_BYTES, _GROUP_ROWS, _GROUP_COMPRESSED)
        for chunk, merged, runs in zip(
            chunks, _items(self.group, _COLUMNS), self.runs, strict=True
        ):
            _check("column chunk", chunk)
            meta = _struct(chunk, _META)
            _check("column metadata", meta)
            runs.append((base + _int(meta, _PAGE_OFFSET), _int(meta, _COMPRESSED)))
            if not first:
                _merge_chunk(_struct(merged, _META), meta)

    def end_row_group(self) -> None:
        """Copy the row group's pages into the file, column by column; keep its metadata."""
        if not self.group:
            return
        for chunk, runs in zip(_items(self.group, _COLUMNS), self.runs, strict=True):
            start = self.out.tell()
            _struct(chunk, _META)[_PAGE_OFFSET] = (I64, start)
            if _int(chunk, _FILE_OFFSET):  # deprecated; pyarrow writes 0, older writers the start
                chunk[_FILE_OFFSET] = (I64, start)
            for offset, size in runs:
                _copy(self.pages, self.out, offset, size)
        first = _struct(_items(self.group, _COLUMNS)[0], _META)
        self.group[_GROUP_OFFSET] = (I64, _int(first, _PAGE_OFFSET))
        if _ORDINAL in self.group:
            self.group[_ORDINAL] = (I16, self.row_groups)
        self.groups.write(encode_struct(self.group))
        self.row_groups += 1
        self.rows += _int(self.group, _GROUP_ROWS)
        self.group, self.runs = {}, []
        self.pages.seek(0)
        self.pages.truncate()

    def close(self) -> None:
        """End the last row group and write the footer: the metadata of an empty file of the
        schema (schema, key-value metadata, writer) with the row groups streamed in."""
        self.end_row_group()
        start = self.out.tell()
        last = 0
        for field, (kind, value) in self.template.items():
            if field == _ROW_GROUPS:
                self.out.write(encode_field_header(field, LIST, last))
                self.out.write(encode_list_header(STRUCT, self.row_groups))
                _copy(self.groups, self.out, 0, self.groups.tell())
            else:
                self.out.write(
                    encode_fields({field: (kind, self.rows if field == _NUM_ROWS else value)}, last)
                )
            last = field
        self.out.write(STOP)
        self.out.write(struct.pack("<i", self.out.tell() - start) + _MAGIC)
        self.abort()

    def abort(self) -> None:
        """Close every file (the caller removes the output if it is not to be kept)."""
        self.files.close()


def _read_footer(fh: IO[bytes]) -> Struct:
    """The metadata of the Parquet file that ends where ``fh`` is."""
    end = fh.tell()
    fh.seek(end - 8)
    size = int.from_bytes(fh.read(4), "little")
    fh.seek(end - 8 - size)
    metadata = decode_struct(fh.read(size))[0]
    fh.seek(end)
    return metadata
