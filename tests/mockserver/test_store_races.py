"""The store against races: a reset or a load that replaces a conversation while a writer holds
it neither deadlocks nor lets the superseded write into the new indexes; a writer's private copy
shares the conversation's history instead of copying it.

Each test builds its own small state: a regression here deadlocks that store, which must not be
the session's shared app.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest

from gcmock.mockserver.state import ServerState
from gcmock.mockserver.store import Store
from gcmock.scenarios import to_conversation_json

from .conftest import CONFIG

TIMEOUT_S = 10


@pytest.fixture
def store() -> Iterator[Store]:
    yield ServerState.build(replace(CONFIG, conversations=40)).store


def _live_id(store: Store) -> str:
    return store.live()[0].conv.id


def _consistent(store: Store) -> None:
    """The live index says what the published conversations say."""
    unsettled = {s.conv.id for s in store.dump() if not s.conv.settled}
    assert {s.conv.id for s in store.live()} == unsettled
    assert store.live_count == len(unsettled)


def test_reset_during_a_write_keeps_the_new_store_consistent(store: Store) -> None:
    cid = _live_id(store)
    resetter = threading.Thread(target=store.reset, daemon=True)
    with store.edit(cid) as (conv, now):
        for p in conv.participants:
            for c in p.comms:
                if c.active:
                    c.close(now, "client")
            p.acw_start = None
        assert conv.settled
        resetter.start()
        resetter.join(TIMEOUT_S)
        assert not resetter.is_alive(), "reset waited for a writer"
    _consistent(store)
    assert cid in {s.conv.id for s in store.live()}, "the reset's live call vanished"
    assert not store.snapshot(cid).conv.settled


def test_loading_a_conversation_being_written_does_not_deadlock(store: Store) -> None:
    cid = _live_id(store)
    loaded = store.snapshot(cid).conv
    entered, release = threading.Event(), threading.Event()

    def writer() -> None:
        with store.edit(cid) as (conv, _now):
            conv.external_tag = "written"
            entered.set()
            release.wait(TIMEOUT_S)

    def loader() -> None:
        store.load([loaded])

    write = threading.Thread(target=writer, daemon=True)
    load = threading.Thread(target=loader, daemon=True)
    write.start()
    assert entered.wait(TIMEOUT_S)
    load.start()
    load.join(TIMEOUT_S)
    release.set()
    write.join(TIMEOUT_S)
    assert not load.is_alive() and not write.is_alive(), "load and edit deadlocked"
    served = store.snapshot(cid).conv
    assert to_conversation_json(served) == to_conversation_json(loaded), "the load wins"
    assert served.external_tag != "written"
    _consistent(store)


def test_a_write_shares_the_history_instead_of_copying_it(store: Store) -> None:
    cid = _live_id(store)
    for i in range(50):
        with store.edit(cid) as (conv, now):
            conv.log(now, "attributes", None, n=i)
    before = store.snapshot(cid).conv
    with store.edit(cid) as (conv, now):
        assert len(conv.events) == len(before.events)
        assert all(a is b for a, b in zip(conv.events, before.events, strict=True)), (
            "events were copied"
        )
        conv.log(now, "attributes", None, n=50)
    assert len(store.snapshot(cid).conv.events) == len(before.events) + 1
    assert before.events[-1].data == {"n": 49}, "the published history was changed"
