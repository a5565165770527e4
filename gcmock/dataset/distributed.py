"""Generating beyond one machine: any engine that maps a function over ranges will do.

:func:`gcmock.dataset.render` is a pure function of (spec, start, stop), so a cluster maps it
(or :func:`write_part`, which stores a range as a part file) over :func:`split` ranges; the part
files, concatenated in name order, are byte-identical to ``gcmock generate``'s NDJSON. With Dask
(the ``dask`` extra)::

    import dask.bag as db
    from gcmock.dataset import DatasetSpec
    from gcmock.dataset.distributed import split, write_part

    spec = DatasetSpec(seed=7, count=10_000_000)
    ranges = split(spec.count, 256)
    paths = db.from_sequence(ranges, npartitions=64).map(
        lambda r: write_part(spec, *r, "out")
    ).compute()
    # cat out/part-*.ndjson == gcmock generate --seed 7 --count 10000000

Spark (``sc.parallelize(ranges).map(...)``) and Ray (``ray.data.from_items(ranges).map(...)``)
call the same functions.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from .encode import render
from .files import temp_beside
from .spec import DatasetSpec

__all__ = ["split", "write_part"]


def split(count: int, parts: int) -> list[tuple[int, int]]:
    """``[0, count)`` as ``parts`` contiguous ranges (empty ones dropped), in order."""
    bounds = [count * k // parts for k in range(parts + 1)]
    return [(lo, hi) for lo, hi in pairwise(bounds) if lo < hi]


def write_part(spec: DatasetSpec, start: int, stop: int, directory: str) -> str:
    """Write conversations ``start .. stop - 1`` as ``part-<start>.ndjson`` (zero-padded, so
    name order is index order), atomically; returns its path."""
    target = Path(directory) / f"part-{start:012d}.ndjson"
    fh, tmp = temp_beside(target)
    with fh:
        fh.write(render(spec, start, stop))
    tmp.replace(target)
    return str(target)
