"""Parquet: the nested shape round-trips through pyarrow without losing a field, and the flat
tables keep their declared names and types and agree with the JSON."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from gcmock.dataset import DatasetSpec  # noqa: E402
from gcmock.dataset.arrow import block_tables  # noqa: E402
from gcmock.dataset.schema import CONVERSATION_SCHEMA, TABLE_SCHEMAS  # noqa: E402
from gcmock.dataset.wire import USER_TABLES, encode_block  # noqa: E402
from gcmock.dataset.writer import write_dataset  # noqa: E402
from gcmock.scenarios import (  # noqa: E402
    SCENARIOS,
    GeneratorOptions,
    build_world,
    conversation_rng,
    run_scenario,
    to_conversation_json,
)

WORLD = build_world(8, "small")
T0 = GeneratorOptions().start_ms


def _strip(value: Any, path: str = "") -> Any:
    """Arrow's view of JSON: absent keys read back as None, maps as (key, value) pairs."""
    if isinstance(value, dict):
        return {k: _strip(v, f"{path}.{k}") for k, v in value.items() if v is not None}
    if isinstance(value, list):
        if path.endswith(".attributes"):
            return dict(value)
        return [_strip(v, path) for v in value]
    return value


def _every_scenario() -> list[dict[str, Any]]:
    """Every scenario, ended and stopped midway (live, held, in ACW...)."""
    docs = []
    for name in sorted(SCENARIOS):
        for seed in range(12):
            horizon = None if seed % 2 else T0 + seed * 97_000
            conv = run_scenario(name, WORLD, conversation_rng(seed, 4), T0, horizon=horizon)
            docs.append(to_conversation_json(conv))
    return docs


def test_every_field_of_every_scenario_survives_the_nested_schema() -> None:
    """Arrow silently drops struct keys a schema does not declare: this catches any."""
    docs = _every_scenario()
    table = pa.Table.from_pylist(docs, schema=CONVERSATION_SCHEMA)
    back = [_strip(row) for row in table.to_pylist()]
    for doc, row in zip(docs, back, strict=True):
        assert row == doc, doc["id"]


def test_the_nested_file_reads_back_with_the_declared_schema(tmp_path: Path) -> None:
    spec = DatasetSpec(seed=8, count=1200, world_size="small", format="parquet")
    write_dataset(spec, str(tmp_path / "c.parquet"))
    file = pq.ParquetFile(tmp_path / "c.parquet")
    assert file.schema_arrow == CONVERSATION_SCHEMA
    assert file.metadata.num_row_groups == 1 and file.metadata.num_rows == 1200
    rows = file.read().slice(1100).to_pylist()
    expected = [to_conversation_json(c) for c in spec.conversations(1100, 1200)]
    assert [_strip(r) for r in rows] == expected


EXPECTED_COLUMNS = {
    "conversations": "conversation_id:string! start_time:timestamp[ms, tz=UTC]! "
    "end_time:timestamp[ms, tz=UTC] media_type:string! originating_direction:string! "
    "address:string external_tag:string recording_state:string! division_ids:list<item: "
    "string>! participant_count:int32! transfer_count:int32! scenario:string",
    "segments": "conversation_id:string! participant_id:string! communication_id:string! "
    "ordinal:int32! segment_type:string! start_time:timestamp[ms, tz=UTC]! "
    "end_time:timestamp[ms, tz=UTC] how_ended:string disconnect_type:string conference:bool!",
}
"""The contract, spelled out: a renamed or retyped column must fail here first."""


def _columns(schema: Any) -> str:
    return " ".join(f"{f.name}:{f.type}{'' if f.nullable else '!'}" for f in schema)


@pytest.mark.parametrize("table", sorted(EXPECTED_COLUMNS))
def test_table_columns_are_stable(table: str) -> None:
    assert _columns(TABLE_SCHEMAS[table]) == EXPECTED_COLUMNS[table]


def test_tables_agree_with_the_json(tmp_path: Path) -> None:
    spec = DatasetSpec(seed=8, count=300, world_size="small", format="parquet", tables=True)
    write_dataset(spec, str(tmp_path / "t"))
    names = [name for name in TABLE_SCHEMAS if name not in USER_TABLES]  # simulated only
    read = {name: pq.read_table(tmp_path / "t" / f"{name}.parquet") for name in names}
    assert not (tmp_path / "t" / "user_presence.parquet").exists()
    for name, table in read.items():
        assert table.schema == TABLE_SCHEMAS[name], name
    docs = [to_conversation_json(c) for c in spec.conversations(0, 300)]
    parts = [p for d in docs for p in d["participants"]]
    comms = [c for p in parts for key in ("calls", "emails", "messages", "chats") for c in p[key]]
    assert read["conversations"].column("conversation_id").to_pylist() == [d["id"] for d in docs]
    assert read["participants"].column("participant_id").to_pylist() == [p["id"] for p in parts]
    states = dict(
        zip(
            read["communications"].column("communication_id").to_pylist(),
            read["communications"].column("state").to_pylist(),
            strict=True,
        )
    )
    assert all(states[c["id"]] == c["state"] for c in comms)
    from_json = {
        c["id"]: [_segment_row(s) for s in c["segments"]]
        for p in parts
        for c in _media(p)
        if "segments" in c  # videos have none in the nested model; the table keeps them
    }
    from_table: dict[str, list[tuple[Any, ...]]] = {}
    for row in read["segments"].to_pylist():
        from_table.setdefault(row["communication_id"], []).append(
            (
                row["segment_type"],
                iso(row["start_time"]),
                row["end_time"] and iso(row["end_time"]),
                row["how_ended"],
                row["disconnect_type"],
            )
        )
    assert {k: from_table.get(k, []) for k in from_json} == from_json
    assert read["users"].num_rows == len(spec.world().users)


def _media(participant: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for v in participant.values() if isinstance(v, list) for c in v if "state" in c]


def _segment_row(s: dict[str, Any]) -> tuple[Any, ...]:
    return (s["type"], s["startTime"], s.get("endTime"), s.get("howEnded"), s.get("disconnectType"))


def iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def test_duckdb_joins_the_tables(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    spec = DatasetSpec(seed=8, count=200, world_size="small", format="parquet", tables=True)
    write_dataset(spec, str(tmp_path / "t"))
    rows = duckdb.sql(
        f"""select q.name, count(*) from '{tmp_path}/t/participants.parquet' p
            join '{tmp_path}/t/queues.parquet' q using (queue_id)
            where p.purpose = 'agent' group by 1"""
    ).fetchall()
    assert sum(n for _, n in rows) == sum(
        p.purpose == "agent" and p.queue_id is not None
        for c in spec.conversations(0, 200)
        for p in c.participants
    )


def test_pandas_reads_the_nested_file_and_the_tables(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    spec = DatasetSpec(seed=8, count=120, world_size="small", format="parquet")
    write_dataset(spec, str(tmp_path / "c.parquet"))
    frame = pd.read_parquet(tmp_path / "c.parquet")
    assert list(frame["id"]) == [c.id for c in spec.conversations(0, 120)]
    tables = DatasetSpec(seed=8, count=120, world_size="small", format="parquet", tables=True)
    write_dataset(tables, str(tmp_path / "t"))
    segments = pd.read_parquet(tmp_path / "t" / "segments.parquet")
    assert len(segments) == sum(
        len(comm.segments)
        for c in tables.conversations(0, 120)
        for p in c.participants
        for comm in p.comms
    )


def test_block_tables_are_a_pure_function_of_the_range() -> None:
    spec = DatasetSpec(seed=8, count=100, world_size="small", format="parquet", tables=True)

    def segments(lo: int, hi: int) -> Any:
        block = pa.BufferReader(b"".join(encode_block(spec, lo, hi, spec.count)))
        return block_tables(spec, block)["segments"]

    parts = [segments(lo, hi) for lo, hi in ((0, 40), (40, 100))]
    assert pa.concat_tables(parts).equals(segments(0, 100))
