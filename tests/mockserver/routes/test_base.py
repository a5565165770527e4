"""The URL table: every route is declared with its literal URL, and names its handler."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from flask import Flask, Response

from gcmock.mockserver.routes import ROUTES
from gcmock.mockserver.routes.base import RouteTable

ROUTES_DIR = Path(importlib.import_module("gcmock.mockserver.routes").__file__ or "").parent


def _declared() -> list[tuple[str, str]]:
    """(method, URL) of every ``TABLE.route(...)`` call, read from the source: arguments that
    are not string literals (a constant, an f-string, a loop variable) fail the test."""
    found = []
    for path in sorted(ROUTES_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "route"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "TABLE"
            ):
                continue
            method, url = node.args[0], node.args[1]
            where = f"{path.name}:{node.lineno}"
            assert isinstance(method, ast.Constant) and isinstance(method.value, str), where
            urls = url.elts if isinstance(url, ast.Tuple) else [url]
            for u in urls:
                assert isinstance(u, ast.Constant) and isinstance(u.value, str), where
                found.append((method.value, u.value))
    return found


def test_every_url_is_written_where_its_route_is_declared() -> None:
    declared = _declared()
    assert len(declared) == len(set(declared))
    assert sorted(declared) == sorted((r.method, r.path) for r in ROUTES)


def test_every_route_names_the_function_serving_it() -> None:
    for route in ROUTES:
        module_name, _, name = route.handler.partition(":")
        handler = getattr(importlib.import_module(module_name), name)
        assert callable(handler) and handler.__name__ == name, route
        source = Path(importlib.import_module(module_name).__file__ or "").read_text()
        assert f'"{route.path}"' in source, route


def test_a_per_media_route_passes_each_url_its_media() -> None:
    table = RouteTable("media_test", "Test")

    @table.route(
        "GET",
        (
            "/api/v2/conversations/calls/{conversationId}/thing",
            "/api/v2/conversations/emails/{conversationId}/thing",
        ),
        "A per-media thing",
        response="{Media}Thing",
    )
    def get_thing(conversationId: str, media: str) -> Response:
        return Response(f"{media} {conversationId}")

    app = Flask(__name__)
    app.register_blueprint(table.blueprint)
    client = app.test_client()
    assert client.get("/api/v2/conversations/emails/c1/thing").text == "email c1"
    assert client.get("/api/v2/conversations/calls/c2/thing").text == "call c2"
    assert [r.response for r in table.routes] == ["CallThing", "EmailThing"]
    assert {r.handler for r in table.routes} == {f"{__name__}:{get_thing.__qualname__}"}


def test_a_per_media_url_must_name_a_media_family() -> None:
    table = RouteTable("media_typo", "Test")
    with pytest.raises(ValueError, match="names no media family"):
        table.route("GET", ("/api/v2/conversations/call/{conversationId}",), "Typo")
