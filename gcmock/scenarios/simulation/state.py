"""The records of a simulated day: an arrival and what happened to it, a user's state and
timelines, and a booking of a user's time."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..world.presence import DEFAULT_UTILIZATION, ON_QUEUE
from .schedule import Shift

__all__ = ["Arrival", "Booking", "Span", "UserState"]

Span = tuple[int, int, str]
"""``(start_ms, end_ms, value)``: a presence or a routing status held over ``[start, end)``."""


@dataclass(slots=True)
class Arrival:
    """One contact of the day and, once simulated, what happened to it."""

    index: int
    at: int
    """When it reaches the queue (outbound: when an agent is asked to dial)."""
    media: str
    """The utilization media it occupies an agent with (``call``, ``chat``...)."""
    kind: str = "acd"
    """``acd`` (queued for an agent), ``outbound`` (an idle agent dials), ``direct`` (no
    routing: IVR hang-ups, voicemail, internal messages)."""
    u: float = 0.0
    """A uniform draw that picks the queue."""
    patience_ms: int | None = None
    ring_out: bool = False
    queue_id: str | None = None
    outcome: str = "waiting"
    """``answered``, ``abandoned``, ``direct`` once simulated."""
    agent_id: str | None = None
    answered_at: int | None = None
    abandoned_at: int | None = None
    rang_out: tuple[str, int, int] | None = None
    """(user, offered at, given up at) of the offer that rang out."""
    _state: str = "new"

    @property
    def wait_ms(self) -> int | None:
        end = self.answered_at if self.answered_at is not None else self.abandoned_at
        return None if end is None else end - self.at


@dataclass(frozen=True, slots=True)
class Booking:
    """User ``user_id`` works on one ``media`` interaction over ``[start, end)``; ``acd`` work
    shows INTERACTING, other work COMMUNICATING."""

    user_id: str
    media: str
    start: int
    end: int
    acd: bool = True


@dataclass(slots=True)
class UserState:
    id: str
    agent: bool
    queue_ids: tuple[str, ...]
    utilization: Mapping[str, int] = field(default_factory=lambda: DEFAULT_UTILIZATION)
    shift: Shift | None = None
    presence: str = "Offline"
    load: dict[str, int] = field(default_factory=dict)
    acd_load: int = 0
    not_responding: bool = False
    reserved: int = 0
    idle_since: int = 0
    wants: deque[tuple[str, int]] = field(default_factory=deque)
    presence_spans: list[Span] = field(default_factory=list)
    routing_spans: list[Span] = field(default_factory=list)
    _presence_since: int = 0
    _status: str = "OFF_QUEUE"
    _status_since: int = 0

    @property
    def base(self) -> str:
        return ON_QUEUE if self.agent else "Available"

    @property
    def busy(self) -> bool:
        return self.reserved > 0 or any(self.load.values())
