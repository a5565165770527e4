"""Inbound voice: answered, abandoned in the queue or the IVR, re-offered to a second agent."""

from __future__ import annotations

from ..engine import control, routing
from ..engine.model import Conversation
from .blocks import connect_agent, decorate_agent, end_and_wrap, inbound, maybe_hold
from .context import ScriptContext
from .registry import scenario


@scenario(
    "inbound_answered", "Customer calls, IVR, queue, an agent answers, talks, wraps up.", weight=45
)
def inbound_answered(ctx: ScriptContext) -> Conversation:
    conv, queue = inbound(ctx)
    ctx.at(ctx.queue_wait())
    agent = connect_agent(ctx, conv, queue)
    decorate_agent(ctx, conv, agent)
    if ctx.chance(0.05):
        control.flag(conv, agent.id, ctx.at(ctx.uniform(5, 30)))
    maybe_hold(ctx, conv, agent, 0.25)
    end_and_wrap(ctx, conv)
    return conv


@scenario("inbound_abandoned_in_queue", "Customer hangs up while waiting in queue.", weight=8)
def inbound_abandoned_in_queue(ctx: ScriptContext) -> Conversation:
    conv, queue = inbound(ctx)
    patience = ctx.patience()
    user = ctx.ring_out(queue, 0.3)
    if user is not None:
        # the first offer rang out before the caller gave up
        p = routing.offer(conv, ctx.world, user, ctx.at(ctx.wait(min(patience // 2, 20_000))))
        routing.not_responding(conv, p.id, ctx.at(p.alerting_timeout_ms or 8000))
    control.disconnect(conv, conv.customer.id, ctx.at(ctx.until(ctx.pins.abandon_at, patience)))
    return conv


@scenario("inbound_abandoned_in_ivr", "Customer hangs up in the IVR menu.", weight=5)
def inbound_abandoned_in_ivr(ctx: ScriptContext) -> Conversation:
    w = ctx.world
    queue = ctx.queue()
    number, locality, contact = ctx.caller()
    conv = ctx.keep(
        routing.start_inbound(
            w,
            ctx.rng,
            ctx.at(),
            conversation_id=ctx.conversation_id,
            dnis=ctx.choice(queue.dnis),
            ani=number,
            name=contact.name if contact else locality,
            contact=contact,
            connected_after_ms=ctx.rng.randint(50, 250),
        ),
    )
    routing.enter_ivr(conv, w, ctx.choice(w.ivr_flows), ctx.at(ctx.rng.randint(20, 70)))
    control.disconnect(conv, conv.customer.id, ctx.at(ctx.lognormal(25, 0.6, 3, 300)))
    return conv


@scenario(
    "inbound_reoffered", "The first agent does not answer (or declines); a second does.", weight=5
)
def inbound_reoffered(ctx: ScriptContext) -> Conversation:
    conv, queue = inbound(ctx)
    ctx.at(ctx.queue_wait())
    first = routing.offer(conv, ctx.world, ctx.first_offered(queue), ctx.at())
    if ctx.pins.rang_out is not None or ctx.chance(0.6):
        routing.not_responding(conv, first.id, ctx.at(first.alerting_timeout_ms or 8000))
    else:
        routing.decline(conv, first.id, ctx.at(ctx.uniform(1, 5)))
    ctx.at(ctx.until(ctx.pins.reoffer_at, ctx.uniform(1, 4)))
    agent = connect_agent(ctx, conv, queue, exclude=(first.user_id or "",))
    decorate_agent(ctx, conv, agent)
    end_and_wrap(ctx, conv)
    return conv
