"""The store keeps its own copies: what a caller loads cannot change behind its locks."""

from __future__ import annotations

from gcmock.fixtures.conversations import ConversationFactory
from gcmock.mockserver.state import ServerState
from gcmock.scenarios.views.projection import to_conversation_bytes


def test_load_keeps_a_copy_of_the_callers_conversation(state: ServerState) -> None:
    conv = ConversationFactory.build(scenario="inbound_answered", world=state.world, seed=5)
    state.store.load([conv])
    served = to_conversation_bytes(state.store.snapshot(conv.id).conv)
    conv.participants[0].attributes["changed"] = "after load"
    conv.participants.pop()
    snap = state.store.snapshot(conv.id)
    assert snap.conv is not conv
    assert to_conversation_bytes(snap.conv) == served
