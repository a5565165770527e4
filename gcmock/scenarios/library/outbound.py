"""Outbound voice: an agent dials a customer."""

from __future__ import annotations

from ..engine import control, routing
from ..engine.model import Conversation
from .blocks import maybe_hold, wrap_all
from .context import ScriptContext
from .registry import scenario


@scenario(
    "outbound", "An agent dials a customer from a queue (or a user calls out directly).", weight=10
)
def outbound(ctx: ScriptContext) -> Conversation:
    w = ctx.world
    from_queue = ctx.chance(0.7)
    queue = ctx.queue()
    user = ctx.agent(queue)
    number, _, contact = ctx.caller()
    conv = ctx.keep(
        routing.place_call(
            w,
            ctx.rng,
            ctx.at(),
            user=user,
            number=number,
            queue=queue if from_queue else None,
            contact=contact,
            conversation_id=ctx.conversation_id,
        ),
    )
    caller, far = conv.participants
    if ctx.chance(0.8):
        routing.answer(conv, far.id, ctx.at(ctx.uniform(3, 20)))
        maybe_hold(ctx, conv, caller, 0.1)
        at = ctx.at(ctx.talk())
        control.disconnect(conv, caller.id if ctx.chance(0.5) else far.id, at)
    else:
        control.disconnect(conv, caller.id, ctx.at(ctx.uniform(15, 40)))
    wrap_all(ctx, conv)
    return conv
