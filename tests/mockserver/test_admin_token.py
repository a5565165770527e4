"""Off loopback, the admin API needs a token: the app checks it, ``gcmock serve`` refuses a
non-loopback address without one and warns about what it exposes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from click.testing import CliRunner

from gcmock.cli import main
from gcmock.mockserver import create_app
from gcmock.mockserver.serve import BackgroundServer, exposed

from .conftest import CONFIG, basic
from .test_cli import _serve, _stop

SECRET = "s3cr3t-admin"


@pytest.fixture(scope="module")
def guarded() -> Any:
    return create_app(replace(CONFIG, conversations=5, admin_token=SECRET)).test_client()


def test_admin_api_needs_the_token_when_one_is_set(guarded: Any) -> None:
    r = guarded.get("/__admin/health")
    assert r.status_code == 401 and r.get_json()["code"] == "bad.credentials"
    assert guarded.post("/__admin/reset").status_code == 401
    assert guarded.post("/__admin/tokens", json={}).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert guarded.get("/__admin/health", headers=wrong).status_code == 401
    right = {"Authorization": f"Bearer {SECRET}"}
    assert guarded.get("/__admin/health", headers=right).status_code == 200


def test_the_admin_token_is_not_an_api_token(guarded: Any) -> None:
    right = {"Authorization": f"Bearer {SECRET}"}
    assert guarded.get("/api/v2/users", headers=right).status_code == 401
    login = guarded.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": basic(CONFIG.client_id, CONFIG.client_secret)},
    )
    assert login.status_code == 200


@pytest.mark.parametrize(
    ("host", "is_exposed"),
    [("127.0.0.1", False), ("::1", False), ("localhost", False), ("0.0.0.0", True), ("", True)],
)
def test_which_hosts_are_exposed(host: str, is_exposed: bool) -> None:
    assert exposed(host) is is_exposed


def test_serve_refuses_a_non_loopback_host_without_a_token() -> None:
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 2
    assert "--admin-token" in result.output and "GCMOCK_ADMIN_TOKEN" in result.output


def test_a_background_server_refuses_too() -> None:
    app = create_app(replace(CONFIG, conversations=2))
    with pytest.raises(ValueError, match="admin token"):
        BackgroundServer(app, host="0.0.0.0")


def test_serve_warns_about_what_it_exposes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without binding anything: ``run`` only reports the URL it would serve."""
    from gcmock.mockserver import serve

    def run(app: Any, host: str, port: int, threads: int, ready: Any) -> None:
        ready(f"http://{host}:{port}")

    monkeypatch.setattr(serve, "run", run)
    monkeypatch.setenv("GCMOCK_ADMIN_TOKEN", SECRET)
    args = ["serve", "--host", "0.0.0.0", "--port", "0", "--conversations", "2"]
    result = CliRunner().invoke(main, [*args, "--world-size", "small"])
    assert result.exit_code == 0, result.output
    assert f"admin token:   {SECRET}" in result.output
    assert "warning: listening on 0.0.0.0" in result.output and "/__admin" in result.output


def test_serve_with_a_token_on_loopback_checks_it() -> None:
    import requests

    proc, printed = _serve("--conversations", "3", "--world-size", "small", "--admin-token", SECRET)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().split(":", 1)[1].strip() == SECRET
        url = printed["base URL"]
        assert requests.get(f"{url}/__admin/health", timeout=10).status_code == 401
        auth = {"Authorization": f"Bearer {SECRET}"}
        assert requests.get(f"{url}/__admin/health", headers=auth, timeout=10).status_code == 200
    finally:
        _stop(proc)
