"""Transfers: blind (to an agent, a queue, an outside number), consult and conference."""

from __future__ import annotations

from ..engine import control, routing, transfer
from ..engine.model import Conversation, Participant
from ..world import Queue
from .blocks import connect_agent, end_and_wrap, inbound
from .context import ScriptContext
from .registry import scenario


@scenario(
    "blind_transfer_to_agent", "Agent transfers the caller straight to a colleague.", weight=3
)
def blind_transfer_to_agent(ctx: ScriptContext) -> Conversation:
    conv, queue = inbound(ctx)
    ctx.at(ctx.queue_wait())
    a1 = connect_agent(ctx, conv, queue)
    colleague = ctx.agent(queue, exclude=(a1.user_id or "",))
    a2 = transfer.blind_transfer(conv, ctx.world, a1.id, ctx.at(ctx.talk() // 2), user=colleague)
    routing.answer(conv, a2.id, ctx.at(ctx.alerting()))
    end_and_wrap(ctx, conv, agent_hangs_up=0.2)
    return conv


@scenario(
    "blind_transfer_to_queue",
    "Agent sends the caller to another queue; an agent there picks up.",
    weight=5,
)
def blind_transfer_to_queue(ctx: ScriptContext) -> Conversation:
    conv, queue = inbound(ctx)
    ctx.at(ctx.queue_wait())
    a1 = connect_agent(ctx, conv, queue)
    target = ctx.queue(exclude=queue.id)
    transfer.blind_transfer(conv, ctx.world, a1.id, ctx.at(ctx.talk() // 2), queue=target)
    ctx.sync(conv)
    ctx.at(ctx.queue_wait())
    connect_agent(ctx, conv, target, exclude=(a1.user_id or "",))
    end_and_wrap(ctx, conv)
    return conv


@scenario("blind_transfer_external", "Agent transfers the caller to an outside number.", weight=2)
def blind_transfer_external(ctx: ScriptContext) -> Conversation:
    conv, queue = inbound(ctx)
    ctx.at(ctx.queue_wait())
    a1 = connect_agent(ctx, conv, queue)
    number = ctx.choice(ctx.world.external_numbers)
    ext = transfer.blind_transfer(conv, ctx.world, a1.id, ctx.at(ctx.talk() // 2), address=number)
    routing.answer(conv, ext.id, ctx.at(ctx.uniform(3, 15)))
    end_and_wrap(ctx, conv)
    return conv


def _consult(ctx: ScriptContext, conv: Conversation, queue: Queue, a1: Participant) -> Participant:
    """A1 consults a colleague (directly, or through a queue 30 % of the time); it answers."""
    at = ctx.at(ctx.talk() // 2)
    if ctx.chance(0.3):
        target = ctx.queue(exclude=queue.id)
        transfer.start_consult(conv, ctx.world, conv.customer.id, at, queue=target)
        ctx.sync(conv)
        user = ctx.agent(target, exclude=(a1.user_id or "",))
        dest = routing.offer(conv, ctx.world, user, ctx.at(ctx.queue_wait() // 2))
    else:
        user = ctx.agent(queue, exclude=(a1.user_id or "",))
        dest = transfer.start_consult(conv, ctx.world, conv.customer.id, at, user=user)
    routing.answer(conv, dest.id, ctx.at(ctx.alerting()))
    return dest


@scenario("consult_transfer", "Agent consults a colleague, then hands the caller over.", weight=4)
def consult_transfer(ctx: ScriptContext) -> Conversation:
    conv, queue = inbound(ctx)
    ctx.at(ctx.queue_wait())
    a1 = connect_agent(ctx, conv, queue)
    _consult(ctx, conv, queue, a1)
    control.disconnect(conv, a1.id, ctx.at(ctx.lognormal(60, 0.5, 10, 600)))
    end_and_wrap(ctx, conv, agent_hangs_up=0.2)
    return conv


@scenario("consult_cancelled", "Agent consults a colleague, then returns to the caller.", weight=2)
def consult_cancelled(ctx: ScriptContext) -> Conversation:
    conv, queue = inbound(ctx)
    ctx.at(ctx.queue_wait())
    a1 = connect_agent(ctx, conv, queue)
    user = ctx.agent(queue, exclude=(a1.user_id or "",))
    dest = transfer.start_consult(
        conv, ctx.world, conv.customer.id, ctx.at(ctx.talk() // 2), user=user
    )
    if ctx.chance(0.5):
        routing.answer(conv, dest.id, ctx.at(ctx.alerting()))
        transfer.cancel_consult(conv, ctx.at(ctx.lognormal(40, 0.5, 5, 300)))
    else:
        transfer.cancel_consult(conv, ctx.at(ctx.uniform(2, 6)))
    end_and_wrap(ctx, conv)
    return conv


@scenario("conference", "Agent brings a colleague in; the three talk together.", weight=2)
def conference(ctx: ScriptContext) -> Conversation:
    conv, queue = inbound(ctx)
    ctx.at(ctx.queue_wait())
    a1 = connect_agent(ctx, conv, queue)
    _consult(ctx, conv, queue, a1)
    transfer.change_speak_to(conv, ctx.at(ctx.uniform(10, 60)), "CONFERENCE")
    if ctx.chance(0.5):
        control.disconnect(conv, a1.id, ctx.at(ctx.talk() // 2))
    end_and_wrap(ctx, conv, agent_hangs_up=0.0)
    return conv
