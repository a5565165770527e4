"""Files generated from the SDK and the route table are current, and ``/openapi.json``
describes every route."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from gcmock.mockserver.routes import ROUTES

from .conftest import Api

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "gen_sdk_artifacts.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_sdk_artifacts", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sdk_schemas_and_coverage_are_current() -> None:
    for path, text in _generator().artifacts().items():
        assert path.read_text() == text, f"{path} is stale: run python {SCRIPT.name}"


def test_every_conversation_route_is_an_sdk_endpoint() -> None:
    gen = _generator()
    sdk = {(m, gen._shape(p)) for m, p in gen.sdk_endpoints()}
    ours = [r for r in ROUTES if r.path.startswith("/api/v2/conversations")]
    assert [(r.method, r.path) for r in ours if (r.method, gen._shape(r.path)) not in sdk] == []


def test_openapi_describes_every_route(api: Api) -> None:
    doc = api.client.get("/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    for route in ROUTES:
        op = doc["paths"][route.path][route.method.lower()]
        assert str(route.status) in op["responses"]
        if route.body is not None:
            ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.rsplit("/", 1)[1] in doc["components"]["schemas"]
    schemas = doc["components"]["schemas"]
    patch = doc["paths"]["/api/v2/conversations/{conversationId}/participants/{participantId}"]
    assert patch["patch"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MediaParticipantRequest"
    }
    assert schemas["MediaParticipantRequest"]["properties"]["state"]["anyOf"][0]["enum"] == [
        "connected",
        "disconnected",
    ]
    assert schemas["Conversation"]["additionalProperties"] is False
    params = {p["name"] for p in doc["paths"]["/api/v2/users"]["get"]["parameters"]}
    assert {"pageSize", "pageNumber", "id", "sortOrder"} <= params
