"""What the pytest plugin costs a project: load, per-test reset + request, server start-up.

Run: ``python benchmarks/plugin.py``. Each figure is measured in this run against its own
baseline (pytest without the plugin; the same request on a bare Flask app), and printed with
the issue's target:

- plugin load: < 100 ms added to ``pytest --collect-only`` of a project using no fixture
- per test: < 5 ms for a reset plus one request in-process (``gcmock_responses``)
- session server: up in < 1 s
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

T0 = 1_793_491_200_000


def _collect_ms(project: Path, *extra: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *extra],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return (time.perf_counter() - start) * 1000


def plugin_load() -> None:
    """Runs with and without the plugin alternate, so background load hits both alike."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        tests = "\n".join(f"def test_{i}():\n    assert True\n" for i in range(50))
        (project / "test_plain.py").write_text(tests)
        without, with_plugin = [], []
        for _ in range(9):
            without.append(_collect_ms(project, "-p", "no:gcmock"))
            with_plugin.append(_collect_ms(project))
    # the fastest run of each is the least disturbed by whatever else the machine does
    added = min(with_plugin) - min(without)
    print(
        f"plugin load: collect-only {min(with_plugin):.0f} ms with, "
        f"{min(without):.0f} ms without (fastest of 9 each): {added:+.0f} ms "
        f"(target < 100 ms) {'OK' if added < 100 else 'MISSED'}"
    )


def per_test() -> None:
    from flask import Flask

    from gcmock.mockserver.inprocess import GenesysMock, WsgiCaller

    mock = GenesysMock(conversations=50, start_ms=T0, frozen=True)
    token = mock.token()
    url = "https://api.mypurecloud.com/api/v2/routing/queues"
    headers = {"Authorization": f"Bearer {token}"}
    with mock:
        body = requests.get(url, headers=headers, timeout=5).content
        samples = []
        for _ in range(300):
            start = time.perf_counter()
            mock.reset()
            requests.get(url, headers=headers, timeout=5)
            samples.append((time.perf_counter() - start) * 1000)
    cost = statistics.median(samples)

    bare = Flask("bare")
    bare.add_url_rule("/api/v2/routing/queues", "q", lambda: body)
    bare_call = WsgiCaller(bare)
    bare_samples = []
    for _ in range(300):
        start = time.perf_counter()
        bare_call("GET", url, headers, None)
        bare_samples.append((time.perf_counter() - start) * 1000)
    base = statistics.median(bare_samples)
    print(
        f"per test: reset + 1 request in-process {cost:.2f} ms (bare Flask request without "
        f"requests/responses {base:.2f} ms, ratio {cost / base:.1f}x) "
        f"(target < 5 ms) {'OK' if cost < 5 else 'MISSED'}"
    )


def server_start() -> None:
    from gcmock.mockserver.inprocess import LiveServer

    start = time.perf_counter()
    server = LiveServer(conversations=50, start_ms=T0, frozen=True)
    requests.get(f"{server.url}/__admin/health", timeout=5).raise_for_status()
    up = time.perf_counter() - start
    server.stop()
    print(
        f"session server: up and answering in {up * 1000:.0f} ms (target < 1 s) "
        f"{'OK' if up < 1 else 'MISSED'}"
    )


if __name__ == "__main__":
    plugin_load()
    per_test()
    server_start()
