"""What the platform and the people in it do on their own while time passes.

A mock server whose clock advances calls :func:`advance`: a queued conversation is offered to the
member of its queue who has been free longest (the caller's :data:`Staffing` says who is free:
On Queue, responding, with room under the utilization), the agent answers after ringing (or
lets it ring out), a far end that is being dialled picks up, a scheduled callback enters its
queue, and ACW under a timeout prompt ends with ``ININ-WRAP-UP-TIMEOUT``. Every step is an
engine operation, so the invariants hold.

Delays are a pure function of the leg they concern (a BLAKE2b hash of its id), not of a shared
random stream, so advancing in one step or in many small steps gives the same conversation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import partial

from ..world import Queue, World
from . import routing, wrapup
from .legs import ringing_state
from .model import Conversation, Participant
from .roster import NOT_RESPONDING_MS, rang_out_at

__all__ = ["ANSWER_RATE", "MAX_STEPS", "Staffing", "advance", "next_due"]

Staffing = Callable[[Queue, str], Sequence[tuple[int, str]]]
"""``(queue, media)`` -> ``(free since, user id)`` of the members the ACD may offer ``media`` to
now, in the order it should try them (longest idle first)."""

ANSWER_RATE = 0.9
"""Share of offers an agent answers; the others ring out (not responding)."""

MAX_STEPS = 500
"""The most automatic steps one conversation takes in one catch-up (a guard against a loop)."""


def _unit(key: str) -> float:
    """A uniform number in [0, 1) fixed by ``key``."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _between(key: str, lo_ms: int, hi_ms: int) -> int:
    return lo_ms + int(_unit(key) * (hi_ms - lo_ms))


Action = tuple[int, Callable[[int], object]]


def _last(conv: Conversation) -> int:
    return conv.events[-1].at if conv.events else conv.start


def _live_acd(conv: Conversation) -> Participant | None:
    return next((p for p in conv.participants if p.purpose == "acd" and p.active), None)


def _everyone(world: World) -> Staffing:
    """Without a caller's view of the org: every agent of the queue is free, none longest."""

    def staff(queue: Queue, media: str) -> list[tuple[int, str]]:
        return [
            (-(2**62), uid) for uid in queue.member_ids if not world.users_by_id[uid].is_supervisor
        ]

    return staff


def _offer_action(conv: Conversation, world: World, staffing: Staffing | None) -> Action | None:
    acd = _live_acd(conv)
    if acd is None or acd.queue_id not in world.queues_by_id:
        return None
    if any(p.purpose in ("agent", "user") and p.state == "alerting" for p in conv.participants):
        return None
    queue = world.queues_by_id[acd.queue_id]
    on_conv = {p.user_id for p in conv.participants if p.active}
    # a ring-out on this very conversation may not be published yet: the caller cannot know it
    rang = {p.user_id: r for p in conv.participants if (r := rang_out_at(p)) is not None}
    staff = (staffing or _everyone(world))(queue, conv.media)
    offers = sum(1 for p in conv.participants if p.start >= acd.start and p.purpose == "agent")
    key = f"{acd.id}:{offers}"
    ended = [p.end for p in conv.participants if p.start >= acd.start and p.end is not None]
    base = max([acd.start, *ended])
    # who let it ring out is free again only after the spell
    free = [
        (max(base, since, rang.get(uid, since - NOT_RESPONDING_MS) + NOT_RESPONDING_MS), uid)
        for since, uid in staff
        if uid not in on_conv
    ]
    if not free:
        return None
    if staffing is None:  # nobody is longest idle: spread the offers over the members
        free.sort(key=lambda f: _unit(f"{key}:{f[1]}"))
    when, uid = min(free, key=lambda f: f[0])
    user = world.users_by_id[uid]
    due = when + _between(key, 1_000, 5_000)
    return due, lambda at: routing.offer(conv, world, user, at)


def _alerting_actions(conv: Conversation) -> list[Action]:
    actions: list[Action] = []
    for p in conv.participants:
        c = p.comm
        if p.purpose in ("agent", "user") and c.state == "alerting" and c.alerting_start:
            timeout = p.alerting_timeout_ms or 8_000
            if _unit(f"{p.id}:answers") < ANSWER_RATE:
                due = c.alerting_start + _between(p.id, 1_500, min(7_000, timeout - 500))
                actions.append((due, partial(routing.answer, conv, p.id)))
            else:
                actions.append(
                    (
                        c.alerting_start + timeout,
                        partial(routing.not_responding, conv, p.id),
                    )
                )
        elif p.purpose in ("customer", "external") and c.state == ringing_state(c.media):
            due = c.start + _between(p.id, 3_000, 15_000)
            actions.append((due, partial(routing.answer, conv, p.id)))
    return actions


def _callback_action(conv: Conversation, world: World) -> Action | None:
    customer = conv.customer
    c = customer.comm
    if c.state != "scheduled" or _live_acd(conv) is not None:
        return None
    scheduled = c.extra.get("callbackScheduledTime")
    queue = world.queues_by_id.get(customer.queue_id or "")
    if not isinstance(scheduled, int) or queue is None:
        return None
    return scheduled, lambda at: routing.route_to_queue(conv, world, queue, at, handoff_ms=0)


def _acw_actions(conv: Conversation, world: World) -> list[Action]:
    actions: list[Action] = []
    for p in conv.participants:
        if p.in_acw and p.wrapup_prompt in ("timeout", "forcedTimeout") and p.acw_start:
            due = p.acw_start + (p.wrapup_timeout_ms or 0)
            actions.append((due, partial(wrapup.wrapup_timeout, conv, world, p.id)))
    return actions


def next_due(conv: Conversation, world: World, staffing: Staffing | None = None) -> Action | None:
    """The earliest automatic step and when it is due, or None when nothing will happen.

    Without ``staffing`` every non-supervisor member of a queue is free to be offered a call.
    """
    candidates: list[Action] = []
    if conv.customer.active:
        for found in (_offer_action(conv, world, staffing), _callback_action(conv, world)):
            if found is not None:
                candidates.append(found)
        candidates += _alerting_actions(conv)
    candidates += _acw_actions(conv, world)
    return min(candidates, key=lambda a: a[0], default=None)


def advance(
    conv: Conversation,
    world: World,
    until_ms: int,
    staffing: Staffing | None = None,
    limit: int = MAX_STEPS,
) -> int:
    """Apply every automatic step due up to ``until_ms`` (at most ``limit``); return how many
    were applied.

    ``staffing`` says who may be offered the conversation (the caller knows every agent's
    presence and other work; the engine sees one conversation at a time).
    """
    applied = 0
    while applied < limit:
        step = next_due(conv, world, staffing)
        if step is None or step[0] > until_ms:
            break
        due, action = step
        action(max(due, _last(conv)))
        applied += 1
    return applied
