"""Regenerate what gcmock derives from the official SDK (PureCloudPlatformClientV2):

- ``gcmock/mockserver/sdk_schemas.json``: JSON Schemas of the response models the mock server's
  routes return, read from the SDK models (``swagger_types``, ``attribute_map`` and the enum
  ``allowed_values`` of each setter); ``additionalProperties: false``, since the SDK drops any
  other field.
- ``docs/coverage.md``: which of the SDK's endpoints the mock implements, overall and in a
  table per family, with the handler serving each (like moto's implementation coverage).

Run ``python scripts/gen_sdk_artifacts.py``; ``--check`` exits 1 when a file is out of date
(the test suite runs that check).
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any

import PureCloudPlatformClientV2 as sdk

from gcmock.mockserver.routes import ROUTES
from gcmock.scenarios.views.topics import TOPICS

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "gcmock" / "mockserver" / "sdk_schemas.json"
COVERAGE = ROOT / "docs" / "coverage.md"

_PRIMITIVES: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "object": {},
    "LocalDateTime": {"type": "string"},
}
_ALLOWED = re.compile(r"allowed_values = (\[.*?\])", re.S)
_CALL = re.compile(r"resource_path = '([^']+)'.*?call_api\(resource_path, '(\w+)'", re.S)


def _model(name: str) -> Any:
    return getattr(sdk.models, name, None)


def _enum(cls: Any, attr: str) -> list[str] | None:
    prop = getattr(cls, attr, None)
    if not isinstance(prop, property) or prop.fset is None:
        return None
    found = _ALLOWED.search(inspect.getsource(prop.fset))
    return list(json.loads(found.group(1))) if found else None


def _type_schema(type_name: str, todo: list[str], enum: list[str] | None = None) -> dict[str, Any]:
    if type_name.startswith("list["):
        return {"type": "array", "items": _type_schema(type_name[5:-1], todo, enum)}
    if type_name.startswith("dict("):
        inner = type_name[type_name.index(",") + 1 : -1].strip()
        return {"type": "object", "additionalProperties": _type_schema(inner, todo)}
    if type_name in _PRIMITIVES:
        schema = dict(_PRIMITIVES[type_name])
        if enum is not None and type_name == "str":
            schema["enum"] = enum
        return schema
    if _model(type_name) is None:
        raise SystemExit(f"unknown SDK type {type_name}")
    todo.append(type_name)
    return {"$ref": f"#/components/schemas/{type_name}"}


def model_schemas(roots: list[str]) -> dict[str, Any]:
    """JSON Schemas of ``roots`` and every model they reach."""
    out: dict[str, Any] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in out:
            continue
        cls = _model(name)
        inst = cls()
        props = {
            inst.attribute_map[attr]: _type_schema(t, todo, _enum(cls, attr))
            for attr, t in inst.swagger_types.items()
        }
        out[name] = {"type": "object", "properties": props, "additionalProperties": False}
    return dict(sorted(out.items()))


def response_models() -> list[str]:
    """The routes' response models and the event models of the notification topics (their
    schemas are served by ``/api/v2/notifications/availabletopics``)."""
    names = {"ErrorBody", *(t.model for t in TOPICS)}
    for route in ROUTES:
        name = route.response or ""
        while name.startswith("list["):
            name = name[5:-1]
        if _model(name) is not None:
            names.add(name)
    return sorted(names)


def sdk_endpoints(prefix: str = "/api/v2/conversations") -> dict[tuple[str, str], str]:
    """(METHOD, path) -> SDK method, for every SDK endpoint under ``prefix``."""
    found: dict[tuple[str, str], str] = {}
    for api_name in sorted(n for n in dir(sdk) if n.endswith("Api")):
        api = getattr(sdk, api_name)
        for method_name, fn in inspect.getmembers(api, inspect.isfunction):
            if method_name.startswith("_") or method_name.endswith("_with_http_info"):
                continue
            match = _CALL.search(inspect.getsource(fn))
            if match and match.group(1).startswith(prefix):
                key = (match.group(2).upper(), match.group(1))
                found.setdefault(key, f"{api_name}.{method_name}")
    return found


def _shape(path: str) -> str:
    return re.sub(r"\{\w+\}", "{}", path)


FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Conversations", ("/api/v2/conversations",)),
    ("Analytics: conversations", ("/api/v2/analytics/conversations",)),
    ("Analytics: queues", ("/api/v2/analytics/queues",)),
    ("Users", ("/api/v2/users",)),
    ("Groups", ("/api/v2/groups",)),
    ("Teams", ("/api/v2/teams",)),
    ("Divisions", ("/api/v2/authorization/divisions",)),
    ("Locations", ("/api/v2/locations",)),
    ("Stations", ("/api/v2/stations",)),
    ("Telephony: edges", ("/api/v2/telephony/providers/edges",)),
    ("Routing", ("/api/v2/routing",)),
    ("External contacts", ("/api/v2/externalcontacts",)),
    ("Architect: IVRs and flows", ("/api/v2/architect/ivrs", "/api/v2/flows")),
    ("Notifications", ("/api/v2/notifications",)),
    ("Tokens", ("/api/v2/tokens",)),
)
"""Coverage tables: a family is every SDK endpoint under one of its path prefixes (a path
counts in the first family whose prefix is a whole-segment prefix of it)."""


def _family_of(path: str) -> str | None:
    for name, prefixes in FAMILIES:
        if any(path == p or path.startswith(p + "/") for p in prefixes):
            return name
    return None


def coverage() -> str:
    endpoints = sdk_endpoints("/api/v2/")
    ours = {(r.method, _shape(r.path)): r.handler for r in ROUTES}
    done = {k for k in endpoints if (k[0], _shape(k[1])) in ours}
    lines = [
        "# Implementation coverage",
        "",
        "Generated by `scripts/gen_sdk_artifacts.py` from the official SDK "
        f"(PureCloudPlatformClientV2 {_version()}); "
        "do not edit. `tests/mockserver/test_generated.py` fails when it is out of date.",
        "",
        f"Overall: **{len(done)} of {len(endpoints)}** SDK endpoints implemented.",
        "Handler is the function serving an endpoint (`module:function`).",
        "",
        "| Family | Implemented |",
        "|---|---|",
    ]
    grouped: dict[str, list[tuple[str, str]]] = {name: [] for name, _ in FAMILIES}
    for key in endpoints:
        family = _family_of(key[1])
        if family is not None:
            grouped[family].append(key)
    for name, keys in grouped.items():
        lines.append(f"| {name} | {sum(k in done for k in keys)} of {len(keys)} |")
    for name, keys in grouped.items():
        lines += [
            "",
            f"## {name}: {sum(k in done for k in keys)} of {len(keys)}",
            "",
            "| | Method | Path | SDK method | Handler |",
            "|---|---|---|---|---|",
        ]
        for key in sorted(keys, key=lambda k: (k[1], k[0])):
            handler = ours.get((key[0], _shape(key[1])))
            mark, served = ("x", f"`{handler}`") if handler else (" ", "")
            lines.append(f"| [{mark}] | {key[0]} | `{key[1]}` | `{endpoints[key]}` | {served} |")
    sdk_shapes = {(k[0], _shape(k[1])) for k in endpoints}
    others = sorted(
        {
            (r.method, r.path, r.handler)
            for r in ROUTES
            if (r.method, _shape(r.path)) not in sdk_shapes
        },
        key=lambda k: (k[1], k[0]),
    )
    lines += [
        "",
        "## Other routes the mock serves (not SDK endpoints)",
        "",
        "| Method | Path | Handler |",
        "|---|---|---|",
        *(f"| {m} | `{p}` | `{h}` |" for m, p, h in others),
        "",
        "## Notification topics",
        "",
        "Channels stream on the listener their `connectUri` names (`ws://HOST:PORT/channels/{id}`,",
        "beside the HTTP one). Topics served (`GET /api/v2/notifications/availabletopics`), with",
        "the SDK model every event body deserializes into; the engine makes no chats, cobrowse or",
        "screen-share sessions, social expressions or videos, so their topics are accepted but",
        "never carry an event:",
        "",
        "| Topic | SDK model |",
        "|---|---|",
        *(f"| `{t.template}` | `{t.model}` |" for t in TOPICS),
        "",
    ]
    return "\n".join(lines)


def _version() -> str:
    from importlib.metadata import version

    return version("PureCloudPlatformClientV2")


def artifacts() -> dict[Path, str]:
    schemas = json.dumps(model_schemas(response_models()), indent=1, sort_keys=True) + "\n"
    return {SCHEMAS: schemas, COVERAGE: coverage()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a file is out of date")
    args = parser.parse_args()
    stale = []
    for path, text in artifacts().items():
        current = path.read_text() if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.write_text(text)
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'}: {path.relative_to(ROOT)}", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
