"""The distributed recipe: a Dask bag over index ranges writes the same bytes as one process."""

from __future__ import annotations

from pathlib import Path

import pytest

db = pytest.importorskip("dask.bag")

from gcmock.dataset import DatasetSpec, render  # noqa: E402
from gcmock.dataset.distributed import split, write_part  # noqa: E402

SPEC = DatasetSpec(seed=12, count=600, world_size="small")


def _write(r: tuple[int, int], directory: str) -> str:
    return write_part(SPEC, *r, directory)


def test_split_covers_the_range_in_order() -> None:
    assert split(10, 4) == [(0, 2), (2, 5), (5, 7), (7, 10)]
    assert split(2, 5) == [(0, 1), (1, 2)]


def test_a_dask_bag_in_worker_processes_writes_the_same_bytes(tmp_path: Path) -> None:
    ranges = split(SPEC.count, 7)
    bag = db.from_sequence(ranges, npartitions=3).map(_write, str(tmp_path))
    paths = bag.compute(scheduler="processes", num_workers=2)
    assert paths == sorted(paths) and len(paths) == 7
    joined = b"".join(Path(p).read_bytes() for p in sorted(tmp_path.glob("part-*.ndjson")))
    assert joined == render(SPEC, 0, SPEC.count)


def test_render_mapped_over_a_bag_is_the_dataset() -> None:
    chunks = db.from_sequence(split(SPEC.count, 5)).map(lambda r: render(SPEC, *r)).compute()
    assert b"".join(chunks) == render(SPEC, 0, SPEC.count)
