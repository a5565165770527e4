"""Simulated datasets (``--simulate day``): whole days, exactly ``count`` conversations, the
same bytes whatever the shards and workers, and no user on two calls at once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from gcmock.cli import main
from gcmock.dataset import DatasetSpec, render, write_dataset
from gcmock.dataset.spec import day_bounds, simulated_day
from gcmock.scenarios.engine.agents import can_take
from gcmock.scenarios.validate.rules_users import UserRules

SPEC = DatasetSpec(seed=3, count=2500, world_size="small", simulate=True)


def test_a_simulated_dataset_is_cut_into_whole_days() -> None:
    bounds = day_bounds(SPEC)
    assert bounds[0] == 0 and bounds[-1] == SPEC.count
    assert len(bounds) > 3 and bounds == sorted(bounds)
    ranges = list(SPEC.day_ranges(0, SPEC.count))
    assert [lo for lo, _ in ranges] == bounds[:-1]
    assert SPEC.shard(0, 2)[1] in bounds and SPEC.shard(1, 2) == (SPEC.shard(0, 2)[1], 2500)


def test_exactly_count_conversations_in_day_then_time_order() -> None:
    lines = render(SPEC, 0, SPEC.count).splitlines()
    assert len(lines) == SPEC.count
    rules = UserRules(lambda media, load: can_take(media, load))
    for line in lines:
        rules.add(orjson.loads(line))
    assert rules.finish() == []


def test_pieces_shards_and_workers_give_the_same_bytes(tmp_path: Path) -> None:
    whole = render(SPEC, 0, SPEC.count)
    cut = SPEC.shard(0, 3)[1] + 17
    assert render(SPEC, 0, cut) + render(SPEC, cut, SPEC.count) == whole
    parts = []
    for i in range(3):
        out = tmp_path / f"s{i}.ndjson"
        write_dataset(SPEC, str(out), shard=(i, 3))
        parts.append(out.read_bytes())
    assert b"".join(parts) == whole
    out = tmp_path / "w.ndjson"
    write_dataset(SPEC, str(out), workers=2)
    assert out.read_bytes() == whole
    manifest = orjson.loads((tmp_path / "manifest.json").read_bytes())
    assert manifest["simulate"] == "day"


def test_count_is_a_prefix_of_a_larger_count() -> None:
    smaller = DatasetSpec(seed=3, count=900, world_size="small", simulate=True)
    assert render(smaller, 0, 900) == render(SPEC, 0, 900)


def test_tables_hold_every_users_presence_and_routing_status(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    spec = replace(SPEC, count=1200, format="parquet", tables=True)
    write_dataset(spec, str(tmp_path / "w"))
    one = tmp_path / "w"
    presence = duckdb.sql(f"select * from '{one}/user_presence.parquet'").fetchall()
    routing = duckdb.sql(f"select * from '{one}/user_routing_status.parquet'").fetchall()
    days = len(day_bounds(spec)) - 1
    expected_p = sum(len(s) for d in range(days) for s in simulated_day(spec, d).presence.values())
    assert len(presence) == expected_p > 0 and len(routing) > 0
    assert {r[3] for r in presence} >= {"On Queue", "Break"}
    assert {r[3] for r in routing} >= {"IDLE", "INTERACTING"}
    interacting = duckdb.sql(
        f"select count(*) from '{one}/participants.parquet' p join "
        f"'{one}/user_routing_status.parquet' r on p.user_id = r.user_id "
        f"and r.routing_status = 'INTERACTING' and p.start_time >= r.start_time "
        f"and p.start_time < r.end_time where p.purpose = 'agent'"
    ).fetchall()[0]
    agents = duckdb.sql(
        f"select count(*) from '{one}/participants.parquet' where purpose = 'agent'"
    ).fetchall()[0]
    assert interacting == agents
    split = tmp_path / "s"
    for i in range(2):
        write_dataset(spec, str(split), shard=(i, 2))
    rows = duckdb.sql(f"select * from '{split}/user_presence-*.parquet' order by all").fetchall()
    assert rows == sorted(presence)


def test_gcmock_validate_users_passes_a_simulated_dataset_and_fails_an_independent_one(
    tmp_path: Path,
) -> None:
    simulated, independent = tmp_path / "s.ndjson", tmp_path / "i.ndjson"
    simulated.write_bytes(render(SPEC, 0, 1500))
    independent.write_bytes(render(replace(SPEC, simulate=False, days=1.0), 0, 1500))
    ok = CliRunner().invoke(main, ["validate", "--users", str(simulated)])
    assert ok.exit_code == 0, ok.output
    bad = CliRunner().invoke(main, ["validate", "--users", str(independent)])
    assert bad.exit_code == 1 and "[user.overlap]" in bad.output
    assert CliRunner().invoke(main, ["validate", str(independent)]).exit_code == 0
