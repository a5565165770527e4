"""The URL table: every route is declared once with its body and query models and its response
model, then registered on a blueprint and described in ``/openapi.json`` from the same record.

Every URL is written out where its route is declared, so searching the code for a URL finds
its handler. Handlers receive path parameters as keyword arguments, plus ``body`` and ``query``
(validated pydantic models) when the route declares them, plus ``media`` for routes that exist
once per media family (``/conversations/calls/...``, ``/callbacks/...``...).
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, Union

import orjson
from flask import Blueprint, Response, request
from pydantic import BaseModel, ValidationError

from ..auth import Token
from ..bodies import QUERY_MAX
from ..errors import ApiError, bad_request
from ..wire import TOKEN_KEY

__all__ = [
    "FLAT_MEDIA",
    "Handler",
    "Route",
    "RouteTable",
    "parse_body",
    "parse_query",
    "read_json",
    "token",
]

Handler = Callable[..., Response]
M = TypeVar("M", bound=BaseModel)

FLAT_MEDIA: Mapping[str, str] = {
    "calls": "call",
    "callbacks": "callback",
    "emails": "email",
    "messages": "message",
}
"""Path segment -> engine media, for the per-media route families."""


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    """OpenAPI template: ``/api/v2/conversations/{conversationId}``."""
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: str | None = None
    """Response model: an SDK model name, ``list[Name]``, ``str``, or None for no body."""
    status: int = 200
    errors: tuple[int, ...] = ()
    auth: bool = True
    raw_body: str | None = None
    """A body validated by the handler itself, named like ``response``."""
    handler: str = ""
    """What serves it, as ``module:function``."""
    content_type: str = "application/json"
    """Of a successful response (the UI's pages and pictures are not JSON)."""

    @property
    def operation_id(self) -> str:
        words = [self.method.lower()]
        for part in self.path.strip("/").split("/"):
            if part in ("api", "v2"):
                continue
            words.append(("by_" + part[1:-1]) if part.startswith("{") else part)
        return "_".join(re.sub(r"\W", "_", w) for w in words)


@dataclass
class RouteTable:
    """Routes of one resource family, on one blueprint."""

    name: str
    tag: str
    routes: list[Route] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.blueprint = Blueprint(self.name, __name__)

    def route(
        self,
        method: str,
        path: str | tuple[str, ...],
        summary: str,
        *,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: str | None = None,
        status: int = 200,
        errors: tuple[int, ...] = (),
        auth: bool = True,
        raw_body: str | None = None,
        content_type: str = "application/json",
    ) -> Callable[[Handler], Handler]:
        """Declare ``handler`` for ``method path``.

        A route that exists once per media family gives ``path`` as the tuple of its URLs
        (``"/api/v2/conversations/calls/{conversationId}"``, ``".../callbacks/..."``...): each
        is registered, the handler called with ``media=`` the engine media of the URL's family,
        and ``{Media}`` in ``response`` (``Call``, ``Callback``...) names that media's model.
        """
        variants = [(path, None)] if isinstance(path, str) else [(u, _media(u)) for u in path]

        def register(handler: Handler) -> Handler:
            served = f"{handler.__module__}:{handler.__qualname__}"
            for url, medium in variants:
                model = response
                if response and medium:
                    model = response.replace("{Media}", medium[0].upper() + medium[1:])
                r = Route(
                    method,
                    url,
                    summary,
                    self.tag,
                    body,
                    query,
                    model,
                    status,
                    errors,
                    auth,
                    raw_body,
                    served,
                    content_type,
                )
                self.routes.append(r)
                view = _view(r, handler, medium)
                rule = url.replace("{", "<").replace("}", ">")
                self.blueprint.add_url_rule(
                    rule, endpoint=r.operation_id, view_func=view, methods=[method]
                )
            return handler

        return register


def _media(url: str) -> str:
    """The engine media of a per-media URL: ``/api/v2/conversations/emails/...`` -> email."""
    parts = url.split("/")
    family = parts[parts.index("conversations") + 1] if "conversations" in parts else ""
    if family not in FLAT_MEDIA:
        raise ValueError(f"{url} names no media family ({', '.join(FLAT_MEDIA)})")
    return FLAT_MEDIA[family]


def _view(route: Route, handler: Handler, medium: str | None) -> Handler:
    bound: Handler = functools.partial(handler, media=medium) if medium else handler
    body, query = route.body, route.query
    if body is None and query is None:
        return bound

    @functools.wraps(handler)
    def view(**path: str) -> Response:
        kwargs: dict[str, Any] = dict(path)
        if query is not None:
            kwargs["query"] = parse_query(query)
        if body is not None:
            kwargs["body"] = parse_body(body)
        return bound(**kwargs)

    return view


def token() -> Token:
    """The bearer token of the current ``/api/v2`` request (checked before dispatch)."""
    t: Token = request.environ[TOKEN_KEY]
    return t


def _details(err: ValidationError, prefix: str = "") -> list[dict[str, str]]:
    out = []
    for e in err.errors():
        name = ".".join(str(x) for x in e["loc"])
        kind = e["type"]
        code = (
            "missing.property"
            if kind == "missing"
            else "invalid.property"
            if kind == "extra_forbidden"
            else "invalid.value"
        )
        out.append({"errorCode": code, "fieldName": prefix + name})
    return out


def _validation_error(err: ValidationError, where: str) -> ApiError:
    first = err.errors()[0]
    field_name = ".".join(str(x) for x in first["loc"]) or where
    return ApiError(
        400,
        "bad.request",
        f"{where} {field_name}: {first['msg']}",
        details=_details(err),
    )


def read_json() -> Any:
    """The request's JSON body; None when there is none. 415 for a non-JSON content type."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    mimetype = request.mimetype
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiError(
            415,
            "unsupported.media.type",
            f"Content-Type {mimetype or '(none)'} is not supported; send application/json",
        )
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise bad_request("The request body is not valid JSON.") from None


def parse_body(model: type[M]) -> M:
    """The body as ``model``, validated strictly (JSON types as the schema says: ``false`` is
    not an integer, ``"1"`` is not a boolean)."""
    data = read_json()
    if data is None:
        raise bad_request(f"A {model.__name__} request body is required.", error_code="missing")
    raw = request.get_data(cache=True)
    try:
        return model.model_validate_json(raw, strict=True)
    except ValidationError as err:
        first = err
    if any(_integral_float(e) for e in first.errors()):
        try:
            retry = orjson.dumps(_integers(data))
        except TypeError:  # an integral float past 64 bits: no integer the schema takes
            retry = None
        if retry is not None:
            try:
                return model.model_validate_json(retry, strict=True)
            except ValidationError as err:
                raise _validation_error(err, "body") from None
    raise _validation_error(first, "body") from None


def _integral_float(error: Any) -> bool:
    value = error.get("input")
    return error["type"] == "int_type" and isinstance(value, float) and value.is_integer()


def _integers(value: Any) -> Any:
    """``value`` with every integral float (``1.0``) as an int: JSON Schema calls ``1.0`` an
    integer, pydantic's strict mode does not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _integers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integers(v) for v in value]
    return value


@functools.cache
def _list_fields(model: type[BaseModel]) -> frozenset[str]:
    def is_list(tp: Any) -> bool:
        origin = typing.get_origin(tp)
        if origin is list:
            return True
        if origin in (Union, types.UnionType):
            return any(is_list(a) for a in typing.get_args(tp))
        return False

    return frozenset(n for n, f in model.model_fields.items() if is_list(f.annotation))


def parse_query(model: type[M]) -> M:
    """Query parameters into ``model``; list parameters may repeat or be comma-joined."""
    lists = _list_fields(model)
    data: dict[str, Any] = {}
    for key in request.args:
        values = request.args.getlist(key)
        if key in lists:
            if any(len(value) > QUERY_MAX for value in values):
                raise bad_request(f"query parameter {key} is too long", key)
            data[key] = [v for value in values for v in value.split(",") if v]
        else:
            data[key] = values[-1]
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise _validation_error(err, "query parameter") from None
