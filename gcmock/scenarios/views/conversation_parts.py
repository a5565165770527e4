"""What the nested ``Conversation`` and the flattened ``{Media}Conversation`` views both show:
a communication's state, a participant's span, wrap-up, media roles, divisions and transfers,
and :class:`ConversationView`, the facts every leg's projection needs, computed once."""

from __future__ import annotations

from typing import Any

from ..engine.model import (
    ENDED_STATES,
    MEDIA_KEYS,
    Communication,
    Conversation,
    Participant,
    Wrapup,
)
from .timestamps import iso

__all__ = [
    "TERMINABLE",
    "ConversationView",
    "communication_state",
    "divisions_json",
    "media_roles",
    "participant_span",
    "put",
    "put_time",
    "to_assigned_wrapup_json",
    "transfers_json",
    "wrapup_json",
]


TERMINABLE = frozenset(MEDIA_KEYS) - {"email", "message", "internalMessage", "screenMonitoring"}
"""The media whose ended communications read ``terminated`` once the conversation is settled
(the SDK 269 models of the others have no such state)."""


def put(d: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless ``value`` is None: the SDK crashes on JSON nulls."""
    if value is not None:
        d[key] = value


def put_time(d: dict[str, Any], key: str, ms: int | None) -> None:
    """Set ``key`` to the timestamp ``ms``, unless it is None."""
    if ms is not None:
        d[key] = iso(ms)


def wrapup_json(w: Wrapup) -> dict[str, Any]:
    """A participant's or a communication's ``Wrapup``."""
    d: dict[str, Any] = {"code": w.code, "name": w.name}
    put(d, "notes", w.notes)
    d["tags"] = list(w.tags)
    put(d, "durationSeconds", w.duration_seconds)
    put_time(d, "endTime", w.end)
    if w.provisional:
        d["provisional"] = True
    return d


def to_assigned_wrapup_json(p: Participant) -> dict[str, Any]:
    """The ``AssignedWrapupCode`` of ``GET .../participants/{pid}/wrapup`` (empty: none yet)."""
    if p.wrapup is None:
        return {}
    d = wrapup_json(p.wrapup)
    del d["name"]
    d.pop("provisional", None)
    return d


_FULL_ROLE = frozenset({"customer", "external", "agent", "user"})
"""Purposes whose call legs have ``mediaRoles: ["full"]`` unless the engine set others."""


def media_roles(p: Participant, c: Communication) -> list[str] | None:
    """The leg's ``mediaRoles``: the engine's, else ``full`` for a call leg of a party."""
    if p.media_roles:
        return p.media_roles
    if c.media == "call" and p.purpose in _FULL_ROLE:
        return ["full"]
    return None


class ConversationView:
    """What every leg's projection needs from the whole conversation, computed once per call.

    ``settled`` decides ``terminated`` for every communication and ``owner`` finds a call's
    other party; recomputing them per leg made projecting quadratic in the participant count.
    """

    __slots__ = ("_owners", "conv", "no_media", "settled")

    def __init__(self, conv: Conversation, no_media: dict[str, Any] | None = None) -> None:
        self.conv = conv
        self.settled = conv.settled
        self.no_media = no_media
        """Shared empty media arrays when the document is only serialized; None: fresh lists."""
        self._owners: dict[str, Participant] | None = None

    def state(self, c: Communication) -> str:
        return communication_state(c, self.settled)

    def owner(self, communication_id: str | None) -> Participant | None:
        """The participant holding communication ``communication_id`` (a call's peer)."""
        if communication_id is None:
            return None
        if self._owners is None:
            self._owners = {}
            for p in self.conv.participants:
                for c in p.comms:
                    self._owners.setdefault(c.id, p)
        return self._owners.get(communication_id)


def communication_state(c: Communication, settled: bool) -> str:
    """The state a communication shows: an ended one reads ``terminated`` once the conversation
    is ``settled`` (ended, all after-call work done), for the media that have that state."""
    if settled and c.media in TERMINABLE and c.state in ENDED_STATES:
        return "terminated"
    return c.state


def participant_span(p: Participant) -> tuple[int | None, int | None]:
    """(connected, end) of a participant in one pass: ``Participant.connected`` and ``.end``."""
    connected: int | None = None
    end = 0
    live = not p.comms
    for c in p.comms:
        if c.connected is not None and (connected is None or c.connected < connected):
            connected = c.connected
        if c.state not in ENDED_STATES:
            live = True
        elif c.disconnected is not None and c.disconnected > end:
            end = c.disconnected
    return connected, None if live else end


def divisions_json(conv: Conversation) -> list[dict[str, Any]]:
    """Each division; the first (home) lists the queues and users the conversation touched."""
    if not conv.division_ids:
        return []
    entities: list[dict[str, Any]] = []
    seen: set[str] = set()
    for p in conv.participants:
        queue_id, user_id = p.queue_id, p.user_id
        if queue_id is not None and queue_id not in seen:
            seen.add(queue_id)
            entities.append({"id": queue_id, "selfUri": f"/api/v2/routing/queues/{queue_id}"})
        if user_id is not None and user_id not in seen:
            seen.add(user_id)
            entities.append({"id": user_id, "selfUri": f"/api/v2/users/{user_id}"})
    first = conv.division_ids[0]
    return [
        {
            "division": {"id": div, "selfUri": f"/api/v2/authorization/divisions/{div}"},
            "entities": entities if div == first else [],
        }
        for div in conv.division_ids
    ]


def transfers_json(conv: Conversation) -> list[dict[str, Any]]:
    """The ``recentTransfers`` of a conversation."""
    out = []
    for t in conv.transfers:
        d: dict[str, Any] = {"id": t.id, "state": t.state, "dateIssued": iso(t.issued)}
        if t.initiator_user_id is not None:
            d["initiator"] = {"userId": t.initiator_user_id}
        dest: dict[str, Any] = {}
        put(dest, "userId", t.destination_user_id)
        put(dest, "address", t.destination_address)
        if dest:
            d["destination"] = dest
        d["transferType"] = t.kind
        out.append(d)
    return out
