"""Bulk generation: gcmock against the naive factory_boy approach, and the dataset CLI at scale.

1. Participants per CPU second (process time, so a busy machine slows both sides alike), both
   sides ending in JSON bytes: gcmock's generator (world built once, engine, projection,
   orjson) against the naive approach, one factory_boy ``DictFactory`` per entity with
   ``factory.Faker`` fields, shaped like what gcmock emits for an agent leg (participant with
   its wrap-up, a call with two segments, self/other addresses, after-call work), building the
   same number of participants. Printed as a ratio measured in the same run.
2. Conversations per CPU second to NDJSON bytes, simulated days (``--simulate day``) against
   independent conversations, measured in the same run.
3. With ``--scale N``: ``gcmock generate --count N --workers 2`` to NDJSON, to Parquet, to
   Parquet tables (``--tables``) and simulated to NDJSON (``simulated``), as subprocesses,
   with wall time, the ratio to the targets (60 s and 180 s for a million, scaled linearly),
   the CPU time of all processes (what a busy machine does not change), the peak RSS of the
   largest process and the peak PSS of the whole tree.

    python benchmarks/generate.py [--participants 40000] [--rounds 3] [--scale 1000000]
                                  [--formats ndjson,parquet,tables,simulated]
                                  [--simulated 10000]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import factory
import orjson

from gcmock.dataset import DatasetSpec, render
from gcmock.scenarios import to_conversation_json

TARGET_S = {"ndjson": 60.0, "parquet": 180.0, "tables": 180.0, "simulated": 60.0}
"""Seconds allowed for a million conversations with two workers on two cores."""

OUTPUT = {
    "ndjson": ("d.ndjson", []),
    "parquet": ("d.parquet", []),
    "tables": ("d", ["--format", "parquet", "--tables"]),
    "simulated": ("s.ndjson", ["--simulate", "day"]),
}
"""Where each CLI run writes, and its extra options (``tables``: Parquet tables in a directory)."""


def _faker(provider: str, **kwargs: Any) -> Any:
    return factory.Faker(provider, **kwargs)


def _pick(*values: object) -> Any:
    return factory.Faker("random_element", elements=values)


class SegmentFactory(factory.DictFactory):
    startTime = _faker("iso8601")
    type = _pick("Interact", "Hold", "Alert", "Ivr")
    endTime = _faker("iso8601")
    howEnded = _pick("Interact", "Disconnect")
    disconnectType = _pick("client", "endpoint", "peer")


class AddressFactory(factory.DictFactory):
    addressNormalized = _faker("phone_number")
    addressRaw = _faker("phone_number")
    addressDisplayable = _faker("phone_number")
    name = _faker("name")


class WrapupFactory(factory.DictFactory):
    code = _faker("uuid4")
    name = _faker("word")
    durationSeconds = _faker("pyint")
    endTime = _faker("iso8601")


class AfterCallWorkFactory(factory.DictFactory):
    startTime = _faker("iso8601")
    state = _pick("complete", "pending")
    endTime = _faker("iso8601")


class CallFactory(factory.DictFactory):
    state = _pick("connected", "disconnected", "terminated")
    initialState = _pick("alerting", "connected")
    id = _faker("uuid4")
    direction = _pick("inbound", "outbound")
    recording = _faker("pybool")
    recordingState = _pick("none", "active")
    muted = _faker("pybool")
    confined = _faker("pybool")
    held = _faker("pybool")
    segments = factory.List([factory.SubFactory(SegmentFactory) for _ in range(2)])
    disconnectType = _pick("client", "endpoint", "peer")
    startAlertingTime = _faker("iso8601")
    connectedTime = _faker("iso8601")
    disconnectedTime = _faker("iso8601")
    provider = "Edge"
    peerId = _faker("uuid4")
    self = factory.SubFactory(AddressFactory)
    other = factory.SubFactory(AddressFactory)
    wrapup = factory.SubFactory(WrapupFactory)
    afterCallWork = factory.SubFactory(AfterCallWorkFactory)
    afterCallWorkRequired = _faker("pybool")


class ParticipantFactory(factory.DictFactory):
    id = _faker("uuid4")
    startTime = _faker("iso8601")
    endTime = _faker("iso8601")
    connectedTime = _faker("iso8601")
    name = _faker("name")
    userUri = _faker("uri")
    userId = _faker("uuid4")
    queueId = _faker("uuid4")
    teamId = _faker("uuid4")
    queueName = _faker("word")
    purpose = _pick("customer", "ivr", "acd", "agent")
    participantType = _pick("External", "Internal")
    address = _faker("phone_number")
    ani = _faker("phone_number")
    dnis = _faker("phone_number")
    locale = _faker("locale")
    wrapupRequired = _faker("pybool")
    wrapupPrompt = _pick("mandatory", "optional")
    wrapupTimeoutMs = _faker("pyint")
    wrapup = factory.SubFactory(WrapupFactory)
    alertingTimeoutMs = _faker("pyint")
    calls = factory.List([factory.SubFactory(CallFactory)])
    startAcwTime = _faker("iso8601")
    endAcwTime = _faker("iso8601")


class ConversationFactory(factory.DictFactory):
    id = _faker("uuid4")
    startTime = _faker("iso8601")
    endTime = _faker("iso8601")
    participants = factory.List([factory.SubFactory(ParticipantFactory) for _ in range(4)])


def baseline(participants: int) -> float:
    """Participants per second of the factory_boy approach (4 per conversation)."""
    t = time.process_time()
    for _ in range(participants // 4):
        orjson.dumps(ConversationFactory())
    return (participants // 4 * 4) / (time.process_time() - t)


def gcmock_rate(participants: int) -> tuple[float, float]:
    """(participants/s, participants per conversation) of gcmock, world built beforehand."""
    spec = DatasetSpec(seed=1, count=10_000_000)
    spec.world()
    made = convs = 0
    t = time.process_time()
    for conv in spec.conversations(0, spec.count):
        orjson.dumps(to_conversation_json(conv))
        made += len(conv.participants)
        convs += 1
        if made >= participants:
            break
    return made / (time.process_time() - t), made / convs


def _tree_rss(pid: int) -> tuple[int, int]:
    """(largest RSS of one process, PSS of the whole tree) in bytes; (0, 0) without psutil.

    The tree is summed as PSS (shared pages split between the processes sharing them): a sum
    of RSS would count the interpreter's and the libraries' shared pages once per process.
    """
    try:
        import psutil
    except ImportError:
        return 0, 0
    try:
        root = psutil.Process(pid)
        infos = [p.memory_full_info() for p in (root, *root.children(recursive=True))]
    except psutil.Error:
        return 0, 0
    return max((i.rss for i in infos), default=0), sum(getattr(i, "pss", i.rss) for i in infos)


def _children_cpu() -> float:
    """User and system CPU seconds of the waited-for child processes and their descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(args: list[str]) -> dict[str, Any]:
    """Run a gcmock command; wall time, CPU time and peak memory (sampled every 250 ms)."""
    peak = [0, 0]
    cpu = _children_cpu()
    cli = "from gcmock.cli import main; main()"
    proc = subprocess.Popen([sys.executable, "-c", cli, *args])
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            one, tree = _tree_rss(proc.pid)
            peak[0], peak[1] = max(peak[0], one), max(peak[1], tree)
            time.sleep(0.25)

    watcher = threading.Thread(target=sample, daemon=True)
    t = time.perf_counter()
    watcher.start()
    code = proc.wait()
    wall = time.perf_counter() - t
    done.set()
    watcher.join()
    if code:
        raise SystemExit(f"gcmock {' '.join(args)} failed with {code}")
    if not peak[0]:  # no psutil: the largest child the kernel saw (kB on Linux)
        peak[0] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {"wall": wall, "cpu": _children_cpu() - cpu, "rss_max": peak[0], "rss_tree": peak[1]}


def conversation_rate(count: int, simulate: bool) -> float:
    """Conversations per CPU second to NDJSON bytes (world built and days counted before)."""
    spec = DatasetSpec(seed=1, count=count, simulate=simulate)
    spec.world()
    spec.shard(0, 1)
    t = time.process_time()
    render(spec, 0, count)
    return count / (time.process_time() - t)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scale", type=int, default=0, help="conversations for the CLI runs")
    parser.add_argument("--dir", default=None, help="where the CLI runs write (default: temp)")
    parser.add_argument(
        "--formats", default="ndjson,parquet,tables,simulated", help="CLI runs to make"
    )
    parser.add_argument("--simulated", type=int, default=10_000, help="conversations, step 2")
    args = parser.parse_args(argv)

    base = ours = per_conv = 0.0
    for _ in range(args.rounds):  # alternate, keep each side's best: fair on a busy machine
        base = max(base, baseline(args.participants))
        rate, per_conv = gcmock_rate(args.participants)
        ours = max(ours, rate)
    print(f"factory_boy baseline : {base:10,.0f} participants/s")
    print(f"gcmock               : {ours:10,.0f} participants/s ({per_conv:.2f} per conversation)")
    print(f"ratio                : {ours / base:10.1f}x  (target >= 15x)")
    if args.simulated:
        independent = conversation_rate(args.simulated, simulate=False)
        simulated = conversation_rate(args.simulated, simulate=True)
        print(f"independent          : {independent:10,.0f} conversations/CPU s to NDJSON")
        print(
            f"simulated days       : {simulated:10,.0f} conversations/CPU s to NDJSON "
            f"({simulated / independent:.2f} of independent)"
        )
    if not args.scale:
        return 0
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for fmt in args.formats.split(","):
            name, extra = OUTPUT[fmt]
            out = Path(tmp) / name
            count = str(args.scale)
            cmd = ["generate", "--count", count, "--out", str(out), "--workers", "2", "--quiet"]
            result = run_cli([*cmd, *extra])
            target = TARGET_S[fmt] * args.scale / 1_000_000
            if out.is_dir():
                size = sum(f.stat().st_size for f in out.iterdir())
                shutil.rmtree(out)
            else:
                size = out.stat().st_size
                out.unlink()
            print(
                f"{fmt:8} {args.scale:,} conversations: {result['wall']:6.1f} s "
                f"({result['wall'] / target:.2f} of the {target:.0f} s target, "
                f"{args.scale / result['wall']:,.0f}/s, {result['cpu']:.0f} s CPU), "
                f"{size / 1e9:.2f} GB, peak RSS {result['rss_max'] / 2**20:.0f} MB per process, "
                f"{result['rss_tree'] / 2**20:.0f} MB PSS in all"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
