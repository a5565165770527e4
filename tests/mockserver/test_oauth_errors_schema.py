"""Every error the login route sends, injected faults included, is what ``/openapi.json``
declares for it: OAuth's ``{error, description, error_description}``, not ``ErrorBody``."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from .conftest import CONFIG, Api, basic

LOGIN = {"grant_type": "client_credentials"}


def _declared(api: Api, status: int) -> dict[str, Any]:
    """The schema ``/openapi.json`` gives for a ``status`` answer of ``POST /oauth/token``,
    with the document's components so that its ``$ref`` resolves."""
    doc = api.client.get("/openapi.json").get_json()
    responses = doc["paths"]["/oauth/token"]["post"]["responses"]
    declared = responses.get(str(status)) or responses["default"]
    schema = declared["content"]["application/json"]["schema"]
    return {**schema, "components": doc["components"]}


def _login(api: Api) -> Any:
    auth = {"Authorization": basic(CONFIG.client_id, CONFIG.client_secret)}
    return api.client.post("/oauth/token", data=LOGIN, headers=auth)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 429, 500, 502, 503])
def test_an_injected_login_fault_is_what_openapi_declares(api: Api, status: int) -> None:
    fault = {"path": "/oauth/token", "status": status, "count": 1}
    assert api.client.post("/__admin/faults", json=fault).status_code == 201
    r = _login(api)
    assert r.status_code == status
    body = r.get_json()
    jsonschema_rs.validate(_declared(api, status), body)
    assert body["error_description"] == body["description"]
    assert _login(api).status_code == 200, "the fault fired once"


def test_a_fault_code_and_message_are_the_oauth_error(api: Api) -> None:
    fault = {"path": "/oauth/*", "status": 400, "code": "invalid_grant", "message": "expired"}
    api.client.post("/__admin/faults", json=fault)
    assert _login(api).get_json() == {
        "error": "invalid_grant",
        "description": "expired",
        "error_description": "expired",
    }


def test_a_rate_limited_login_keeps_its_retry_after(api: Api) -> None:
    api.client.post("/__admin/faults", json={"path": "/oauth/token", "status": 429})
    r = _login(api)
    assert r.headers["Retry-After"] == "1"
    jsonschema_rs.validate(_declared(api, 429), r.get_json())


def test_the_routes_own_login_errors_are_what_openapi_declares(api: Api) -> None:
    wrong = api.client.post("/oauth/token", data=LOGIN, headers={"Authorization": basic("a", "b")})
    assert wrong.status_code == 401
    jsonschema_rs.validate(_declared(api, 401), wrong.get_json())
    auth = {"Authorization": basic(CONFIG.client_id, CONFIG.client_secret)}
    grant = api.client.post("/oauth/token", data={"grant_type": "password"}, headers=auth)
    assert grant.status_code == 400
    jsonschema_rs.validate(_declared(api, 400), grant.get_json())


def test_api_faults_stay_error_bodies(api: Api) -> None:
    api.client.post("/__admin/faults", json={"path": "/api/v2/users", "status": 503})
    body = api.get("/api/v2/users").get_json()
    assert body["status"] == 503 and body["code"] == "service.unavailable"
