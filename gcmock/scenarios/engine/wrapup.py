"""After-call work: a leg that talked and owes wrap-up enters ACW when it ends; these operations
finish it with a code, a skip, or the system timeout code.

``wrapup.durationSeconds`` is floor(ACW span) and ``wrapup.endTime`` = ``endAcwTime``, as in the
real inbound sample (genesys-api.md §8.3).
"""

from __future__ import annotations

from ..world import SYSTEM_WRAPUP_TIMEOUT, World
from .legs import describe, require, require_time
from .model import Conversation, EngineError, Participant, Wrapup

__all__ = ["skip_wrapup", "wrap_up", "wrapup_codes_for", "wrapup_timeout"]


def _in_acw(conv: Conversation, participant_id: str, what: str) -> Participant:
    p = conv.participant(participant_id)
    if not p.in_acw:  # not require(): the message is only built on failure
        raise EngineError(
            "participant.not.in.acw", f"{describe(p)} cannot {what}: it is not in after-call work"
        )
    return p


def wrapup_codes_for(world: World, p: Participant) -> tuple[str, ...]:
    """The codes the agent may choose: its queue's, or every code for a non-queue call."""
    queue = world.queues_by_id.get(p.queue_id) if p.queue_id else None
    if queue is not None:
        return queue.wrapup_code_ids
    return tuple(c.id for c in world.wrapup_codes if c.id != SYSTEM_WRAPUP_TIMEOUT)


def _finish(conv: Conversation, p: Participant, at: int, wrapup: Wrapup | None) -> None:
    assert p.acw_start is not None
    if wrapup is not None:
        wrapup.duration_seconds = (at - p.acw_start) // 1000
        wrapup.end = at
    p.wrapup = wrapup
    p.acw_end = at


def wrap_up(
    conv: Conversation,
    world: World,
    participant_id: str,
    code_id: str,
    at: int,
    *,
    notes: str | None = None,
    tags: tuple[str, ...] = (),
) -> None:
    """The agent submits a wrap-up code, ending its after-call work."""
    require_time(conv, at)
    p = _in_acw(conv, participant_id, "wrap up")
    if code_id not in wrapup_codes_for(world, p):
        raise EngineError(
            "wrapup.code.invalid",
            f"wrap-up code {code_id} is not valid for {describe(p)}",
            status=400,
        )
    code = world.wrapup_codes_by_id[code_id]
    _finish(conv, p, at, Wrapup(code.id, code.name, notes, tags))
    conv.log(at, "wrapup", p.id, code=code.id)


def skip_wrapup(conv: Conversation, participant_id: str, at: int) -> None:
    """The agent skips wrap-up, which an optional or agent-requested prompt allows."""
    require_time(conv, at)
    p = _in_acw(conv, participant_id, "skip wrap-up")
    require(
        p.wrapup_prompt in ("optional", "agentRequested", None),
        "wrapup.required",
        f"{describe(p)} cannot skip wrap-up: its queue makes it {p.wrapup_prompt}",
    )
    p.wrapup_skipped = True
    _finish(conv, p, at, None)
    conv.log(at, "wrapup.skip", p.id)


def wrapup_timeout(conv: Conversation, world: World, participant_id: str, at: int) -> None:
    """ACW ran out (``wrapupTimeoutMs``): the system assigns ``ININ-WRAP-UP-TIMEOUT``."""
    require_time(conv, at)
    p = _in_acw(conv, participant_id, "time out")
    assert p.acw_start is not None
    due = p.acw_start + (p.wrapup_timeout_ms or 0)
    require(
        at >= due,
        "wrapup.not.timed.out",
        f"{describe(p)} has ACW until {due} ms; it cannot time out at {at} ms",
        status=400,
    )
    code = world.wrapup_codes_by_id[SYSTEM_WRAPUP_TIMEOUT]
    _finish(conv, p, at, Wrapup(code.id, code.name))
    conv.log(at, "wrapup.timeout", p.id)
