"""Everything one app instance serves: config, world, clock, store, tokens, journal, faults."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import cast

from flask import current_app

from gcmock.scenarios import Conversation, GeneratorOptions, World, build_world
from gcmock.scenarios.library.generate import maker

from .auth import Tokens
from .clock import Clock, wall_ms
from .config import ServerConfig
from .faults import Faults
from .journal import Journal
from .notifications import Notifications
from .store import Store

__all__ = ["EXTENSION", "ServerState", "current", "generated"]

EXTENSION = "gcmock"

HORIZON_GAP_MS = 1000
"""Scripts stop this long before the start time: their hand-off gaps can land a few ms after
the horizon, and the first write at the start time must come after every generated event."""


def generated(config: ServerConfig, world: World, anchor_ms: int) -> Iterator[Conversation]:
    """``config.conversations`` conversations of dataset ``config.seed`` that started in the
    window before ``anchor_ms``, cut at the anchor so some are still live.

    A script whose first step would fall after the horizon is skipped (the next index is
    taken), so the count is exact and the result still depends only on the config.
    """
    window = config.generation_window_ms
    options = GeneratorOptions(
        start_ms=anchor_ms - window,
        days=(window - 2 * HORIZON_GAP_MS) / 86_400_000,
        horizon_ms=anchor_ms - HORIZON_GAP_MS,
    )
    if config.mix is not None:
        options = replace(options, mix=dict(config.mix))
    make = maker(world, options)
    made = 0
    index = 0
    while made < config.conversations:
        try:
            conv = make(config.seed, index)
        except ValueError:
            conv = None
        index += 1
        if conv is not None:
            made += 1
            yield conv


@dataclass(slots=True)
class ServerState:
    config: ServerConfig
    world: World
    clock: Clock
    store: Store
    tokens: Tokens
    journal: Journal
    faults: Faults
    anchor_ms: int
    notifications: Notifications
    on_reset: list[Callable[[], None]] = field(default_factory=list)
    """What else forgets its state on reset (e.g. the analytics jobs)."""

    @classmethod
    def build(cls, config: ServerConfig) -> ServerState:
        world = build_world(config.seed, config.world_size, config.locale)
        clock = Clock(config.start_ms, frozen=config.frozen)
        anchor = clock.now()

        def initial() -> Iterator[Conversation]:
            if config.data is not None:
                from .dataset import read_dataset

                return read_dataset(config.data)
            return generated(config, world, anchor)

        store = Store(world, clock, initial, seed=config.seed, auto=config.autopilot)
        journal = Journal(config.journal_size, config.journal_bytes)
        notifications = Notifications(world, clock, heartbeat_ms=config.heartbeat_ms)
        store.listeners.append(notifications.published)
        return cls(config, world, clock, store, Tokens(), journal, Faults(), anchor, notifications)

    def reset(self) -> None:
        """Back to the served state: the clock at its start, the conversations regenerated (or
        reloaded), no journal, no faults, no notification channels, no tokens minted through
        ``/__admin/tokens`` (tokens from ``/oauth/token`` stay valid: a client logged in before
        the reset keeps working)."""
        clock, config = self.clock, self.config
        if config.start_ms is None and not config.frozen:
            clock.unfreeze()
            clock.set(wall_ms())
        else:
            if config.frozen:
                clock.freeze()
            else:
                clock.unfreeze()
            clock.set(self.anchor_ms)
        self.notifications.reset()
        self.store.reset()
        self.journal.clear()
        self.faults.clear()
        self.tokens.revoke_minted()
        for forget in self.on_reset:
            forget()


def current() -> ServerState:
    """The state of the app handling the current request."""
    return cast(ServerState, current_app.extensions[EXTENSION])
