"""OAuth, bearer tokens, the ErrorBody shape and the status codes a client can provoke."""

from __future__ import annotations

from flask import Flask

from gcmock.mockserver.state import ServerState

from .conftest import CONFIG, Api, basic


def test_client_credentials_by_basic_header_and_by_form(api: Api) -> None:
    c = api.client
    by_header = c.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": basic(CONFIG.client_id, CONFIG.client_secret)},
    )
    by_form = c.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": CONFIG.client_id,
            "client_secret": CONFIG.client_secret,
        },
    )
    for r in (by_header, by_form):
        assert r.status_code == 200
        body = r.get_json()
        assert body["token_type"] == "bearer" and body["expires_in"] == CONFIG.token_ttl_s
        token = body["access_token"]
        assert (
            c.get("/api/v2/users", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        )


def test_bad_credentials_are_invalid_client(api: Api) -> None:
    r = api.client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": basic(CONFIG.client_id, "wrong")},
    )
    assert r.status_code == 401
    assert r.get_json()["error"] == "invalid_client"
    r = api.client.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert r.status_code == 401 and r.get_json()["error"] == "invalid_client"


def test_only_the_client_credentials_grant(api: Api) -> None:
    r = api.client.post(
        "/oauth/token",
        data={"grant_type": "password"},
        headers={"Authorization": basic(CONFIG.client_id, CONFIG.client_secret)},
    )
    assert r.status_code == 400 and r.get_json()["error"] == "unsupported_grant_type"


def test_api_calls_need_a_valid_token(api: Api) -> None:
    r = api.client.get("/api/v2/conversations")
    assert r.status_code == 401
    assert r.get_json()["code"] == "authentication.required"
    r = api.client.get("/api/v2/conversations", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.get_json()["code"] == "bad.credentials"


def test_tokens_expire_on_the_server_clock(api: Api) -> None:
    assert api.get("/api/v2/users").status_code == 200
    api.client.post("/__admin/clock", json={"advanceMs": CONFIG.token_ttl_s * 1000})
    r = api.get("/api/v2/users")
    assert r.status_code == 401 and r.get_json()["code"] == "bad.credentials"


def test_every_response_has_a_correlation_id_and_errors_repeat_it(api: Api) -> None:
    ok = api.get("/api/v2/users")
    assert ok.headers["ININ-Correlation-Id"]
    r = api.get("/api/v2/conversations/no-such-id")
    assert r.status_code == 404
    body = r.get_json()
    assert body["contextId"] == r.headers["ININ-Correlation-Id"]
    assert body == {
        "message": "conversation no-such-id not found",
        "code": "not.found",
        "status": 404,
        "contextId": body["contextId"],
        "details": [],
        "errors": [],
    }
    assert ok.headers["ININ-Correlation-Id"] != body["contextId"]


def test_unknown_path_and_wrong_method(api: Api) -> None:
    r = api.get("/api/v2/nothing/here")
    assert r.status_code == 404 and r.get_json()["code"] == "not.found"
    r = api.delete("/api/v2/users")
    assert r.status_code == 405 and r.get_json()["code"] == "method.not.allowed"
    assert "GET" in r.headers["Allow"]


def test_bodies_must_be_json(api: Api, state: ServerState) -> None:
    cid = state.store.live()[0].conv.id
    pid = state.store.live()[0].conv.participants[0].id
    path = f"/api/v2/conversations/{cid}/participants/{pid}"
    r = api.call("PATCH", path, data="held=true", content_type="text/plain")
    assert r.status_code == 415 and r.get_json()["code"] == "unsupported.media.type"
    r = api.call("PATCH", path, data="{not json", content_type="application/json")
    assert r.status_code == 400 and r.get_json()["code"] == "bad.request"
    r = api.call("PATCH", path, data="", content_type="application/json")
    assert r.status_code == 400


def test_validation_errors_name_the_field(api: Api, state: ServerState) -> None:
    conv = state.store.live()[0].conv
    path = f"/api/v2/conversations/{conv.id}/participants/{conv.participants[0].id}"
    r = api.patch(path, {"held": "sometimes"})
    assert r.status_code == 400
    assert r.get_json()["details"] == [{"errorCode": "invalid.value", "fieldName": "held"}]
    r = api.patch(path, {"wrapup": {"notes": "no code"}})
    assert r.get_json()["details"] == [
        {"errorCode": "missing.property", "fieldName": "wrapup.code"}
    ]
    r = api.get("/api/v2/users?pageSize=0")
    assert r.status_code == 400
    assert r.get_json()["details"][0]["fieldName"] == "pageSize"


def test_an_unexpected_exception_is_a_500_error_body(app: Flask) -> None:
    """The safety net, not something a client can reach: routes never raise like this."""
    test_app = Flask("boom")
    from gcmock.mockserver import errors

    errors.register(test_app)

    @test_app.get("/boom")
    def boom() -> str:
        raise RuntimeError("bug")

    r = test_app.test_client().get("/boom")
    assert r.status_code == 500
    assert r.get_json()["code"] == "internal.server.error"
