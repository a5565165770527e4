"""Soak: does ``gcmock serve`` keep a flat memory footprint under a long mixed read/write load?

Run: ``python benchmarks/soak.py [--seconds 600] [--rate 80] [--conversations 1000]``. It
launches ``gcmock serve`` in its own process, sends ``--rate`` requests/s for ``--seconds``
from a few keep-alive clients, samples the server's RSS (``/proc/<pid>/status``) every
``--sample`` seconds, and prints the samples and a verdict: after the warm-up (the first fifth
of the run, at least 20 s), the highest RSS must stay within 10% of the RSS at the end of the
warm-up. ``--json`` prints one JSON object instead (what the test reads).

The mix per request: 40% a conversation read (nested or flattened), 15% the conversation list,
10% a detail record, 10% an analytics details query, 20% a participant attributes write (keys
from a fixed set, so values change but the map does not grow), 5% a new OAuth token. It does
not create conversations: a created conversation is state the server must keep, not a leak.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests

CLIENT = ("gcmock-client", "gcmock-secret")
GROWTH_LIMIT = 0.10


@dataclass
class Load:
    """What the clients sent and how it was answered."""

    sent: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int) -> None:
        with self.lock:
            self.sent += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1


def start(conversations: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from gcmock.cli import main; main()",
            "serve",
            "--port",
            "0",
            "--conversations",
            str(conversations),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().split()[-1]
    return proc, url


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _token(session: requests.Session, url: str) -> str:
    r = session.post(
        f"{url}/oauth/token", data={"grant_type": "client_credentials"}, auth=CLIENT, timeout=30
    )
    r.raise_for_status()
    token: str = r.json()["access_token"]
    return token


def _targets(session: requests.Session, url: str) -> list[tuple[str, str]]:
    """(conversation id, customer participant id) of every served conversation."""
    dump = session.get(f"{url}/__admin/conversations", timeout=60).json()
    return [(c["id"], c["participants"][0]["id"]) for c in dump if c.get("participants")]


def _one(
    session: requests.Session, url: str, rng: random.Random, targets: list[tuple[str, str]]
) -> int:
    cid, pid = rng.choice(targets)
    roll = rng.random()
    api = f"{url}/api/v2"
    if roll < 0.25:
        return session.get(f"{api}/conversations/{cid}", timeout=30).status_code
    if roll < 0.40:
        return session.get(f"{api}/conversations/calls/{cid}", timeout=30).status_code
    if roll < 0.55:
        return session.get(f"{api}/conversations?pageSize=25", timeout=30).status_code
    if roll < 0.65:
        return session.get(f"{api}/analytics/conversations/{cid}/details", timeout=30).status_code
    if roll < 0.75:
        body = {
            "interval": "2020-01-01T00:00:00Z/2100-01-01T00:00:00Z",
            "paging": {"pageSize": 25, "pageNumber": rng.randint(1, 20)},
        }
        r = session.post(f"{api}/analytics/conversations/details/query", json=body, timeout=60)
        return r.status_code
    if roll < 0.95:
        attrs = {f"soak{rng.randrange(20)}": str(rng.randrange(10**9))}
        path = f"{api}/conversations/{cid}/participants/{pid}/attributes"
        return session.patch(path, json={"attributes": attrs}, timeout=30).status_code
    session.headers["Authorization"] = "Bearer " + _token(session, url)
    return 200


def _client(
    url: str,
    seed: int,
    rate: float,
    until: float,
    targets: list[tuple[str, str]],
    load: Load,
) -> None:
    rng = random.Random(seed)
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + _token(session, url)
    interval = 1 / rate
    due = time.monotonic()
    while (now := time.monotonic()) < until:
        if now < due:
            time.sleep(due - now)
        due += interval
        try:
            load.count(_one(session, url, rng, targets))
        except requests.RequestException:
            load.count(0)
    session.close()


def soak(seconds: float, rate: float, conversations: int, sample: float) -> dict[str, Any]:
    proc, url = start(conversations)
    try:
        with requests.Session() as session:
            targets = _targets(session, url)
        load = Load()
        clients = 4
        until = time.monotonic() + seconds
        threads = [
            threading.Thread(
                target=_client, args=(url, n, rate / clients, until, targets, load), daemon=True
            )
            for n in range(clients)
        ]
        started = time.monotonic()
        samples = [(0.0, rss_mb(proc.pid))]
        for t in threads:
            t.start()
        while time.monotonic() < until:
            time.sleep(min(sample, max(0.0, until - time.monotonic())))
            samples.append((round(time.monotonic() - started, 1), rss_mb(proc.pid)))
        for t in threads:
            t.join(60)
    finally:
        proc.terminate()
        proc.wait(30)
    warm = max(20.0, seconds / 5)
    base = next(mb for at, mb in samples if at >= warm)
    peak = max(mb for at, mb in samples if at >= warm)
    growth = peak / base - 1
    return {
        "seconds": seconds,
        "rate": round(load.sent / seconds, 1),
        "statuses": load.statuses,
        "samples": samples,
        "start_mb": samples[0][1],
        "warm_mb": base,
        "peak_mb": peak,
        "end_mb": samples[-1][1],
        "growth": round(growth, 4),
        "flat": growth <= GROWTH_LIMIT,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--rate", type=float, default=80)
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--sample", type=float, default=10)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args()
    result = soak(args.seconds, args.rate, args.conversations, args.sample)
    if args.json:
        print(json.dumps(result))
        return
    for at, mb in result["samples"]:
        print(f"{at:7.1f} s  {mb:7.1f} MB")
    print(f"requests/s: {result['rate']} (asked {args.rate}); statuses: {result['statuses']}")
    print(
        f"RSS: start {result['start_mb']:.1f} MB, after warm-up {result['warm_mb']:.1f} MB, "
        f"peak {result['peak_mb']:.1f} MB, end {result['end_mb']:.1f} MB"
    )
    verdict = "flat" if result["flat"] else "GROWING"
    print(f"growth after warm-up: {result['growth']:+.1%} (limit {GROWTH_LIMIT:.0%}): {verdict}")


if __name__ == "__main__":
    main()
