"""The swimlane timeline of one conversation, laid out from its nested ``Conversation`` JSON.

One lane per participant (customer, IVR, queue, each agent, supervisors), a row per
communication in it, a bar per segment (plus after-call work), links between lanes for consults,
monitoring, coaching and barging, and a mark per transfer. Coordinates are pixels, computed from
the times only, so the page (``/__admin/ui``), the CLI (``--svg``) and a test that checks a
screenshot agree on where each bar is. :mod:`.timeline_svg` draws it.

Works from JSON, not engine state, so a file from ``gcmock generate`` or a capture from the real
platform draws the same way as a served conversation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..engine.model import MEDIA_KEYS

__all__ = [
    "GUTTER",
    "Bar",
    "Lane",
    "Link",
    "Mark",
    "Tick",
    "Timeline",
    "epoch_ms",
    "layout",
]

WIDTH = 1000
GUTTER = 220
"""Left column of lane labels; time starts at this x."""
RIGHT = 24
HEADER_H = 26
AXIS_H = 24
ROW_H = 22
BAR_H = 14
LANE_PAD = 8
LEGEND_H = 30
MIN_SPAN_MS = 1000
MIN_TICK_PX = 84
TICK_STEPS_S = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600)

_SEGMENT_KINDS = {
    "Alert": "alerting",
    "Barging": "barge",
    "Coaching": "coach",
    "Contacting": "dialing",
    "Dialing": "dialing",
    "Hold": "hold",
    "Interact": "talk",
    "Ivr": "ivr",
    "Monitoring": "monitor",
    "Scheduled": "scheduled",
    "Sharing": "sharing",
    "System": "system",
    "Voicemail": "voicemail",
}
_LANE_TALK = {"acd": "queue", "ivr": "ivr", "voicemail": "voicemail"}
"""What an ``Interact`` segment is on a lane that is not a person: waiting in queue, the menu."""
_ROLES = {"acd": "queue", "ivr": "IVR", "workflow": "flow"}
_SUPERVISION = (
    ("monitoredParticipantId", "monitor", "Monitoring"),
    ("coachedParticipantId", "coach", "Coaching"),
    ("bargedParticipantId", "barge", "Barging"),
)
_MEDIA_LISTS = tuple(MEDIA_KEYS.items())
_X = Callable[[int], float]


@dataclass(frozen=True, slots=True)
class Lane:
    index: int
    participant_id: str
    purpose: str
    role: str
    """``customer``, ``IVR``, ``queue``, ``agent``, ``supervisor``..."""
    name: str
    user_id: str | None
    y: float
    height: float
    start: int | None
    end: int | None

    @property
    def middle(self) -> float:
        """The y of the middle of the lane's first row, where links and marks attach."""
        return self.y + LANE_PAD / 2 + ROW_H / 2


@dataclass(frozen=True, slots=True)
class Bar:
    lane: int
    row: int
    kind: str
    start: int
    end: int
    open: bool
    """Still going on: ``end`` is the timeline's now."""
    participant_id: str
    communication_id: str | None
    media: str | None
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Link:
    kind: str
    """``consult``, ``monitor``, ``coach``, ``barge`` or ``transfer``."""
    at: int
    source: int
    target: int
    x: float
    y1: float
    y2: float
    detail: str


@dataclass(frozen=True, slots=True)
class Mark:
    kind: str
    at: int
    lane: int
    x: float
    y: float
    detail: str
    transfer_id: str | None


@dataclass(frozen=True, slots=True)
class Tick:
    at: int
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Timeline:
    conversation_id: str
    media: str
    start: int
    end: int
    now: int
    live: bool
    width: int
    height: int
    x0: float
    scale: float
    """Pixels per millisecond."""
    lanes: tuple[Lane, ...]
    bars: tuple[Bar, ...]
    links: tuple[Link, ...]
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]

    def x(self, at: int) -> float:
        return self.x0 + (at - self.start) * self.scale


def epoch_ms(text: str) -> int:
    """``2026-11-01T00:00:00.000Z`` -> epoch ms."""
    return round(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def _opt(d: Mapping[str, Any], key: str) -> int | None:
    value = d.get(key)
    return epoch_ms(value) if isinstance(value, str) else None


def _communications(p: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    return [(media, c) for media, key in _MEDIA_LISTS for c in p.get(key) or ()]


def _instants(conv: Mapping[str, Any]) -> Iterable[int]:
    """Every time the document mentions (for a live one without ``now``: the latest is now)."""
    for key in ("startTime", "endTime"):
        if (t := _opt(conv, key)) is not None:
            yield t
    for p in conv.get("participants") or ():
        for key in ("startTime", "endTime", "startAcwTime", "endAcwTime"):
            if (t := _opt(p, key)) is not None:
                yield t
        for _, c in _communications(p):
            for s in c.get("segments") or ():
                for key in ("startTime", "endTime"):
                    if (t := _opt(s, key)) is not None:
                        yield t
            for key in ("connectedTime", "disconnectedTime", "startAlertingTime"):
                if (t := _opt(c, key)) is not None:
                    yield t


def _role(p: Mapping[str, Any]) -> str:
    purpose = str(p.get("purpose") or "participant")
    if purpose == "user" and any(p.get(key) for key, _, _ in _SUPERVISION):
        return "supervisor"
    return _ROLES.get(purpose, purpose)


def _spans(p: Mapping[str, Any], media: str, c: Mapping[str, Any], now: int) -> list[Any]:
    """(kind, start, end, open) of one communication: its segments, or its connected span
    for the media that have none (video)."""
    purpose = str(p.get("purpose") or "")
    out = []
    segments = c.get("segments") or ()
    for s in segments:
        start = _opt(s, "startTime")
        if start is None:
            continue
        end = _opt(s, "endTime")
        kind = _SEGMENT_KINDS.get(str(s.get("type")), "other")
        if kind == "talk":
            kind = _LANE_TALK.get(purpose, kind)
        out.append((kind, start, now if end is None else end, end is None))
    if not segments:
        alerting = _opt(c, "startAlertingTime")
        connected = _opt(c, "connectedTime")
        ended = _opt(c, "disconnectedTime")
        if alerting is not None:
            stop = connected if connected is not None else ended
            out.append(("alerting", alerting, now if stop is None else stop, stop is None))
        if connected is not None:
            talk = _LANE_TALK.get(purpose, "talk")
            out.append((talk, connected, now if ended is None else ended, ended is None))
    return out


def layout(conv: Mapping[str, Any], now_ms: int | None = None, width: int = WIDTH) -> Timeline:
    """The timeline of ``conv`` (nested ``Conversation`` JSON) at ``now_ms`` (default: the
    latest time it mentions), ``width`` pixels wide. Same input, same layout."""
    participants = [p for p in conv.get("participants") or () if isinstance(p, Mapping)]
    known = list(_instants(conv))
    start = _opt(conv, "startTime")
    if start is None:
        start = min(known, default=now_ms or 0)
    latest = max(known, default=start)
    now = max(latest, start) if now_ms is None else max(now_ms, start)
    live = _opt(conv, "endTime") is None or any(
        p.get("startAcwTime") and not p.get("endAcwTime") for p in participants
    )
    end = max(max(now, latest) if live else latest, start + MIN_SPAN_MS)
    width = max(width, GUTTER + RIGHT + 100)
    scale = (width - GUTTER - RIGHT) / (end - start)

    def x(at: int) -> float:
        return GUTTER + (at - start) * scale

    lanes, bars, y = _lanes_and_bars(participants, now, x)
    links = _supervision_links(participants, lanes, x) + _consult_links(participants, lanes, x)
    transfer_links, marks = _transfers(conv, lanes, x)
    return Timeline(
        str(conv.get("id") or ""),
        _media(participants),
        start,
        end,
        now,
        live,
        width,
        round(y + LEGEND_H),
        float(GUTTER),
        scale,
        tuple(lanes),
        tuple(bars),
        tuple(sorted(links + transfer_links, key=lambda k: (k.at, k.source, k.target, k.kind))),
        tuple(marks),
        _ticks(start, end, scale),
    )


def _lanes_and_bars(
    participants: list[Mapping[str, Any]], now: int, x: _X
) -> tuple[list[Lane], list[Bar], float]:
    """A lane per participant, stacked from the top, with its bars; and where the lanes end."""
    lanes: list[Lane] = []
    bars: list[Bar] = []
    y = float(HEADER_H + AXIS_H)
    for index, p in enumerate(participants):
        comms = _communications(p)
        rows = max(1, len(comms))
        lane = Lane(
            index,
            str(p.get("id") or ""),
            str(p.get("purpose") or ""),
            _role(p),
            str(p.get("name") or p.get("queueName") or ""),
            p.get("userId"),
            y,
            rows * ROW_H + LANE_PAD,
            _opt(p, "startTime"),
            _opt(p, "endTime"),
        )
        lanes.append(lane)
        for row, (media, c) in enumerate(comms):
            for kind, s, e, is_open in _spans(p, media, c, now):
                bars.append(_bar(lane, row, kind, s, e, is_open, media, c.get("id"), x))
        acw_start = _opt(p, "startAcwTime")
        if acw_start is not None:
            acw_end = _opt(p, "endAcwTime")
            stop = now if acw_end is None else acw_end
            bars.append(_bar(lane, 0, "acw", acw_start, stop, acw_end is None, None, None, x))
        y += lane.height
    return lanes, bars, y


def _bar(
    lane: Lane,
    row: int,
    kind: str,
    start: int,
    end: int,
    is_open: bool,
    media: str | None,
    communication_id: Any,
    x: _X,
) -> Bar:
    end = max(end, start)
    left = x(start)
    return Bar(
        lane.index,
        row,
        kind,
        start,
        end,
        is_open,
        lane.participant_id,
        communication_id if isinstance(communication_id, str) else None,
        media,
        left,
        lane.y + LANE_PAD / 2 + row * ROW_H + (ROW_H - BAR_H) / 2,
        max(x(end) - left, 1.0),
        float(BAR_H),
    )


def _media(participants: list[Mapping[str, Any]]) -> str:
    for p in participants:
        for media, _ in _communications(p):
            return media
    return "unknown"


def _lane_of(lanes: list[Lane], participant_id: Any) -> Lane | None:
    return next((lane for lane in lanes if lane.participant_id == participant_id), None)


def _supervision_links(
    participants: list[Mapping[str, Any]], lanes: list[Lane], x: _X
) -> list[Link]:
    """A supervisor's lane -> the agent's, when the monitoring, coaching or barging began."""
    links = []
    for lane, p in zip(lanes, participants, strict=True):
        for key, kind, segment in _SUPERVISION:
            target = _lane_of(lanes, p.get(key))
            if target is None:
                continue
            starts = [
                _opt(s, "startTime")
                for _, c in _communications(p)
                for s in c.get("segments") or ()
                if s.get("type") == segment
            ]
            at = min((t for t in starts if t is not None), default=lane.start)
            if at is None:
                continue
            detail = f"{kind}: {lane.name} -> {target.name}"
            links.append(
                Link(kind, at, lane.index, target.index, x(at), lane.middle, target.middle, detail)
            )
    return links


def _consult_links(participants: list[Mapping[str, Any]], lanes: list[Lane], x: _X) -> list[Link]:
    """The consult initiator's lane -> each consulted leg, when that leg began. Both carry
    ``consultParticipantId`` (the customer being transferred); the initiator is marked by the
    ``consultInitiator`` attribute."""
    initiators = [
        (lane, p)
        for lane, p in zip(lanes, participants, strict=True)
        if (p.get("attributes") or {}).get("consultInitiator") == "true"
    ]
    links = []
    for initiator, ip in initiators:
        about = ip.get("consultParticipantId")
        for lane, p in zip(lanes, participants, strict=True):
            if (
                lane is initiator
                or p.get("consultParticipantId") != about
                or p.get("id") == about
                or lane.start is None
                or (initiator.start is not None and lane.start < initiator.start)
            ):
                continue
            detail = f"consult: {initiator.name} -> {lane.name}"
            links.append(
                Link(
                    "consult",
                    lane.start,
                    initiator.index,
                    lane.index,
                    x(lane.start),
                    initiator.middle,
                    lane.middle,
                    detail,
                )
            )
    return links


def _covering(lanes: list[Lane], at: int, user_id: Any) -> Lane | None:
    """``user_id``'s lane that is on at ``at``, else the first of them that starts after it;
    with no ``user_id``, the first lane that starts at or after ``at``."""
    candidates = [lane for lane in lanes if not user_id or lane.user_id == user_id]
    for lane in candidates:
        on = lane.start is not None and lane.start <= at and (lane.end is None or at <= lane.end)
        if user_id and on:
            return lane
    later = [lane for lane in candidates if lane.start is not None and lane.start >= at]
    return min(later, key=lambda lane: (lane.start or 0, lane.index)) if later else None


def _transfers(conv: Mapping[str, Any], lanes: list[Lane], x: _X) -> tuple[list[Link], list[Mark]]:
    """A mark on the initiator's lane per ``recentTransfers`` entry, and a link to the leg it
    handed over to: the destination user's, else the first leg that joined after it."""
    links: list[Link] = []
    marks: list[Mark] = []
    for t in conv.get("recentTransfers") or ():
        at = _opt(t, "dateIssued")
        if at is None:
            continue
        initiator_id = (t.get("initiator") or {}).get("userId")
        source = _covering(lanes, at, initiator_id) if initiator_id else None
        if source is None:
            continue
        target = _covering(lanes, at, (t.get("destination") or {}).get("userId"))
        kind = str(t.get("transferType") or "transfer")
        detail = f"{kind} transfer {t.get('state') or ''}".strip() + f" by {source.name}"
        if target is not None:
            detail += f" -> {target.name}"
            links.append(
                Link(
                    "transfer",
                    at,
                    source.index,
                    target.index,
                    x(at),
                    source.middle,
                    target.middle,
                    detail,
                )
            )
        marks.append(Mark("transfer", at, source.index, x(at), source.middle, detail, t.get("id")))
    return links, marks


def _ticks(start: int, end: int, scale: float) -> tuple[Tick, ...]:
    """Axis ticks on whole multiples of a round step, at least ``MIN_TICK_PX`` apart."""
    step_s = next((s for s in TICK_STEPS_S if s * 1000 * scale >= MIN_TICK_PX), TICK_STEPS_S[-1])
    step = step_s * 1000
    first = -(-start // step) * step
    seconds = step_s < 60
    ticks = []
    for at in range(first, end + 1, step):
        clock = datetime.fromtimestamp(at / 1000, timezone.utc)
        label = clock.strftime("%H:%M:%S" if seconds else "%H:%M")
        ticks.append(Tick(at, GUTTER + (at - start) * scale, label))
    return tuple(ticks)
