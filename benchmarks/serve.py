"""Throughput of the mock server against a bare Flask app, both on waitress, in one run.

Run: ``python benchmarks/serve.py [--seconds 5] [--clients 6] [--threads 8]``. It prints:

- start-up: seconds from launching ``gcmock serve --conversations 10000`` to the first answered
  ``GET /api/v2/conversations/{id}`` (target: < 2 s);
- requests/s of ``GET /api/v2/conversations/{id}`` on the mock (token checked, correlation id,
  journal, autopilot check, cached projection) and on a bare Flask app that returns the same
  bytes from the same route on the same WSGI server, and their ratio (targets: >= 3,000 req/s
  on 2 cores, ratio >= 0.8).

With ``--directory small,large`` it instead measures the org directory in-process: seconds to
build each world and its directory, and for every directory list the cost of its first and last
page (``pageSize=100``) in each world, with the ratios last/first page and largest/smallest
world (flat cost per page: both near 1).

Each server runs in its own process; the load comes from ``--clients`` processes, each with one
keep-alive connection sending requests back to back (raw sockets, so the client costs little).
The two servers are measured alternately, twice each, and the better run of each is kept.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import socket
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from typing import Any

import requests

CLIENT = ("gcmock-client", "gcmock-secret")


def _bare_server(body: bytes, threads: int, conn: Connection) -> None:
    from flask import Flask, Response

    from gcmock.mockserver.serve import run

    app = Flask("bare")

    @app.get("/api/v2/conversations/<cid>")
    def get(cid: str) -> Response:
        return Response(body, mimetype="application/json")

    run(app, "127.0.0.1", 0, threads, conn.send)


def _client(port: int, request: bytes, seconds: float, conn: Connection) -> None:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    done = 0
    buf = b""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        sock.sendall(request)
        while True:
            head, sep, rest = buf.partition(b"\r\n\r\n")
            if sep:
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                if len(rest) >= length:
                    if not head.startswith(b"HTTP/1.1 200"):
                        raise SystemExit(f"unexpected response: {head[:80]!r}")
                    buf = rest[length:]
                    break
            chunk = sock.recv(262144)
            if not chunk:
                raise SystemExit("server closed the connection")
            buf += chunk
        done += 1
    sock.close()
    conn.send(done)


def load(port: int, path: str, token: str | None, seconds: float, clients: int) -> float:
    """Requests per second of ``GET path`` with ``clients`` keep-alive connections."""
    headers = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n"
    if token:
        headers += f"Authorization: Bearer {token}\r\n"
    request = (headers + "\r\n").encode()
    pipes = []
    procs = []
    for _ in range(clients):
        parent, child = mp.Pipe()
        proc = mp.Process(target=_client, args=(port, request, seconds, child))
        proc.start()
        pipes.append(parent)
        procs.append(proc)
    total = sum(p.recv() for p in pipes)
    for proc in procs:
        proc.join()
    return total / seconds


def start_mock(conversations: int, threads: int) -> tuple[subprocess.Popen[str], str, float]:
    """Launch ``gcmock serve``; returns the process, its URL and the seconds until it answered
    a conversation GET."""
    started = time.perf_counter()
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
            "--threads",
            str(threads),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().split()[-1]
    token = _token(url)
    cid = _conversation_id(url, token)
    r = requests.get(f"{url}/api/v2/conversations/{cid}", headers=_auth(token), timeout=30)
    r.raise_for_status()
    return proc, url, time.perf_counter() - started


def _token(url: str) -> str:
    r = requests.post(
        f"{url}/oauth/token", data={"grant_type": "client_credentials"}, auth=CLIENT, timeout=30
    )
    r.raise_for_status()
    token: str = r.json()["access_token"]
    return token


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _conversation_id(url: str, token: str) -> str:
    r = requests.get(f"{url}/api/v2/conversations?pageSize=1", headers=_auth(token), timeout=30)
    r.raise_for_status()
    cid: str = r.json()["entities"][0]["id"]
    return cid


DIRECTORY_LISTS = (
    "/api/v2/users",
    "/api/v2/groups",
    "/api/v2/locations",
    "/api/v2/stations",
    "/api/v2/telephony/providers/edges/phones",
    "/api/v2/telephony/providers/edges/lines",
    "/api/v2/telephony/providers/edges/extensions",
    "/api/v2/telephony/providers/edges/dids",
    "/api/v2/externalcontacts/contacts",
    "/api/v2/routing/skills",
    "/api/v2/architect/ivrs",
)


def _page_ms(client: Any, headers: dict[str, str], uri: str, repeat: int = 20) -> float:
    client.get(uri, headers=headers)
    start = time.perf_counter()
    for _ in range(repeat):
        assert client.get(uri, headers=headers).status_code == 200
    return (time.perf_counter() - start) / repeat * 1000


def directory(sizes: list[str]) -> None:
    """Build times and per-page costs of the directory lists, first vs last page, per size."""
    from gcmock.mockserver import ServerConfig, create_app
    from gcmock.scenarios.world import build_world
    from gcmock.scenarios.world.org import build_directory

    costs: dict[str, dict[str, float]] = {}
    for size in sizes:
        start = time.perf_counter()
        world = build_world(0, size)
        built = time.perf_counter()
        build_directory(world)
        done = time.perf_counter()
        print(
            f"{size}: {len(world.users)} users, {len(world.queues)} queues: world "
            f"{built - start:.2f} s, directory {done - built:.3f} s"
        )
        app = create_app(ServerConfig(seed=0, conversations=0, world_size=size, frozen=True))
        client = app.test_client()
        token = client.post("/__admin/tokens", json={}).get_json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        for path in DIRECTORY_LISTS:
            first = client.get(f"{path}?pageSize=100", headers=headers).get_json()
            last = first.get("lastUri", f"{path}?pageSize=100")
            ms = (
                _page_ms(client, headers, f"{path}?pageSize=100"),
                _page_ms(client, headers, last),
            )
            costs.setdefault(path, {})[size] = ms[1]
            print(
                f"  {path}: {first['total']} entities, first page {ms[0]:.2f} ms, "
                f"last page {ms[1]:.2f} ms, ratio {ms[1] / ms[0]:.2f}"
            )
    if len(sizes) > 1:
        print(f"last page, {sizes[-1]} / {sizes[0]}:")
        for path, by_size in costs.items():
            print(f"  {path}: {by_size[sizes[-1]] / by_size[sizes[0]]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--directory", help="world sizes, comma-separated: measure the directory")
    args = parser.parse_args()
    if args.directory:
        directory(args.directory.split(","))
        return

    mock, url, startup = start_mock(args.conversations, args.threads)
    print(
        f"start-up: {args.conversations} conversations served {startup:.2f} s after launch "
        f"(target < 2 s)"
    )
    try:
        token = _token(url)
        cid = _conversation_id(url, token)
        path = f"/api/v2/conversations/{cid}"
        body = requests.get(url + path, headers=_auth(token), timeout=30).content
        parent, child = mp.Pipe()
        bare = mp.Process(target=_bare_server, args=(body, args.threads, child), daemon=True)
        bare.start()
        bare_port = int(parent.recv().rsplit(":", 1)[1])
        mock_port = int(url.rsplit(":", 1)[1])
        results: dict[str, list[float]] = {"bare": [], "mock": []}
        load(bare_port, path, None, 1.0, args.clients)  # warm-up
        load(mock_port, path, token, 1.0, args.clients)
        for _ in range(2):
            results["bare"].append(load(bare_port, path, None, args.seconds, args.clients))
            results["mock"].append(load(mock_port, path, token, args.seconds, args.clients))
        bare.terminate()
    finally:
        mock.terminate()
        mock.wait(10)
    best: dict[str, Any] = {k: max(v) for k, v in results.items()}
    print(f"GET {path} ({len(body)} bytes), {args.clients} clients, {args.threads} threads")
    print(f"  bare Flask on waitress: {best['bare']:8.0f} req/s")
    print(f"  gcmock mock server:     {best['mock']:8.0f} req/s (target >= 3000 on 2 cores)")
    print(f"  ratio:                  {best['mock'] / best['bare']:8.2f}   (target >= 0.8)")


if __name__ == "__main__":
    main()
