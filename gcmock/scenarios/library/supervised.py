"""Supervised calls: a supervisor monitors, coaches or barges in."""

from __future__ import annotations

from ..engine import control, routing, supervision
from ..engine.model import Conversation
from .blocks import connect_agent, decorate_agent, end_and_wrap, inbound
from .context import ScriptContext
from .registry import scenario


def _supervised(ctx: ScriptContext, mode: str) -> Conversation:
    conv, queue = inbound(ctx)
    ctx.at(ctx.queue_wait())
    agent = connect_agent(ctx, conv, queue)
    decorate_agent(ctx, conv, agent)
    talk = ctx.talk()
    join = getattr(supervision, mode)
    if mode == "barge":
        control.flag(conv, agent.id, ctx.at(talk // 4))
    sup = join(conv, ctx.world, agent.id, ctx.supervisor(), ctx.at(talk // 4))
    if mode == "monitor" and ctx.chance(0.5):
        routing.add_media(
            conv,
            sup.id,
            "screenMonitoring",
            ctx.at(1000),
            extra={
                "targetUser": {"id": agent.user_id, "selfUri": f"/api/v2/users/{agent.user_id}"},
                "monitoringType": "ConversationLevel",
                "count": 1,
            },
        )
    if ctx.chance(0.4):
        control.disconnect(conv, sup.id, ctx.at(talk // 4))
    end_and_wrap(ctx, conv, talk_ms=talk // 3)
    return conv


@scenario("monitored", "A supervisor silently listens to the agent's call.", weight=2)
def monitored(ctx: ScriptContext) -> Conversation:
    return _supervised(ctx, "monitor")


@scenario("coached", "A supervisor whispers to the agent during the call.", weight=1)
def coached(ctx: ScriptContext) -> Conversation:
    return _supervised(ctx, "coach")


@scenario("barged", "The agent flags the call and a supervisor barges in.", weight=1)
def barged(ctx: ScriptContext) -> Conversation:
    return _supervised(ctx, "barge")
