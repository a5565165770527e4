"""Steps the scenario scripts share: a customer arriving through the IVR into a queue, an agent
answering, a hold, the hang-up and every leg's wrap-up, the rarer agent-side fields."""

from __future__ import annotations

from typing import Any

from ..engine import control, routing, wrapup
from ..engine.model import Conversation, Participant
from ..world import ExternalContact, Queue
from .context import ScriptContext

__all__ = [
    "address_of",
    "connect_agent",
    "decorate_agent",
    "end_and_wrap",
    "inbound",
    "maybe_hold",
    "wrap_all",
]


def inbound(
    ctx: ScriptContext,
    *,
    media: str = "call",
    ivr: bool = True,
    queue: Queue | None = None,
    extra: dict[str, Any] | None = None,
    address: str | None = None,
) -> tuple[Conversation, Queue]:
    """Customer arrives, (voice) goes through the IVR, lands in a queue."""
    w = ctx.world
    queue = queue or ctx.queue()
    number, locality, contact = ctx.caller()
    voice = media in ("call",)
    dnis = ctx.choice(queue.dnis) if voice else (address or queue.calling_party_number)
    conv = routing.start_inbound(
        w,
        ctx.rng,
        ctx.at(),
        conversation_id=ctx.conversation_id,
        media=media,
        dnis=dnis,
        ani=number if voice else (address_of(contact, number, media)),
        name=(contact.name if contact else (locality if voice else None)),
        contact=contact if voice else None,
        extra=extra,
        connected_after_ms=ctx.rng.randint(50, 250) if voice else 0,
    )
    if contact is not None and not voice:
        c = conv.customer
        c.name = contact.name
        c.external_contact_id = contact.id
        c.external_contact_division_id = contact.division_id
        c.external_organization_id = contact.organization_id
        c.locale = contact.locale
    ctx.keep(conv)
    if voice and ivr:
        flow = ctx.choice(w.ivr_flows)
        routing.enter_ivr(conv, w, flow, ctx.at(ctx.rng.randint(20, 70)))
        ctx.at(ctx.until(ctx.pins.queued_at, ctx.lognormal(40, 0.5, 5, 300)))
    routing.route_to_queue(
        conv,
        w,
        queue,
        ctx.at(ctx.until(ctx.pins.queued_at, ctx.rng.randint(200, 400)) if not ivr else 0),
        priority=ctx.rng.choice((0, 0, 0, 5, 10)),
    )
    ctx.sync(conv)
    return conv, queue


def address_of(contact: ExternalContact | None, number: str, media: str) -> str:
    """The customer's address on a digital channel."""
    if media == "email":
        return contact.email if contact else f"{number.lstrip('+')}@example.net"
    return number


def connect_agent(
    ctx: ScriptContext, conv: Conversation, queue: Queue, exclude: tuple[str, ...] = ()
) -> Participant:
    """Offer the queued conversation to an agent who answers after ringing."""
    user = ctx.agent(queue, exclude)
    p = routing.offer(conv, ctx.world, user, ctx.at())
    routing.answer(conv, p.id, ctx.at(ctx.alerting()))
    return p


def maybe_hold(ctx: ScriptContext, conv: Conversation, agent: Participant, p: float) -> None:
    if ctx.chance(p):
        control.hold(conv, agent.id, ctx.at(ctx.talk() // 3))
        control.resume(conv, agent.id, ctx.at(ctx.lognormal(40, 0.6, 5, 600)))


def end_and_wrap(
    ctx: ScriptContext,
    conv: Conversation,
    talk_ms: int | None = None,
    *,
    agent_hangs_up: float = 0.3,
) -> None:
    """Talk, hang up (customer 70 %, agent 30 %), then every leg owing wrap-up wraps up."""
    at = ctx.at(ctx.talk() if talk_ms is None else talk_ms)
    live_agents = [p for p in conv.participants if p.purpose == "agent" and p.active]
    if live_agents and ctx.chance(agent_hangs_up):
        control.disconnect(conv, live_agents[-1].id, at)
    elif conv.customer.active:
        control.disconnect(conv, conv.customer.id, at)
    wrap_all(ctx, conv)


def wrap_all(ctx: ScriptContext, conv: Conversation) -> None:
    pending = [p for p in conv.participants if p.acw_start is not None and p.acw_end is None]
    if len(pending) > 1:
        pending.sort(key=lambda p: p.acw_start or 0)
    plans: list[tuple[int, Participant, str]] = []
    for p in pending:
        assert p.acw_start is not None
        prompt = p.wrapup_prompt
        if prompt in ("timeout", "forcedTimeout") and ctx.chance(0.25):
            plans.append((p.acw_start + (p.wrapup_timeout_ms or 0), p, "timeout"))
        elif prompt in ("optional", "agentRequested") and ctx.chance(0.2):
            plans.append((p.acw_start + ctx.uniform(1, 6), p, "skip"))
        else:
            plans.append((p.acw_start + ctx.acw(p), p, "code"))
    if len(plans) > 1:
        plans.sort(key=lambda x: x[0])
    for due, p, how in plans:
        at = ctx.at(max(0, due - ctx.t))
        if how == "timeout":
            wrapup.wrapup_timeout(conv, ctx.world, p.id, at)
        elif how == "skip":
            wrapup.skip_wrapup(conv, p.id, at)
        else:
            codes = wrapup.wrapup_codes_for(ctx.world, p)
            notes = ctx.choice(ctx.world.wrapup_notes) if ctx.chance(0.4) else None
            wrapup.wrap_up(conv, ctx.world, p.id, ctx.choice(codes), at, notes=notes)


def decorate_agent(ctx: ScriptContext, conv: Conversation, agent: Participant) -> None:
    """Rarer agent-side fields: screen recording, flagging, a quality evaluation."""
    if ctx.chance(0.3):
        agent.screen_recording_state = "active"
    agent.script_id = ctx.choice(ctx.world.script_ids) if ctx.chance(0.5) else None
    if ctx.chance(0.1):
        sup = ctx.evaluator()
        agent.evaluations.append(
            {
                "id": conv.new_id(),
                "name": "Quality evaluation",
                "conversation": {"id": conv.id, "selfUri": f"/api/v2/conversations/{conv.id}"},
                "evaluationForm": {"id": conv.new_id(), "name": "Standard voice form"},
                "evaluator": {"id": sup.id, "name": sup.name, "selfUri": f"/api/v2/users/{sup.id}"},
                "agent": {
                    "id": agent.user_id,
                    "name": agent.name,
                    "selfUri": f"/api/v2/users/{agent.user_id}",
                },
                "status": "PENDING",
                "selfUri": f"/api/v2/quality/conversations/{conv.id}/evaluations",
            }
        )


# ---------------------------------------------------------------------------------------------
