"""The indexed dimensions of an analytics record, read off the engine state without building the
record: what a query index needs to select a conversation."""

from __future__ import annotations

from ..engine.model import Conversation
from .analytics_facts import ANALYTICS_DISCONNECT_TYPES, ANALYTICS_MEDIA_TYPES

__all__ = [
    "INDEXED_CONVERSATION_DIMENSIONS",
    "INDEXED_SEGMENT_DIMENSIONS",
    "indexed_values",
]

INDEXED_SEGMENT_DIMENSIONS = (
    "queueId",
    "userId",
    "mediaType",
    "direction",
    "purpose",
    "wrapUpCode",
    "segmentType",
    "disconnectType",
    "ani",
    "dnis",
)
"""The segment dimensions queries filter by most: :func:`indexed_values` reads their values
off the engine state, so an index can answer them without building records."""
INDEXED_CONVERSATION_DIMENSIONS = ("originatingDirection", "conversationInitiator", "divisionId")
"""The conversation dimensions an index answers the same way (disjoint from the segment ones,
so a (dimension, value) pair says which it is)."""


def indexed_values(conv: Conversation) -> set[tuple[str, str]]:
    """(dimension, value) of the indexed dimensions of ``to_analytics(conv)``, read off the
    engine state without building the record (a tenth of its cost): each of
    :data:`INDEXED_SEGMENT_DIMENSIONS` over every segment row (a segment seen with its
    session's and participant's fields) and each of :data:`INDEXED_CONVERSATION_DIMENSIONS`.
    What a query index needs to select a conversation. The rules are those of
    :func:`~.analytics.conversation_header`, ``analytics._session`` and ``analytics._segments``
    (:func:`~.analytics_facts.visible_segments`, ``_segment_type``, ``_segment_queue``),
    inlined because an index runs this for every conversation a query's interval reaches (that
    is also why it is long); tests hold them equal."""
    out: set[tuple[str, str]] = {("originatingDirection", conv.originating_direction)}
    if conv.participants:
        out.add(("conversationInitiator", conv.participants[0].purpose))
    for division in conv.division_ids:
        out.add(("divisionId", division))
    add = out.add
    disconnects = ANALYTICS_DISCONNECT_TYPES
    for p in conv.participants:
        purpose, queue, user = p.purpose, p.queue_id, p.user_id
        customer = purpose == "customer"
        primary = True
        for c in p.comms:
            wrapup = primary and p.acw_start is not None
            primary = False
            media = c.media
            segments = c.segments
            shown = queued = False
            if segments:
                final = segments[-1]
                for s in segments:
                    if s.end == s.start and s is not final:
                        continue
                    shown = True
                    kind = s.kind
                    if kind == "sharing" and media == "screenMonitoring":
                        kind = "screenmonitoring"
                    add(("segmentType", kind))
                    if s.disconnect_type is not None:
                        add(("disconnectType", disconnects.get(s.disconnect_type, "other")))
                    if not customer or kind != "system":
                        queued = True
            if not shown and not wrapup:
                continue
            if queue is not None and (queued or wrapup):
                add(("queueId", queue))
            add(("purpose", purpose))
            if user is not None:
                add(("userId", user))
            add(("mediaType", ANALYTICS_MEDIA_TYPES.get(media, "unknown")))
            add(("direction", c.direction))
            if media == "call" or media == "callback":
                if p.ani is not None:
                    add(("ani", p.ani))
                if p.dnis is not None:
                    add(("dnis", p.dnis))
            if wrapup:
                add(("segmentType", "wrapup"))
                if p.wrapup is not None:
                    add(("wrapUpCode", p.wrapup.code))
                if c.disconnect_type is not None:
                    add(("disconnectType", disconnects.get(c.disconnect_type, "other")))
    return out
