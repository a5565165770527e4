"""Random write requests for the promise test (``test_promise.py``).

Every write route of the server's route tables, with a body built from the route's request
model (its JSON schema) where each value is, by turns, a plausible one (an id of the right
kind, an address, an enum member), an id of another kind or of another conversation, an
unknown id, or junk of any JSON type. Path ids are drawn from the store as it is now.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

from gcmock.mockserver.routes import ROUTES, Route
from gcmock.mockserver.routes.base import FLAT_MEDIA
from gcmock.scenarios import World

__all__ = [
    "GROUPS",
    "JUNK",
    "Pools",
    "Request",
    "clock_request",
    "mutated",
    "request_for",
    "write_routes",
]

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ADMIN_WRITES = frozenset({("POST", "/__admin/conversations"), ("POST", "/__admin/reset")})
"""The admin writes that change conversations (the clock is interleaved with every group)."""

UNKNOWN = "00000000-0000-4000-8000-000000000000"
JUNK_TEXT = st.sampled_from(
    ["", " ", "¤", "abc", "null", "tel:", "tel:tel:+14155550100", "sip:", "+1", "0" * 300, "../x"]
)
JUNK: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    JUNK_TEXT,
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
"""Values of every JSON type that a field does not expect."""

ADDRESSES = st.sampled_from(
    [
        "+13125550111",
        "tel:+13125550122",
        "TEL:+1 (312) 555-0133",
        "+44 20 7946 0958",
        "sip:bob@example.com",
        "sips:+13125550144@10.0.0.1;user=phone",
        "3125550111",
        "+0123",
        "abc",
        "¤",
    ]
)


def write_routes() -> list[Route]:
    """Every route that writes, but the admin API's other than a conversation load or reset."""
    return [
        r
        for r in ROUTES
        if r.method in WRITE_METHODS
        and (not r.path.startswith("/__admin") or (r.method, r.path) in ADMIN_WRITES)
    ]


CONVERSATION_TAGS = ("Admin", "Calls", "Participants", "Transfers")
"""Route tables whose writes change conversations; the rest (analytics, directory search,
notifications, tokens) share one group."""


def _groups() -> dict[str, list[Route]]:
    out: dict[str, list[Route]] = {}
    for r in write_routes():
        out.setdefault(r.tag if r.tag in CONVERSATION_TAGS else "Other", []).append(r)
    return out


GROUPS = _groups()
"""Write routes by route table (tag): one property run per group."""


@dataclass
class Conv:
    id: str
    media: str
    live: bool
    participants: list[tuple[str, list[str]]]
    """(participant id, its communication ids), an agent or user still on it first."""


@dataclass
class Pools:
    """The ids a request may name, as the store has them now."""

    world: World
    convs: list[Conv]
    docs: list[dict[str, Any]]
    jobs: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)

    def ids(self, kind: str) -> list[str]:
        w = self.world
        if kind == "user":
            return [u.id for u in w.users]
        if kind == "queue":
            return [q.id for q in w.queues]
        if kind == "code":
            return [c.id for c in w.wrapup_codes]
        if kind == "contact":
            return [c.id for c in w.contacts[:20]]
        if kind == "conversation":
            return [c.id for c in self.convs]
        if kind == "participant":
            return [p for c in self.convs for p, _ in c.participants]
        return [m for c in self.convs for _, comms in c.participants for m in comms]

    def any_id(self) -> st.SearchStrategy[str]:
        kinds = ("user", "queue", "code", "contact", "conversation", "participant", "comm")
        return st.sampled_from(kinds).flatmap(
            lambda k: st.sampled_from(self.ids(k) or [UNKNOWN])
        ) | st.just(UNKNOWN)


ID_KINDS = {
    "userId": "user",
    "callUserId": "user",
    "consultingUserId": "user",
    "queueId": "queue",
    "callFromQueueId": "queue",
    "callQueueId": "queue",
    "code": "code",
    "contactId": "contact",
    "externalContactId": "contact",
    "conversationIds": "conversation",
}


def _mostly(proper: st.SearchStrategy[Any], junk: st.SearchStrategy[Any]) -> Any:
    """``proper`` nine times in ten, ``junk`` else; the simplest draw is ``proper`` (the
    generator starts from simple examples: a junk-first choice would make most of them junk).
    A body has several fields, so about a third of bodies carry some junk."""
    return st.integers(0, 9).flatmap(lambda i: junk if i == 3 else proper)


def _string(name: str, schema: dict[str, Any], pools: Pools) -> st.SearchStrategy[Any]:
    if name in ("address", "phoneNumber"):
        return _mostly(ADDRESSES, st.text(max_size=20))
    kind = ID_KINDS.get(name)
    if kind is not None:
        return _mostly(st.sampled_from(pools.ids(kind) or [UNKNOWN]), pools.any_id())
    if schema.get("format") == "date-time":
        return st.sampled_from(
            ["2026-11-01T00:00:00Z", "2026-11-01T00:10:00.000Z", "1970-01-01T00:00:00Z"]
        ) | st.datetimes().map(lambda d: d.isoformat())
    return st.text(max_size=int(min(schema.get("maxLength", 16), 16)))


def value(
    schema: dict[str, Any], name: str, pools: Pools, defs: dict[str, Any], depth: int = 0
) -> st.SearchStrategy[Any]:
    """A value for ``schema`` (a property ``name`` of a request model), junk now and then."""
    if not isinstance(schema, dict):  # ``additionalProperties: true``
        return JUNK
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return st.one_of([value(s, name, pools, defs, depth) for s in options])
    kind = schema.get("type")
    proper: st.SearchStrategy[Any]
    if "enum" in schema:
        proper = st.sampled_from(schema["enum"])
    elif kind == "string":
        proper = _string(name, schema, pools)
    elif kind == "integer":
        lo, hi = schema.get("minimum", -10), schema.get("maximum", 10**6)
        proper = st.integers(lo, hi) | st.integers(lo, lo + 100)
    elif kind == "number":
        proper = st.floats(schema.get("minimum", -1e6), schema.get("maximum", 1e6))
    elif kind == "boolean":
        proper = st.booleans()
    elif kind == "array" and depth < 3:
        items = value(schema.get("items", {}), name, pools, defs, depth + 1)
        proper = st.lists(items, max_size=3)
    elif kind == "object" and depth < 3:
        proper = _object(schema, pools, defs, depth + 1)
    else:
        proper = JUNK
    return _mostly(proper, JUNK)


def _object(
    schema: dict[str, Any], pools: Pools, defs: dict[str, Any], depth: int
) -> st.SearchStrategy[dict[str, Any]]:
    props = schema.get("properties", {})
    if not props:
        values = value(schema.get("additionalProperties", {}), "", pools, defs, depth)
        return st.dictionaries(st.text(max_size=8), values, max_size=4)
    required = set(schema.get("required", ()))
    fields = {k: value(s, k, pools, defs, depth) for k, s in props.items()}
    fields = {k: v if k in required else _present(v) for k, v in fields.items()}
    return st.fixed_dictionaries(fields).map(
        lambda d: {k: v for k, v in d.items() if v is not _ABSENT}
    )


_ABSENT = object()


def _present(field: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An optional field: given two times in three (the simplest draw gives it)."""
    return st.integers(0, 2).flatmap(lambda i: st.just(_ABSENT) if i == 1 else field)


@dataclass(frozen=True)
class Request:
    route: Route | None
    method: str
    path: str
    json: Any = None
    data: Any = None
    form: dict[str, str] | None = None
    query: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        body = self.json if self.data is None else self.data
        return f"{self.method} {self.path} {self.query or ''} {body!r}"[:2000]


def _route_media(route: Route) -> str | None:
    parts = route.path.split("/")
    if parts[:4] == ["", "api", "v2", "conversations"] and len(parts) > 4:
        return FLAT_MEDIA.get(parts[4])
    return None


def _path(route: Route, pools: Pools, data: st.DataObject) -> str:
    media = _route_media(route)
    every = pools.convs or [Conv(UNKNOWN, "call", False, [(UNKNOWN, [UNKNOWN])])]
    convs = [c for c in every if c.live and (media is None or c.media == media)]
    conv = data.draw(_mostly(st.sampled_from(convs or every), st.sampled_from(every)), "conv")
    pid, comms = data.draw(
        _mostly(
            st.sampled_from(conv.participants[:1]) | st.sampled_from(conv.participants),
            st.sampled_from(every).map(lambda c: c.participants[0]),
        ),
        "participant",
    )
    values = {
        "conversationId": conv.id,
        "participantId": pid,
        "communicationId": comms[0] if comms else UNKNOWN,
        "userId": data.draw(st.sampled_from(pools.ids("user")), "user"),
        "jobId": data.draw(st.sampled_from(pools.jobs or [UNKNOWN]), "job"),
        "channelId": data.draw(st.sampled_from(pools.channels or [UNKNOWN]), "channel"),
    }
    path = route.path
    for name, proper in values.items():
        if "{" + name + "}" in path:
            chosen = data.draw(_mostly(st.just(proper), pools.any_id() | JUNK_TEXT), name)
            path = path.replace("{" + name + "}", quote(str(chosen), safe="") or "x")
    return path


def _topics(pools: Pools) -> st.SearchStrategy[Any]:
    user, queue, conv = (
        st.sampled_from(pools.ids(k) or [UNKNOWN]) for k in ("user", "queue", "conversation")
    )
    topic = st.one_of(
        user.map(lambda u: f"v2.users.{u}.conversations"),
        queue.map(lambda q: f"v2.routing.queues.{q}.conversations"),
        conv.map(lambda c: f"v2.conversations.{c}"),
        JUNK_TEXT,
    )
    return st.lists(_mostly(st.fixed_dictionaries({"id": topic}), JUNK), max_size=3)


def request_for(route: Route, pools: Pools, data: st.DataObject) -> Request:
    """A random request to ``route``."""
    path = _path(route, pools, data)
    query: dict[str, Any] = {}
    if route.query is not None:
        schema = route.query.model_json_schema()
        query = data.draw(_object(schema, pools, schema.get("$defs", {}), 1), "query")
    if route.raw_body == "list[Conversation]":
        body = data.draw(_load_body(pools), "load")
        return Request(route, route.method, path, json=body, query=query)
    if route.raw_body == "list[ChannelTopic]":
        return Request(route, route.method, path, json=data.draw(_topics(pools)), query=query)
    if route.raw_body is not None:  # the token form
        grant = data.draw(st.sampled_from(["client_credentials", "password", ""]) | JUNK_TEXT)
        return Request(route, route.method, path, form={"grant_type": grant})
    if route.body is None:
        return Request(route, route.method, path, query=query)
    schema = route.body.model_json_schema()
    body = data.draw(_mostly(_object(schema, pools, schema.get("$defs", {}), 0), JUNK), "body")
    if data.draw(st.integers(0, 30), "raw") == 17:
        return Request(route, route.method, path, data=b'{"', query=query)
    return Request(route, route.method, path, json=body, query=query)


def clock_request(data: st.DataObject) -> Request:
    """Time passes (mostly a little, sometimes a lot), now and then a junk clock body."""
    advance = _mostly(st.integers(0, 60_000), st.integers(0, 3 * 3600_000))
    body = data.draw(_mostly(st.fixed_dictionaries({"advanceMs": advance}), JUNK), "clock")
    return Request(None, "POST", "/__admin/clock", json=body)


# -- conversation documents for a load -------------------------------------------------------


def _paths(doc: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield (*at, k)
            yield from _paths(v, (*at, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield (*at, i)
            yield from _paths(v, (*at, i))


def _values_of(doc: Any, key: Any) -> list[Any]:
    """Every value ``key`` has anywhere in ``doc``: a plausible replacement from elsewhere."""
    out: list[Any] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if key in node and not isinstance(node[key], (dict, list)):
                out.append(node[key])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


@st.composite
def mutated(draw: Any, doc: dict[str, Any], others: list[dict[str, Any]]) -> Any:
    """``doc`` with up to three of its fields replaced (by junk, or by a value the same key has
    elsewhere in it or in another conversation), dropped, or duplicated in a list."""
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(0, 3))):
        paths = list(_paths(doc))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        op = draw(st.sampled_from(["replace", "replace", "drop", "copy"]))
        if op == "drop":
            del parent[last]
        elif op == "copy" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        else:
            seen = [v for d in (doc, *others[:2]) for v in _values_of(d, last)]
            pick = st.sampled_from(seen) if seen else JUNK
            parent[last] = draw(_mostly(pick, JUNK))
    return doc


def _load_body(pools: Pools) -> st.SearchStrategy[Any]:
    if not pools.docs:
        return JUNK
    one = st.sampled_from(pools.docs).flatmap(lambda d: mutated(d, pools.docs))
    return st.one_of(one, st.lists(one, max_size=3), JUNK)
