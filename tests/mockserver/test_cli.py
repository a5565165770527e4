"""``gcmock serve`` as a user runs it: a real process on a free port, stopped with Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import requests
from click.testing import CliRunner

from gcmock.cli import main

GCMOCK = [sys.executable, "-c", "from gcmock.cli import main; main()"]


def _serve(*args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    proc = subprocess.Popen(
        [*GCMOCK, "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    printed = {}
    for _ in range(4):
        key, _, value = proc.stdout.readline().partition(":")
        printed[key] = value.strip()
    return proc, printed


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    return err


def test_serve_prints_url_and_credentials_and_stops_on_ctrl_c() -> None:
    proc, printed = _serve("--conversations", "30", "--world-size", "small", "--seed", "4")
    try:
        url = printed["base URL"]
        assert url.startswith("http://127.0.0.1:")
        assert printed["client id"] == "gcmock-client"
        health = requests.get(f"{url}/__admin/health", timeout=10).json()
        assert health["conversations"] == 30 and health["seed"] == 4
        assert health["streamingUrl"] == printed["streaming URL"]
        assert printed["streaming URL"].startswith("ws://127.0.0.1:")
        token = requests.post(
            f"{url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(printed["client id"], printed["client secret"]),
            timeout=10,
        ).json()["access_token"]
        r = requests.get(
            f"{url}/api/v2/conversations", headers={"Authorization": f"Bearer {token}"}
        )
        assert r.status_code == 200 and r.headers["Server"] == "gcmock"
    finally:
        err = _stop(proc)
    assert "stopped" in err


def test_serve_a_generated_dataset(tmp_path: Path) -> None:
    data = tmp_path / "conversations.ndjson.gz"
    runner = CliRunner()
    made = runner.invoke(
        main,
        [
            "generate",
            "--count",
            "12",
            "--seed",
            "5",
            "--world-size",
            "small",
            "--out",
            str(data),
            "--quiet",
        ],
    )
    assert made.exit_code == 0, made.output
    proc, printed = _serve(
        "--data",
        str(data),
        "--seed",
        "5",
        "--world-size",
        "small",
        "--client-id",
        "me",
        "--client-secret",
        "pw",
        "--frozen",
        "--now",
        "2026-12-01T00:00:00Z",
    )
    try:
        url = printed["base URL"]
        assert (printed["client id"], printed["client secret"]) == ("me", "pw")
        health = requests.get(f"{url}/__admin/health", timeout=10).json()
        assert health["conversations"] == 12 and health["now"] == "2026-12-01T00:00:00.000Z"
    finally:
        _stop(proc)


def test_serve_usage_errors_exit_2() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["serve", "--port", "70000"]).exit_code == 2
    assert runner.invoke(main, ["serve", "--data", "/no/such/file"]).exit_code == 2
    bad = runner.invoke(main, ["serve", "--now", "someday"])
    assert bad.exit_code == 2 and "neither epoch ms nor ISO-8601" in bad.output


def test_serve_reports_a_bad_dataset(tmp_path: Path) -> None:
    data = tmp_path / "bad.ndjson"
    data.write_text('{"id": "x"}\n')
    result = CliRunner().invoke(main, ["serve", "--data", str(data)])
    assert result.exit_code == 1 and "conversation 1" in result.output
