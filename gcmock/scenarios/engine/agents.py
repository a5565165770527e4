"""Agent availability: whether the ACD may offer one more interaction to a user, and the routing
status that follows from the user's presence and work.

These are the rules both drivers share (the dataset simulation and the served org): the ACD
offers only to a member who is On Queue, IDLE or already INTERACTING with room left under the
utilization, and never a second voice interaction. A user's load counts every interaction they
are on, ACD or not, wrap-up included (after-call work keeps the agent interacting).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..world.presence import DEFAULT_UTILIZATION, INTERRUPTIBLE_BY, ON_QUEUE

__all__ = ["VOICE_MEDIA", "can_take", "routing_status"]

VOICE_MEDIA = frozenset({"call", "callback"})
"""Media that hold the agent's voice path: never two at once, whatever the utilization."""


def can_take(
    media: str,
    load: Mapping[str, int],
    utilization: Mapping[str, int] = DEFAULT_UTILIZATION,
) -> bool:
    """True if one more ``media`` interaction fits beside ``load`` (interactions per media).

    Under the media's capacity, and every other media in progress may be interrupted by it
    (the platform's ``interruptableMediaTypes``): a call may reach an agent handling chats, a
    chat never reaches an agent on a call.
    """
    if load.get(media, 0) >= utilization.get(media, 0):
        return False
    if media in VOICE_MEDIA and any(load.get(m, 0) for m in VOICE_MEDIA):
        return False
    return all(
        n == 0 or other == media or media in INTERRUPTIBLE_BY.get(other, ())
        for other, n in load.items()
    )


def routing_status(
    presence: str, load: Mapping[str, int], *, acd_load: int, not_responding: bool
) -> str:
    """The routing status the platform shows for a user in ``presence`` with ``load``.

    ``acd_load`` is how many of the interactions came through the ACD: ACD work is INTERACTING,
    other work (a direct or internal call) is COMMUNICATING, no work is IDLE. A user who let an
    offer ring out stays NOT_RESPONDING until the caller of this rule says the spell is over.
    """
    if presence != ON_QUEUE:
        return "OFF_QUEUE"
    if not_responding:
        return "NOT_RESPONDING"
    if acd_load > 0:
        return "INTERACTING"
    if any(load.values()):
        return "COMMUNICATING"
    return "IDLE"
