"""The promise checked on a server's store: every conversation, in both projections, passes
``validate``. Shared by the promise property and the schemathesis run."""

from __future__ import annotations

import hashlib

import orjson

from gcmock.mockserver.routes.conversations import conversation_bytes, media_bytes
from gcmock.mockserver.state import ServerState
from gcmock.mockserver.store import Snapshot
from gcmock.scenarios import validate
from gcmock.scenarios.views.flattened import FLAT_MEDIA
from gcmock.scenarios.views.history import has_media

__all__ = ["StoreWatch"]

_VALID: dict[int | None, set[bytes]] = {}
"""Digests of conversation JSON found valid (per clock skew), shared by every example."""


class StoreWatch:
    """The store of ``state`` as its conversations' JSON. ``skew_ms`` None holds them to the
    validator's default clock skew (what a load accepts), 0 to the engine's exact times."""

    def __init__(self, state: ServerState, skew_ms: int | None = 0) -> None:
        self.state = state
        self.skew = skew_ms
        self.valid = _VALID.setdefault(skew_ms, set())

    def snaps(self) -> list[Snapshot]:
        """Every conversation once the steps due by now have run (time passing is not a
        request's change)."""
        self.state.store.catch_up()
        return self.state.store.dump()

    def conversations(self) -> list[bytes]:
        return [conversation_bytes(s) for s in self.snaps()]

    def check_all(self) -> None:
        for snap in self.snaps():
            self.check(snap)

    def check(self, snap: Snapshot) -> None:
        views = [conversation_bytes(snap)]
        views += [media_bytes(snap, m) for m in FLAT_MEDIA if has_media(snap.conv, m)]
        for view in views:
            digest = hashlib.sha256(view).digest()
            if digest in self.valid:
                continue
            data = orjson.loads(view)
            found = validate(data) if self.skew is None else validate(data, skew_ms=self.skew)
            assert found == [], (found, data)
            self.valid.add(digest)
