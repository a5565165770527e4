"""Instead of waiting: the customer schedules a callback or leaves a voicemail."""

from __future__ import annotations

from ..engine import control, outbound, routing
from ..engine.model import Conversation
from .blocks import connect_agent, end_and_wrap, inbound
from .context import ScriptContext
from .registry import scenario


@scenario(
    "callback",
    "Customer schedules a callback; an agent takes it later.",
    media="callback",
    weight=3,
)
def callback(ctx: ScriptContext) -> Conversation:
    w = ctx.world
    queue = ctx.queue()
    number, locality, contact = ctx.caller()
    now = ctx.at()
    if ctx.pins.queued_at is not None:
        scheduled = max(ctx.pins.queued_at, now)
    else:
        scheduled = now + ctx.uniform(60, 3600)
        scheduled -= scheduled % 60_000
        scheduled = max(scheduled, now)
    conv = ctx.keep(
        outbound.schedule_callback(
            w,
            ctx.rng,
            now,
            queue=queue,
            number=number,
            name=contact.name if contact else (locality or number),
            scheduled_ms=scheduled,
            contact=contact,
            conversation_id=ctx.conversation_id,
        ),
    )
    routing.route_to_queue(conv, w, queue, ctx.at(scheduled - ctx.t), handoff_ms=0)
    ctx.at(ctx.queue_wait())
    rang_out = ctx.ring_out(queue, 0.2)
    if rang_out is not None:
        p = routing.offer(conv, w, rang_out, ctx.at())
        routing.not_responding(conv, p.id, ctx.at(p.alerting_timeout_ms or 30_000))
        ctx.at(ctx.until(ctx.pins.reoffer_at, 0))
    connect_agent(ctx, conv, queue)
    end_and_wrap(ctx, conv, agent_hangs_up=0.6)
    return conv


@scenario("voicemail", "Customer gives up waiting and leaves a voicemail.", weight=2)
def voicemail(ctx: ScriptContext) -> Conversation:
    conv, _ = inbound(ctx)
    ctx.at(ctx.queue_wait())
    vm = routing.leave_to_voicemail(conv, ctx.at(), user=None)
    if ctx.world.groups:
        vm.group_id = ctx.choice(ctx.world.groups).id
    control.disconnect(conv, conv.customer.id, ctx.at(ctx.lognormal(30, 0.5, 5, 180)))
    return conv
