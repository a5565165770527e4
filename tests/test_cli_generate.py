"""``gcmock generate`` and ``gcmock world``: same bytes however the work is split, a manifest
that checks out, one-line usage errors that leave nothing behind."""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from gcmock.cli import main
from gcmock.dataset import DatasetSpec, render
from gcmock.dataset.progress import Progress
from gcmock.scenarios import SCENARIOS, build_world
from gcmock.scenarios.views import directory as d

SMALL = ["--world-size", "small"]


def _run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result.output


def _gen(out: Path, *args: str, count: int = 2300, seed: int = 4) -> bytes:
    _run("generate", "--count", str(count), "--seed", str(seed), "--out", str(out), *SMALL, *args)
    return out.read_bytes()


def test_reruns_workers_and_shards_give_identical_ndjson(tmp_path: Path) -> None:
    one = _gen(tmp_path / "one.ndjson")
    assert _gen(tmp_path / "again.ndjson") == one
    assert _gen(tmp_path / "workers.ndjson", "--workers", "2") == one
    shards = [_gen(tmp_path / f"s{i}.ndjson", "--shard", f"{i}/3") for i in range(3)]
    assert b"".join(shards) == one
    assert one == render(DatasetSpec(seed=4, count=2300, world_size="small"), 0, 2300)
    starts = [orjson.loads(line)["startTime"] for line in one.splitlines()]
    assert starts == sorted(starts)


def test_workers_without_positioned_writes_give_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the OS has no pwritev (Windows), workers' blocks are copied in order instead."""
    import gcmock.dataset.text as text

    one = _gen(tmp_path / "one.ndjson.gz", count=1200)
    monkeypatch.setattr(text, "IN_PLACE", False)
    assert _gen(tmp_path / "two.ndjson.gz", "--workers", "2", count=1200) == one


def test_gzip_and_json_outputs(tmp_path: Path) -> None:
    plain = _gen(tmp_path / "a.ndjson", count=1500)
    packed = _gen(tmp_path / "a.ndjson.gz", count=1500)
    assert gzip.decompress(packed) == plain
    assert _gen(tmp_path / "b.ndjson.gz", "--workers", "2", count=1500) == packed
    array = orjson.loads(_gen(tmp_path / "a.json", count=1500))
    assert [orjson.dumps(x) + b"\n" for x in array] == plain.splitlines(keepends=True)
    workers = _gen(tmp_path / "b.json.gz", "--workers", "2", count=1500)
    assert orjson.loads(gzip.decompress(workers)) == array


def test_stdout_gets_the_dataset_and_no_manifest(tmp_path: Path) -> None:
    expected = render(DatasetSpec(seed=1, count=20, world_size="small"), 0, 20)
    out = CliRunner().invoke(main, ["generate", "--count", "20", "--seed", "1", *SMALL])
    assert out.exit_code == 0 and out.stdout_bytes == expected
    assert not (Path.cwd() / "manifest.json").exists()


def test_the_manifest_records_how_and_hashes_what(tmp_path: Path) -> None:
    mix = "inbound_answered=55,voicemail=5"
    _gen(tmp_path / "d.ndjson", "--mix", mix, "--shard", "1/2", count=300, seed=9)
    manifest = orjson.loads((tmp_path / "manifest-1-of-2.json").read_bytes())
    assert manifest["command"][:4] == ["gcmock", "generate", "--count", "300"]
    assert {"--seed", "9", "--mix", mix, "--shard", "1/2"} <= set(manifest["command"])
    assert (manifest["seed"], manifest["count"]) == (9, 300)
    assert manifest["mix"] == {"inbound_answered": 55.0, "voicemail": 5.0}
    assert manifest["shard"] == {"index": 1, "of": 2, "start": 150, "stop": 300}
    assert set(manifest["versions"]) == {"gcmock", "faker", "python"}
    digest = hashlib.sha256((tmp_path / "d.ndjson").read_bytes()).hexdigest()
    assert manifest["files"] == {"d.ndjson": {"sha256": digest}}
    again = tmp_path / "again"
    again.mkdir()
    _gen(again / "d.ndjson", "--mix", mix, "--shard", "1/2", count=300, seed=9)
    replay = orjson.loads((again / "manifest-1-of-2.json").read_bytes())
    assert replay["files"] == manifest["files"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mix", "inbound_answered=5,nope=2"], "unknown scenario 'nope'; valid names: "),
        (["--mix", "voicemail=lots"], "bad weight in 'voicemail=lots'"),
        (["--shard", "3/3"], "--shard must be I/N"),
        (["--shard", "x"], "--shard must be I/N"),
        (["--start", "yesterday"], "--start 'yesterday' is neither ISO-8601 nor epoch ms"),
        (["--tables"], "--tables needs --format parquet"),
        (["--format", "parquet", "--shape", "call"], "writes the conversation shape"),
        (["--days", "0"], "days must be > 0"),
    ],
)
def test_bad_arguments_are_one_line_exit_2_and_write_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.ndjson"
    result = CliRunner().invoke(main, ["generate", "--count", "5", "--out", str(out), *args])
    assert result.exit_code == 2
    error = result.output.strip().splitlines()[-1]
    assert error.startswith("Error: ") and message in error
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_unknown_scenario_error_lists_every_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["generate", "--count", "5", "--mix", "x=1"])
    assert result.exit_code == 2
    assert all(name in result.output for name in SCENARIOS)


def test_a_missing_output_directory_or_a_directory_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "nope" / "x.ndjson"
    result = CliRunner().invoke(main, ["generate", "--count", "5", "--out", str(out)])
    assert result.exit_code == 2 and "output directory does not exist" in result.output
    result = CliRunner().invoke(main, ["generate", "--count", "5", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "is a directory" in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_run_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gcmock.dataset.text as text

    calls = []

    def interrupted(*args: object) -> list[bytes]:
        calls.append(args)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return [b"{}\n"]

    monkeypatch.setattr(text, "encode_parts", interrupted)
    result = CliRunner().invoke(main, ["generate", "--count", "3000", "--out", f"{tmp_path}/x"])
    assert result.exit_code == 130 and "interrupted: nothing written" in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_parquet_run_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tables and their scratch files (pages, row-group metadata) all go."""
    parquet = pytest.importorskip("gcmock.dataset.parquet")
    encode_block = parquet.encode_block
    calls = []

    def interrupted(*args: object) -> list[bytes]:
        calls.append(args)
        if len(calls) > 2:
            raise KeyboardInterrupt
        return encode_block(*args)

    monkeypatch.setattr(parquet, "PIECE", 1000)
    monkeypatch.setattr(parquet, "encode_block", interrupted)
    out = f"{tmp_path}/t"
    args = ["generate", "--count", "5000", "--format", "parquet", "--tables", "--out", out]
    result = CliRunner().invoke(main, [*args, *SMALL])
    assert result.exit_code == 130 and "interrupted: nothing written" in result.output
    assert list(tmp_path.iterdir()) == []


def test_generated_data_has_no_violation(tmp_path: Path) -> None:
    """50,000 conversations of the default mix through the CLI, then `gcmock validate`."""
    out = tmp_path / "big.ndjson.gz"
    _run("generate", "--count", "50000", "--seed", "1", "--out", str(out), "--workers", "2")
    report = _run("validate", str(out))
    assert report.strip().splitlines()[-1] == "50000 conversations, 0 violations"


def test_world_writes_what_the_mock_server_serves(tmp_path: Path) -> None:
    _run("world", "--seed", "3", "--out", str(tmp_path / "w"), *SMALL)
    world = build_world(3, "small")
    users = orjson.loads((tmp_path / "w" / "users.json").read_bytes())
    assert users == [d.user_json(world, u) for u in world.users]
    queues = orjson.loads((tmp_path / "w" / "queues.json").read_bytes())
    assert queues == [d.queue_json(world, q) for q in world.queues]
    codes = orjson.loads((tmp_path / "w" / "wrapupcodes.json").read_bytes())
    assert [c["id"] for c in codes] == [c.id for c in world.wrapup_codes]
    contacts = orjson.loads((tmp_path / "w" / "externalcontacts.json").read_bytes())
    assert len(contacts) == len(world.contacts)
    manifest = orjson.loads((tmp_path / "w" / "manifest.json").read_bytes())
    for name, entry in manifest["files"].items():
        data = (tmp_path / "w" / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    before = {p.name: p.read_bytes() for p in (tmp_path / "w").iterdir()}
    _run("world", "--seed", "3", "--out", str(tmp_path / "w"), *SMALL)
    assert {p.name: p.read_bytes() for p in (tmp_path / "w").iterdir()} == before


def test_world_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    result = CliRunner().invoke(main, ["world", "--out", str(tmp_path / "f")])
    assert result.exit_code == 2 and "must be a directory" in result.output


def test_the_progress_line_shows_rate_and_eta() -> None:
    progress = Progress(1_000_000, enabled=False)
    progress.done = 250_000
    line = progress.line(elapsed=20.0)
    assert "25%" in line and "250,000/1,000,000" in line
    assert "12.5k conv/s" in line and "ETA 0:01:00" in line


def test_no_progress_bar_unless_stderr_is_a_terminal(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["generate", "--count", "10", "--out", f"{tmp_path}/p"])
    assert result.exit_code == 0 and result.output == ""
    assert os.path.exists(tmp_path / "p")


def test_dropping_written_pages_behind_the_writer_keeps_bytes_and_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a tiny lag every block is dropped from the page cache right after it is hashed:
    one process or two, the file and its manifest's sha256 are still the whole dataset's."""
    from gcmock.dataset.files import DropBehind

    dropped: list[int] = []
    advise = os.posix_fadvise

    def spy(fd: int, offset: int, length: int, advice: int) -> None:
        dropped.append(length)
        advise(fd, offset, length, advice)

    monkeypatch.setattr(DropBehind, "LAG", 4096)
    monkeypatch.setattr(os, "posix_fadvise", spy)
    spec = DatasetSpec(seed=4, count=2300, world_size="small")
    for args in ((), ("--workers", "2")):
        dropped.clear()
        out = tmp_path / f"out{len(args)}.ndjson"
        data = _gen(out, *args)
        assert data == render(spec, 0, 2300)
        files = orjson.loads((tmp_path / "manifest.json").read_bytes())["files"]
        assert files[out.name] == {"sha256": hashlib.sha256(data).hexdigest()}
        assert dropped and max(dropped) == len(data) - 4096
