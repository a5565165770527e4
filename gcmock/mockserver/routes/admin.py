"""``/__admin``: what a test needs to steer the mock — reset, dump and load conversations, the
request journal, fault injection, the clock, user tokens and health. No token is required."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import Response

from gcmock.scenarios import iso

from ..bodies import MAX_EPOCH_MS, ClockRequest, FaultSpec, JournalQuery, LoadQuery, TokenRequest
from ..dataset import from_documents
from ..errors import bad_request, not_found
from ..state import ServerState, current
from ..wire import json_response, no_content
from .base import RouteTable, read_json
from .common import user_by_id
from .conversations import conversation_bytes

__all__ = ["TABLE"]

TABLE = RouteTable("admin", "Admin")


def _summary(state: ServerState) -> dict[str, Any]:
    return {
        "conversations": len(state.store),
        "live": state.store.live_count,
        "now": iso(state.clock.now()),
        "frozen": state.clock.frozen,
    }


def _health(state: ServerState) -> Response:
    data = {"status": "ok", "seed": state.config.seed, **_summary(state)}
    if state.notifications.stream_url is not None:
        data["streamingUrl"] = state.notifications.stream_url
    return json_response(data)


@TABLE.route(
    "GET",
    "/__admin/health",
    "Liveness, counts and the server clock",
    response="AdminHealth",
    auth=False,
)
def health() -> Response:
    return _health(current())


@TABLE.route(
    "POST",
    "/__admin/reset",
    "Back to the served seed: conversations, clock; journal, faults and minted tokens cleared",
    response="AdminHealth",
    auth=False,
)
def reset() -> Response:
    state = current()
    state.reset()
    return _health(state)


@TABLE.route(
    "GET",
    "/__admin/conversations",
    "Dump every conversation (nested Conversation shape), oldest first",
    response="list[Conversation]",
    auth=False,
)
def dump() -> Response:
    snaps = current().store.dump()
    body = b"[" + b",".join(conversation_bytes(s) for s in snaps) + b"]"
    return json_response(body)


@TABLE.route(
    "POST",
    "/__admin/conversations",
    "Load conversations (one or a list, nested Conversation shape); replace=true drops the rest",
    query=LoadQuery,
    response="AdminLoaded",
    errors=(400, 415),
    auth=False,
    raw_body="list[Conversation]",
)
def load(query: LoadQuery) -> Response:
    data = read_json()
    if data is None:
        raise bad_request("a conversation or a list of conversations is required")
    conversations = from_documents(data)
    state = current()
    count = state.store.load(conversations, replace=query.replace, owned=True)
    return json_response({"loaded": count, **_summary(state)})


@TABLE.route(
    "GET",
    "/__admin/requests",
    "The request journal, oldest first, filtered",
    query=JournalQuery,
    response="AdminRequests",
    errors=(400,),
    auth=False,
)
def requests(query: JournalQuery) -> Response:
    entries = current().journal.query(
        method=query.method, path=query.path or None, status=query.status, limit=query.limit
    )
    return json_response({"requests": entries})


@TABLE.route("DELETE", "/__admin/requests", "Clear the journal", status=204, auth=False)
def clear_requests() -> Response:
    current().journal.clear()
    return no_content()


@TABLE.route(
    "GET",
    "/__admin/faults",
    "The active faults",
    response="AdminFaults",
    auth=False,
)
def faults() -> Response:
    return json_response({"faults": current().faults.list()})


@TABLE.route(
    "POST",
    "/__admin/faults",
    "Add a fault",
    body=FaultSpec,
    response="AdminFault",
    status=201,
    errors=(400, 415),
    auth=False,
)
def add_fault(body: FaultSpec) -> Response:
    if body.status is None and body.latencyMs == 0 and not body.latencyMaxMs:
        raise bad_request("a fault needs a status or a latency", "status", "missing")
    if body.latencyMaxMs is not None and body.latencyMaxMs < body.latencyMs:
        raise bad_request("latencyMaxMs must be >= latencyMs", "latencyMaxMs")
    fault = current().faults.add(body)
    return json_response(fault.to_json(), 201)


@TABLE.route("DELETE", "/__admin/faults", "Clear every fault", status=204, auth=False)
def clear_faults() -> Response:
    current().faults.clear()
    return no_content()


@TABLE.route(
    "DELETE",
    "/__admin/faults/{faultId}",
    "Remove one fault",
    status=204,
    errors=(404,),
    auth=False,
)
def remove_fault(faultId: str) -> Response:
    if not current().faults.remove(faultId):
        raise not_found(f"fault {faultId} not found")
    return no_content()


def _epoch_ms(at: int | datetime) -> int:
    if isinstance(at, int):
        return at
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    ms = int(at.timestamp() * 1000)
    if not 0 <= ms <= MAX_EPOCH_MS:
        raise bad_request("now must be between 1970 and 9999", "now")
    return ms


def _clock(state: ServerState, advanced: int = 0) -> Response:
    clock = state.clock
    return json_response(
        {
            "now": iso(clock.now()),
            "epochMs": clock.now(),
            "frozen": clock.frozen,
            "advanced": advanced,
        }
    )


@TABLE.route(
    "GET",
    "/__admin/clock",
    "The server clock",
    response="AdminClock",
    auth=False,
)
def get_clock() -> Response:
    return _clock(current())


@TABLE.route(
    "POST",
    "/__admin/clock",
    "Freeze or unfreeze, set, and/or advance the clock; due automatic steps run at once",
    body=ClockRequest,
    response="AdminClock",
    errors=(400, 415),
    auth=False,
)
def post_clock(body: ClockRequest) -> Response:
    state = current()
    clock = state.clock
    if body.freeze is True:
        clock.freeze()
    elif body.freeze is False:
        clock.unfreeze()
    if body.now is not None:
        clock.set(_epoch_ms(body.now))
    if body.advanceMs:
        clock.advance(body.advanceMs)
    changed = state.store.catch_up()
    state.notifications.tick()
    return _clock(state, changed)


@TABLE.route(
    "POST",
    "/__admin/tokens",
    "Mint a bearer token, optionally for a user (that user's conversations are 'mine')",
    body=TokenRequest,
    response="OAuthToken",
    errors=(400, 404, 415),
    auth=False,
)
def tokens(body: TokenRequest) -> Response:
    if body.userId is not None:
        user_by_id(body.userId)
    state = current()
    ttl = body.expiresIn or state.config.token_ttl_s
    issued = state.tokens.issue(state.clock.now(), ttl, body.userId, minted=True)
    data: dict[str, Any] = {"access_token": issued.value, "token_type": "bearer", "expires_in": ttl}
    if body.userId is not None:
        data["userId"] = body.userId
    return json_response(data)
