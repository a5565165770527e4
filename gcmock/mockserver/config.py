"""What a mock server serves: one immutable record, so the same config rebuilds the same state."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_CLIENT_ID", "DEFAULT_CLIENT_SECRET", "ServerConfig"]

DEFAULT_CLIENT_ID = "gcmock-client"
DEFAULT_CLIENT_SECRET = "gcmock-secret"

MS_PER_CONVERSATION = 1800
MIN_WINDOW_MS = 1_800_000
"""Default window: generated conversations start over ``conversations * 1.8 s`` (at least half
an hour) before now, so about a fifth of 1,000 are still live (connected, queued, alerting,
held, in ACW) at start, and a few agents of each queue are free."""


@dataclass(frozen=True, slots=True)
class ServerConfig:
    seed: int = 0
    conversations: int = 1000
    data: str | None = None
    """An NDJSON (optionally .gz) file of nested Conversations to serve instead of generating."""
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    world_size: str = "medium"
    locale: str = "en_US"
    start_ms: int | None = None
    """The server clock's time at start (epoch ms); None = the wall clock."""
    frozen: bool = False
    """Freeze the clock at start, so tests decide when time passes (``POST /__admin/clock``)."""
    window_ms: int | None = None
    """Generated conversations start within this span before the start time."""
    autopilot: bool = True
    """Let the engine's autopilot offer, answer and time out conversations as time passes."""
    mix: tuple[tuple[str, float], ...] | None = None
    """Scenario weights of the generated conversations (default: the realistic blend)."""
    token_ttl_s: int = 86399
    heartbeat_ms: int = 30_000
    """Server-clock interval of the WebSocket heartbeat (``channel.metadata``)."""
    journal_size: int = 1000
    admin_token: str | None = None
    """Required on every ``/__admin`` request (``Authorization: Bearer <token>``) when set;
    ``gcmock serve`` refuses to bind a non-loopback address without one."""
    journal_bytes: int = 8 * 1024 * 1024
    """Bound on the request bodies the journal keeps (it keeps 64 KiB of each at most)."""

    @property
    def generation_window_ms(self) -> int:
        if self.window_ms is not None:
            return self.window_ms
        return max(MIN_WINDOW_MS, self.conversations * MS_PER_CONVERSATION)
