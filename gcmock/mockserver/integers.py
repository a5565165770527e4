"""Integers written as ``1.0``: JSON Schema calls any number with a zero fractional part an
integer, so a body the handler reads itself (a posted ``Conversation``) has its integral
floats turned into ints where the SDK's schema says ``integer``, and ``1.5`` there refused."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from .errors import bad_request

__all__ = ["integers_of"]

_REF = "#/components/schemas/"


@functools.cache
def _schemas() -> dict[str, Any]:
    text = resources.files("gcmock.mockserver").joinpath("sdk_schemas.json").read_text()
    schemas: dict[str, Any] = json.loads(text)
    return schemas


def integers_of(value: Any, model: str, where: str = "") -> Any:
    """``value`` (JSON of SDK model ``model``) with integral floats as ints where the schema
    says ``integer``; a 400 naming the field (``where`` + its path) for any other float there."""
    return _walk(value, {"$ref": _REF + model}, where)


def _walk(value: Any, schema: dict[str, Any], where: str) -> Any:
    ref = schema.get("$ref")
    if ref is not None:
        schema = _schemas().get(ref.removeprefix(_REF), {})
    if isinstance(value, float) and schema.get("type") == "integer":
        if not value.is_integer():
            raise bad_request(f"{where} must be an integer, not {value}", where)
        return int(value)
    if isinstance(value, dict):
        props: dict[str, Any] = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        out = {}
        for key, item in value.items():
            sub = props.get(key, extra if isinstance(extra, dict) else None)
            path = f"{where}.{key}" if where else key
            out[key] = item if sub is None else _walk(item, sub, path)
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_walk(item, schema["items"], f"{where}[{i}]") for i, item in enumerate(value)]
    return value
