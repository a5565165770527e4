"""The official SDK as an oracle: deserialize our JSON through its models and report every field
it would drop and every enum value it would turn into ``outdated_sdk_version``."""

from __future__ import annotations

from typing import Any

import PureCloudPlatformClientV2 as sdk

_CLIENT = sdk.ApiClient()
_deserialize = _CLIENT._ApiClient__deserialize


def _model_class(name: str) -> Any:
    return getattr(sdk.models, name, None)


def _walk(data: Any, type_name: str, obj: Any, path: str, out: list[str]) -> None:
    if data is None:
        out.append(f"{path}: null")
        return
    if type_name.startswith("list["):
        inner = type_name[5:-1]
        for i, (d, o) in enumerate(zip(data, obj or [], strict=False)):
            _walk(d, inner, o, f"{path}[{i}]", out)
        return
    if type_name.startswith("dict("):
        inner = type_name[type_name.index(",") + 1 : -1].strip()
        for k, d in data.items():
            _walk(d, inner, (obj or {}).get(k), f"{path}.{k}", out)
        return
    cls = _model_class(type_name)
    if cls is None:
        if obj == "outdated_sdk_version":
            out.append(f"{path}: enum value {data!r} unknown to the SDK")
        return
    if not isinstance(data, dict):
        out.append(f"{path}: expected an object for {type_name}, got {type(data).__name__}")
        return
    inst = cls()
    by_json = {v: k for k, v in inst.attribute_map.items()}
    for key, value in data.items():
        attr = by_json.get(key)
        if attr is None:
            out.append(f"{path}.{key}: not a field of {type_name} (the SDK drops it)")
            continue
        _walk(value, inst.swagger_types[attr], getattr(obj, attr, None), f"{path}.{key}", out)


def sdk_problems(data: Any, model: str) -> list[str]:
    """Every dropped field, unknown enum value or null in ``data`` read as SDK ``model``."""
    obj = _deserialize(data, model)
    out: list[str] = []
    _walk(data, model, obj, model, out)
    return out
