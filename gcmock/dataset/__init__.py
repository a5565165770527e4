"""Datasets at scale: conversations to NDJSON, JSON or Parquet files, in shards or in parallel.

Everything here is a pure function of a :class:`DatasetSpec` and an index range, so one process,
``--workers K``, ``--shard I/N`` and a Dask bag all produce the same bytes. Parquet needs the
``parquet`` extra (pyarrow); Dask the ``dask`` extra.
"""

from .encode import BLOCK, blocks, render
from .spec import DatasetSpec, shard_range
from .writer import write_dataset

__all__ = ["BLOCK", "DatasetSpec", "blocks", "render", "shard_range", "write_dataset"]
