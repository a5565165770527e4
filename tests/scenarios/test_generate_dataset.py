"""Datasets as a pure function of (spec, index range): blocks, gzip members, spec checks."""

from __future__ import annotations

import gzip

import orjson
import pytest

from gcmock.dataset import BLOCK, DatasetSpec, blocks, render, shard_range
from gcmock.dataset.encode import encode_parts
from gcmock.scenarios import validate

SPEC = DatasetSpec(seed=6, count=2500, world_size="small")


def test_rendering_in_pieces_gives_the_bytes_of_the_whole() -> None:
    whole = render(SPEC, 0, 2500)
    pieces = b"".join(render(SPEC, lo, hi) for lo, hi in ((0, 1), (1, 999), (999, 2500)))
    assert pieces == whole
    assert whole.count(b"\n") == 2500


def test_blocks_are_cut_at_multiples_of_the_block_size() -> None:
    assert list(blocks(0, 0)) == []
    assert list(blocks(10, 2 * BLOCK + 5)) == [
        (10, BLOCK),
        (BLOCK, 2 * BLOCK),
        (2 * BLOCK, 2 * BLOCK + 5),
    ]


def test_shards_are_contiguous_and_cover_the_count() -> None:
    assert [shard_range(10, i, 3) for i in range(3)] == [(0, 3), (3, 6), (6, 10)]
    with pytest.raises(ValueError, match="shard"):
        shard_range(10, 3, 3)


def test_gzip_blocks_are_members_of_one_gzip_stream() -> None:
    packed = DatasetSpec(seed=6, count=2500, world_size="small", gzip=True)
    members = [b"".join(encode_parts(packed, lo, hi, 2500)) for lo, hi in blocks(0, 2500)]
    assert gzip.decompress(b"".join(members)) == render(SPEC, 0, 2500)


def test_json_items_end_with_a_comma_except_the_last() -> None:
    array = DatasetSpec(seed=6, count=3, world_size="small", format="json")
    body = b"".join(encode_parts(array, 0, 2, 3)) + b"".join(encode_parts(array, 2, 3, 3))
    items = orjson.loads(b"[" + body + b"]")
    assert [validate(item, skew_ms=0) for item in items] == [[], [], []]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"count": -1}, "count must be >= 0"),
        ({"days": 0}, "days must be > 0"),
        ({"mix": (("nope", 1.0),)}, "unknown scenario 'nope'"),
        ({"tables": True}, "--tables needs --format parquet"),
        ({"format": "parquet", "shape": "call"}, "writes the conversation shape"),
        ({"format": "parquet", "gzip": True}, "drop .gz"),
        ({"world_size": "huge"}, "unknown world size"),
    ],
)
def test_a_spec_that_cannot_be_written_is_refused(fields: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        DatasetSpec(**fields)  # type: ignore[arg-type]


def test_shapes_project_the_same_conversations() -> None:
    calls = render(DatasetSpec(seed=6, count=50, world_size="small", shape="call"), 0, 50)
    nested = render(DatasetSpec(seed=6, count=50, world_size="small"), 0, 50)
    ids = [orjson.loads(line)["id"] for line in nested.splitlines()]
    assert [orjson.loads(line)["id"] for line in calls.splitlines()] == ids
