"""Queue observations (``QueueObservationQuery``): what is waiting, alerting and interacting in
each queue at one instant, read off the conversations' timelines.

At ``t`` an ACD leg of queue Q that has entered the queue and not left it is *waiting*, unless
an agent of Q on the same conversation is alerting then (that conversation is *alerting*); an
agent leg of Q is *alerting* from its offer until it connects or ends, and *interacting* from
its connection (an outbound leg placed for the queue: from its start) until it ends or, with
after-call work, until the wrap-up is done (ACW counts as interacting). A conversation counts
once per queue, media type and state. ``oLongestWaiting`` and ``oLongestInteracting`` report
the longest such state (``calculatedMetricValue``, ms) and the conversation in it. Conversation
metrics are grouped by ``queueId`` and ``mediaType``, ``oMemberUsers`` (the queue's members in
the world) by ``queueId``. The user-state metrics need agent presence and routing status, which
the served org does not have yet: a query naming one is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..engine.model import Conversation, Participant
from ..views.analytics_facts import ANALYTICS_MEDIA_TYPES
from ..views.timestamps import iso
from ..world import World
from .filters import Filter, parse_filter
from .vocabulary import Kind, QueryError, check_keys, require

__all__ = [
    "CONVERSATION_OBSERVATIONS",
    "OBSERVATION_MEDIA_TYPES",
    "USER_STATE_OBSERVATIONS",
    "ObservationQuery",
    "Observed",
    "observe_queues",
    "observed_states",
    "parse_observation_query",
]

CONVERSATION_OBSERVATIONS = (
    "oAlerting",
    "oInteracting",
    "oLongestInteracting",
    "oLongestWaiting",
    "oWaiting",
)
USER_STATE_OBSERVATIONS = (
    "oActiveUsers",
    "oOffQueueUsers",
    "oOnQueueUsers",
    "oUserPresences",
    "oUserRoutingStatuses",
)
"""Metrics that need agent presence and routing status: refused until the org has them."""
_SERVED = (*CONVERSATION_OBSERVATIONS, "oMemberUsers")
OBSERVATION_MEDIA_TYPES = ("voice", "chat", "email", "callback", "message")
"""The media types a queue routes, in the order groups are listed."""
_STATE_OF = {
    "oWaiting": "waiting",
    "oLongestWaiting": "waiting",
    "oAlerting": "alerting",
    "oInteracting": "interacting",
    "oLongestInteracting": "interacting",
}
OBSERVATION_KIND = Kind(
    "observation",
    "QueueObservationQueryPredicate",
    frozenset({"queueId", "mediaType"}),
    frozenset(),
)


@dataclass(frozen=True, slots=True)
class ObservationQuery:
    """A validated ``QueueObservationQuery``."""

    filter: Filter
    queue_ids: tuple[str, ...]
    """The queues the filter names, in the order it names them."""
    metrics: tuple[str, ...]
    detail_metrics: frozenset[str]


def _metric_list(body: dict[str, Any], key: str) -> tuple[str, ...]:
    names = tuple(require(body.get(key) or [], list, key, "a list of metrics"))
    for i, name in enumerate(names):
        if name in USER_STATE_OBSERVATIONS:
            raise QueryError(
                f"{key}[{i}]",
                f"{name} is not served yet: gcmock's org has no agent presence or routing status",
            )
        if name not in _SERVED:
            raise QueryError(f"{key}[{i}]", f"unknown metric {name!r}")
    return names


def _named_queues(f: Filter) -> Iterator[str]:
    for p in f.predicates:
        if p.key == "queueId" and p.value is not None:
            yield p.value
    for c in f.clauses:
        yield from _named_queues(c)


def parse_observation_query(body: Any) -> ObservationQuery:
    """Validate an observations query body; raise :class:`QueryError` naming the first problem."""
    require(body, dict, "body", "a JSON object (QueueObservationQuery)")
    check_keys(body, ("filter", "metrics", "detailMetrics"), "", "QueueObservationQuery")
    if body.get("filter") is None:
        raise QueryError("filter", "is required")
    flt = parse_filter(body["filter"], OBSERVATION_KIND, "filter")
    queues = tuple(dict.fromkeys(_named_queues(flt)))
    if not queues:
        raise QueryError("filter", "must name at least one queueId")
    metrics = _metric_list(body, "metrics") or _SERVED
    return ObservationQuery(flt, queues, metrics, frozenset(_metric_list(body, "detailMetrics")))


@dataclass(frozen=True, slots=True)
class Observed:
    """One conversation in one state in one queue at the observed instant."""

    queue_id: str
    media_type: str
    state: str
    """``waiting``, ``alerting`` or ``interacting``."""
    since: int
    """When that state began: queue entry, the offer, the connection."""
    conversation: Conversation
    leg: Participant
    """The ACD leg (waiting) or the agent's (alerting, interacting)."""


def _alerting(p: Participant, t: int) -> bool:
    """Offered (an ACD alert) and neither answered nor ended yet."""
    c = p.comm
    if c.alerting_start is None:
        return False
    ends = [x for x in (c.connected, c.disconnected) if x is not None]
    return c.alerting_start <= t and (not ends or t < min(ends))


def _engaged(p: Participant) -> int | None:
    """When the agent's leg began to occupy them for the queue: its connection, or the start
    of a leg never offered (an outbound call placed for the queue, dialing)."""
    c = p.comm
    return c.start if c.alerting_start is None else c.connected


def _interacting(p: Participant, t: int) -> bool:
    c = p.comm
    begun = _engaged(p)
    if begun is None or t < begun:
        return False
    if c.disconnected is None or t < c.disconnected:
        return True
    return p.acw_start is not None and p.acw_start <= t and (p.acw_end is None or t < p.acw_end)


def observed_states(conv: Conversation, t: int) -> list[Observed]:
    """The (queue, media type, state) this conversation is in at ``t``, once each, with the
    leg that has been in it longest."""
    found: dict[tuple[str, str, str], Observed] = {}

    def note(p: Participant, state: str, since: int) -> None:
        assert p.queue_id is not None
        media = ANALYTICS_MEDIA_TYPES.get(p.comm.media, "unknown")
        key = (p.queue_id, media, state)
        if key not in found or since < found[key].since:
            found[key] = Observed(p.queue_id, media, state, since, conv, p)

    agents = [p for p in conv.participants if p.purpose == "agent" and p.queue_id and p.comms]
    for p in agents:
        if _alerting(p, t):
            assert p.comm.alerting_start is not None
            note(p, "alerting", p.comm.alerting_start)
        elif _interacting(p, t):
            engaged = _engaged(p)
            assert engaged is not None
            note(p, "interacting", engaged)
    alerted = {k[0] for k in found if k[2] == "alerting"}
    for p in conv.participants:
        if p.purpose != "acd" or not p.queue_id or not p.comms or p.queue_id in alerted:
            continue
        c = p.comm
        if c.start <= t and (c.disconnected is None or t < c.disconnected):
            note(p, "waiting", c.start)
    return list(found.values())


def _observation(o: Observed) -> dict[str, Any]:
    """An ``ObservationValue``: the conversation, its leg, the routing it asked the queue for."""
    conv, leg, customer = o.conversation, o.leg, o.conversation.customer
    legs = [p for p in conv.participants if p.purpose == "acd" and p.queue_id == o.queue_id]
    routing = next((p.routing for p in legs if p.routing), None) or {}
    value: dict[str, Any] = {
        "observationDate": iso(o.since),
        "conversationId": conv.id,
        "sessionId": leg.comm.id,
        "routingPriority": routing.get("priority"),
        "participantName": customer.name,
        "userId": leg.user_id,
        "direction": customer.comm.direction if customer.comms else None,
        "ani": customer.ani,
        "dnis": customer.dnis,
        "requestedRoutingSkillIds": [s["id"] for s in routing.get("skills", ())] or None,
        "requestedLanguageId": (routing.get("language") or {}).get("id"),
    }
    return {k: v for k, v in value.items() if v is not None}


def _datum(name: str, found: list[Observed], t: int, detail: bool) -> dict[str, Any]:
    if name.startswith("oLongest"):
        if not found:
            return {"metric": name, "stats": {"count": 0}}
        longest = min(found, key=lambda o: (o.since, o.conversation.id))
        datum: dict[str, Any] = {
            "metric": name,
            "stats": {"count": len(found), "calculatedMetricValue": t - longest.since},
        }
        if detail:
            datum["observations"] = [_observation(longest)]
        return datum
    datum = {"metric": name, "stats": {"count": len(found)}}
    if detail and found:
        ordered = sorted(found, key=lambda o: (o.since, o.conversation.id))
        datum["observations"] = [_observation(o) for o in ordered]
    return datum


def observe_queues(
    conversations: Iterable[Conversation], t: int, q: ObservationQuery, world: World
) -> dict[str, Any]:
    """The ``QueueObservationQueryResponse`` at ``t`` over ``conversations`` (those not settled
    suffice: a settled one is in no state)."""
    selected = {
        (queue, media)
        for queue in q.queue_ids
        for media in OBSERVATION_MEDIA_TYPES
        if q.filter.test({"queueId": queue, "mediaType": media})
    }
    by_cell: dict[tuple[str, str, str], list[Observed]] = {}
    for conv in conversations:
        for o in observed_states(conv, t):
            if (o.queue_id, o.media_type) in selected:
                by_cell.setdefault((o.queue_id, o.media_type, o.state), []).append(o)
    members = {queue.id: len(queue.member_ids) for queue in world.queues}
    conversation_metrics = [m for m in q.metrics if m in _STATE_OF]
    results: list[dict[str, Any]] = []
    for queue in q.queue_ids:
        if "oMemberUsers" in q.metrics and any(
            (queue, m) in selected for m in OBSERVATION_MEDIA_TYPES
        ):
            datum = {"metric": "oMemberUsers", "stats": {"count": members.get(queue, 0)}}
            results.append({"group": {"queueId": queue}, "data": [datum]})
        if not conversation_metrics:
            continue
        for media in OBSERVATION_MEDIA_TYPES:
            if (queue, media) not in selected:
                continue
            data = [
                _datum(m, by_cell.get((queue, media, _STATE_OF[m]), []), t, m in q.detail_metrics)
                for m in conversation_metrics
            ]
            results.append({"group": {"queueId": queue, "mediaType": media}, "data": data})
    return {"results": results}
