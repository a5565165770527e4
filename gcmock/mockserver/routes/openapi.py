"""``GET /openapi.json``: the OpenAPI 3.1 document of every route, built from the URL table.

Request bodies and query parameters come from the pydantic models the routes validate with;
response models are the official SDK's, converted to JSON Schema by
``scripts/gen_sdk_artifacts.py`` into ``sdk_schemas.json`` (enums as the SDK knows them, no
field the SDK would drop), so a schema check of our responses is a check against the SDK.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from flask import Response
from pydantic import BaseModel

from ..bodies import QUERY_MAX
from ..wire import json_response
from .base import Route, RouteTable

__all__ = ["TABLE", "document"]

TABLE = RouteTable("openapi", "OpenAPI")

_REF = "#/components/schemas/{model}"
_PARAM = re.compile(r"\{(\w+)\}")

_OBJECT: dict[str, Any] = {"type": "object"}
_LOCAL: dict[str, dict[str, Any]] = {
    "OAuthToken": {
        "type": "object",
        "required": ["access_token", "token_type", "expires_in"],
        "properties": {
            "access_token": {"type": "string"},
            "token_type": {"type": "string"},
            "expires_in": {"type": "integer"},
            "userId": {"type": "string"},
        },
    },
    "OAuthTokenRequest": {
        "type": "object",
        "required": ["grant_type"],
        "properties": {
            "grant_type": {"type": "string", "enum": ["client_credentials"]},
            "client_id": {"type": "string"},
            "client_secret": {"type": "string"},
        },
    },
    "OAuthError": {
        "type": "object",
        "description": "Every error of the login service, injected faults included",
        "required": ["error", "description", "error_description"],
        "properties": {
            "error": {"type": "string"},
            "description": {"type": "string"},
            "error_description": {"type": "string"},
        },
    },
    "AdminHealth": {
        "type": "object",
        "required": ["status", "conversations", "live", "now", "frozen"],
        "properties": {
            "status": {"type": "string"},
            "seed": {"type": "integer"},
            "conversations": {"type": "integer"},
            "live": {"type": "integer"},
            "now": {"type": "string", "format": "date-time"},
            "frozen": {"type": "boolean"},
            "streamingUrl": {"type": "string"},
        },
    },
    "AdminLoaded": {
        "type": "object",
        "required": ["loaded"],
        "properties": {"loaded": {"type": "integer"}},
    },
    "AdminRequests": {
        "type": "object",
        "required": ["requests"],
        "properties": {"requests": {"type": "array", "items": _OBJECT}},
    },
    "AdminFault": {
        "type": "object",
        "required": ["id", "fired"],
        "properties": {"id": {"type": "string"}, "fired": {"type": "integer"}},
    },
    "AdminFaults": {
        "type": "object",
        "required": ["faults"],
        "properties": {
            "faults": {"type": "array", "items": {"$ref": _REF.format(model="AdminFault")}}
        },
    },
    "AdminUiConversations": {
        "type": "object",
        "required": ["entities", "pageSize", "pageNumber", "total", "pageCount", "now"],
        "properties": {
            "entities": {"type": "array", "items": {"$ref": _REF.format(model="AdminUiRow")}},
            "pageSize": {"type": "integer"},
            "pageNumber": {"type": "integer"},
            "total": {"type": "integer"},
            "pageCount": {"type": "integer"},
            "now": {"type": "string", "format": "date-time"},
            "epochMs": {"type": "integer"},
            "frozen": {"type": "boolean"},
            "live": {"type": "integer"},
            "conversations": {"type": "integer"},
        },
    },
    "AdminUiRow": {
        "type": "object",
        "required": ["id", "startTime", "media", "live", "queues", "users"],
        "properties": {
            "id": {"type": "string"},
            "startTime": {"type": "string", "format": "date-time"},
            "endTime": {"type": "string", "format": "date-time"},
            "durationMs": {"type": "integer"},
            "media": {"type": "string"},
            "scenario": {"type": "string"},
            "live": {"type": "boolean"},
            "queues": {"type": "array", "items": {"type": "string"}},
            "users": {"type": "array", "items": {"type": "string"}},
            "participants": {"type": "integer"},
            "transfers": {"type": "integer"},
        },
    },
    "AdminUiFilters": {
        "type": "object",
        "required": ["scenarios", "media", "queues", "users"],
        "properties": {
            "scenarios": {"type": "array", "items": {"type": "string"}},
            "media": {"type": "array", "items": {"type": "string"}},
            "queues": {"type": "array", "items": _OBJECT},
            "users": {"type": "array", "items": _OBJECT},
        },
    },
    "AdminClock": {
        "type": "object",
        "required": ["now", "epochMs", "frozen"],
        "properties": {
            "now": {"type": "string", "format": "date-time"},
            "epochMs": {"type": "integer"},
            "frozen": {"type": "boolean"},
            "advanced": {"type": "integer"},
        },
    },
}


@functools.cache
def _sdk_schemas() -> dict[str, Any]:
    text = resources.files("gcmock.mockserver").joinpath("sdk_schemas.json").read_text()
    schemas: dict[str, Any] = json.loads(text)
    return schemas


def _schema(name: str) -> dict[str, Any]:
    """A response/body schema by name: ``str``, ``object``, ``list[X]``, or a model ref."""
    if name == "str":
        return {"type": "string"}
    if name == "object":
        return dict(_OBJECT)
    if name.startswith("list["):
        return {"type": "array", "items": _schema(name[5:-1])}
    return {"$ref": _REF.format(model=name)}


def _model_schema(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template=_REF)
    schemas.update(schema.pop("$defs", {}))
    return schema


def _parameters(route: Route, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
        for n in _PARAM.findall(route.path)
    ]
    if route.query is None:
        return params
    schema = _model_schema(route.query, schemas)
    for attr, field in route.query.model_fields.items():
        name = field.alias or attr
        prop = schema["properties"][name]
        param: dict[str, Any] = {"name": name, "in": "query", "required": field.is_required()}
        if field.description:
            param["description"] = field.description
        if "array" in json.dumps(prop):
            # the SDK joins a list with commas into one value; the server also accepts the
            # parameter repeated
            prop = {"type": "string", "maxLength": QUERY_MAX}
            param["description"] = (field.description or "") + " (comma-separated list)"
        param["schema"] = prop
        params.append(param)
    return params


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": _REF.format(model="ErrorBody")}}},
    }


def _operation(route: Route, schemas: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": route.operation_id,
        "summary": route.summary,
        "tags": [route.tag],
        "parameters": _parameters(route, schemas),
    }
    if route.auth:
        op["security"] = [{"bearer": []}]
    if route.body is not None:
        body = _model_schema(route.body, schemas)
        schemas[route.body.__name__] = body
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _schema(route.body.__name__)}},
        }
    elif route.raw_body is not None:
        form = route.raw_body == "OAuthTokenRequest"
        ctype = "application/x-www-form-urlencoded" if form else "application/json"
        op["requestBody"] = {
            "required": True,
            "content": {ctype: {"schema": _schema(route.raw_body)}},
        }
    ok: dict[str, Any] = {"description": "Success"}
    if route.response is not None:
        ok["content"] = {route.content_type: {"schema": _schema(route.response)}}
    responses: dict[str, Any] = {str(route.status): ok}
    codes = set(route.errors)
    if route.query is not None or route.body is not None or route.raw_body is not None:
        codes.add(400)
    if route.body is not None or route.raw_body is not None:
        codes.add(415)
    if route.auth:
        codes.add(401)
    if _PARAM.search(route.path):
        codes.add(404)
    if route.method != "GET" and "{conversationId}" in route.path:
        codes.add(409)  # the conversation's state refuses it, or is ahead of the server's clock
    for code in sorted(codes):
        responses[str(code)] = _error(f"HTTP {code}")
    if route.path.startswith("/oauth/"):
        oauth_error = {"application/json": {"schema": {"$ref": _REF.format(model="OAuthError")}}}
        for status in (*(str(c) for c in sorted(codes)), "default"):
            responses[status] = {"description": "OAuth error", "content": oauth_error}
    op["responses"] = responses
    return op


@functools.cache
def document() -> dict[str, Any]:
    from . import ROUTES

    schemas: dict[str, Any] = {**_sdk_schemas(), **_LOCAL}
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, schemas)
    doc: dict[str, Any] = _without_nulls(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "gcmock — Genesys Cloud Platform API mock",
                "version": "1",
                "description": "The routes gcmock implements; response models are the official "
                "SDK's (PureCloudPlatformClientV2). /__admin steers the mock.",
            },
            "paths": dict(sorted(paths.items())),
            "components": {
                "schemas": dict(sorted(schemas.items())),
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            },
        }
    )
    return doc


def _without_nulls(value: Any) -> Any:
    """The document without JSON nulls (pydantic writes ``"default": null``): like every
    response of the mock, it never contains one."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


@TABLE.route("GET", "/openapi.json", "This document", response="object", auth=False)
def openapi_json() -> Response:
    return json_response(document())
