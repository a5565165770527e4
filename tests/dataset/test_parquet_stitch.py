"""Parquet written in pieces: the stitched file is the data it was given, its metadata agrees
with what pyarrow writes for the same row groups, its bytes do not depend on ``--workers``, and
the processes stay light (workers without pyarrow, the writer without pandas)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import gcmock.dataset.parquet as parquet  # noqa: E402
from gcmock.dataset import DatasetSpec  # noqa: E402
from gcmock.dataset.arrow import block_tables  # noqa: E402
from gcmock.dataset.schema import CONVERSATION_SCHEMA  # noqa: E402
from gcmock.dataset.stitch import StitchedWriter  # noqa: E402
from gcmock.dataset.thrift import decode_struct, encode_struct  # noqa: E402
from gcmock.dataset.wire import encode_block  # noqa: E402
from gcmock.dataset.writer import write_dataset  # noqa: E402
from gcmock.scenarios import SCENARIOS, to_conversation_json  # noqa: E402


def test_json_from_workers_parses_to_the_table_built_from_dicts() -> None:
    """Every scenario: the JSON reader (attributes as key/value lists, rebuilt as maps) gives
    the table ``from_pylist`` gives for the conversations' JSON."""
    mix = tuple((name, 1.0) for name in sorted(SCENARIOS))
    spec = DatasetSpec(seed=5, count=800, mix=mix, world_size="small", format="parquet")
    block = pa.BufferReader(b"".join(encode_block(spec, 0, spec.count, spec.count)))
    table = block_tables(spec, block)["conversations"]
    docs = [to_conversation_json(conv) for conv in spec.conversations(0, spec.count)]
    assert any(p["attributes"] for doc in docs for p in doc["participants"])
    assert table.equals(pa.Table.from_pylist(docs, schema=CONVERSATION_SCHEMA))


def _footer(data: bytes) -> bytes:
    size = int.from_bytes(data[-8:-4], "little")
    return data[-8 - size : -8]


def _chunks(data: bytes) -> list[list[dict[int, Any]]]:
    """Each row group's column metadata, decoded."""
    metadata, _ = decode_struct(_footer(data))
    return [[chunk[3][1] for chunk in group[1][1][1]] for group in metadata[4][1][1]]


SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("note", pa.string()),
        pa.field("at", pa.timestamp("ms", tz="UTC")),
        pa.field("n", pa.int32()),
        pa.field("flag", pa.bool_()),
        pa.field("tags", pa.list_(pa.string())),
        pa.field("attrs", pa.map_(pa.string(), pa.string())),
    ]
)


def _piece(lo: int, hi: int) -> Any:
    """Rows ``lo .. hi - 1``; ``note`` is null in the first rows, long in row 7."""
    rows = range(lo, hi)
    return pa.table(
        {
            "id": [f"c{i:05d}" for i in rows],
            "note": [None if i < 5 else "x" * 5000 if i == 7 else f"n{i % 13}" for i in rows],
            "at": [1_700_000_000_000 - i * 7919 % 1000 for i in rows],
            "n": [(i * 37) % 101 - 50 for i in rows],
            "flag": [i % 3 == 0 for i in rows],
            "tags": [[f"t{j}" for j in range(i % 3)] for i in rows],
            "attrs": [[("k", str(i))] if i % 2 else [] for i in rows],
        },
        schema=SCHEMA,
    )


GROUPS = [[(0, 5), (5, 40), (40, 41)], [(41, 100), (100, 140)]]
"""Two row groups, of three and two pieces; the first piece's notes are all null."""


def _stitched(tmp_path: Path) -> bytes:
    writer = StitchedWriter((tmp_path / "s.parquet").open("wb"), SCHEMA, tmp_path)
    for group in GROUPS:
        for lo, hi in group:
            writer.write(_piece(lo, hi))
        writer.end_row_group()
    writer.close()
    return (tmp_path / "s.parquet").read_bytes()


def _by_pyarrow() -> bytes:
    """The same row groups from pyarrow's own writer, with the options stitching uses."""
    sink = io.BytesIO()
    options = {"compression": "zstd", "use_dictionary": False}
    with pq.ParquetWriter(
        sink, SCHEMA, write_statistics=["id", "note", "at", "n", "flag"], **options
    ) as w:
        for group in GROUPS:
            w.write_table(pa.concat_tables(_piece(lo, hi) for lo, hi in group).combine_chunks())
    return sink.getvalue()


def test_footers_decode_and_encode_to_the_same_bytes() -> None:
    footer = _footer(_by_pyarrow())
    assert encode_struct(decode_struct(footer)[0]) == footer


def test_a_stitched_file_reads_back_as_written(tmp_path: Path) -> None:
    data = _stitched(tmp_path)
    file = pq.ParquetFile(io.BytesIO(data))
    assert file.schema_arrow == SCHEMA
    assert [file.metadata.row_group(i).num_rows for i in range(2)] == [41, 99]
    assert file.read().equals(_piece(0, 140))
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "s.parquet"
    assert duckdb.sql(f"select count(*), max(n) from '{path}'").fetchall() == [(140, 50)]


def test_the_metadata_is_what_pyarrow_writes_for_the_same_row_groups(tmp_path: Path) -> None:
    """Sizes and offsets differ (pages end at pieces); counts, encodings, statistics (min/max
    over the pieces, a bound dropped where one piece could not record it) and level
    histograms do not."""
    ours, theirs = _chunks(_stitched(tmp_path)), _chunks(_by_pyarrow())
    same = {1, 2, 3, 4, 5, 12, 16}  # type, encodings, path, codec, values, statistics, sizes
    for group, expected in zip(ours, theirs, strict=True):
        for chunk, reference in zip(group, expected, strict=True):
            assert {k: chunk[k] for k in same & set(chunk)} == {
                k: reference[k] for k in same & set(reference)
            }
    note = ours[0][1][12][1]  # the first row group's notes: null, then n0..n12 and a long one
    assert 5 not in note and note[6][1] == b"n0"  # max dropped (too long to record), min kept


def test_metadata_it_cannot_merge_is_refused(tmp_path: Path) -> None:
    """A dictionary page per piece could not be one column chunk: refused, not copied wrong."""
    writer = StitchedWriter((tmp_path / "d.parquet").open("wb"), SCHEMA, tmp_path)
    writer.options["use_dictionary"] = True
    with pytest.raises(ValueError, match=r"column metadata fields \[11\]"):
        writer.write(_piece(0, 10))
    writer.abort()


def test_the_file_does_not_depend_on_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several pieces and row groups (sizes made small), one process or three."""
    monkeypatch.setattr(parquet, "PIECE", 2000)
    monkeypatch.setattr(parquet, "ROW_GROUP", 4000)
    for tables in (False, True):
        spec = DatasetSpec(seed=3, count=5500, world_size="small", format="parquet", tables=tables)
        one, two = (tmp_path / f"{tables}-1", tmp_path / f"{tables}-2")
        out = [str(one), str(two)] if tables else [f"{one}.parquet", f"{two}.parquet"]
        files = [write_dataset(spec, path, workers=k) for path, k in zip(out, (1, 2), strict=True)]
        assert list(files[0].values()) == list(files[1].values())  # sha256 of each file
    metadata = pq.ParquetFile(f"{tmp_path}/False-1.parquet").metadata
    groups = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert groups == [4000, 1500]


def test_workers_never_import_pyarrow_and_the_writer_never_imports_pandas(tmp_path: Path) -> None:
    """pyarrow would cost each worker ~40 MB; pandas (which pyarrow imports to convert Python
    objects) the writer ~45 MB."""
    code = (
        "import sys\n"
        "from gcmock.dataset import DatasetSpec\n"
        "from gcmock.dataset.wire import encode_block, spill\n"
        "assert 'pyarrow' not in sys.modules\n"
        "from gcmock.dataset.writer import write_dataset\n"
        "for tables in (False, True):\n"
        "    spec = DatasetSpec(count=1200, world_size='small', format='parquet', tables=tables)\n"
        f"    write_dataset(spec, '{tmp_path}/t' if tables else '{tmp_path}/c.parquet')\n"
        "assert 'pandas' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_writer_that_fails_while_opening_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(parquet, "world_tables", full)
    spec = DatasetSpec(count=10, seed=1, world_size="small", format="parquet", tables=True)
    with pytest.raises(OSError, match="No space"):
        parquet.ParquetOutput(spec, str(tmp_path / "warehouse"), (0, 1))
    assert list(tmp_path.rglob("*")) == []
