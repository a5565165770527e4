"""A bounded journal of the requests the mock served, for tests to assert on what a client sent.

Recording is on every request's path, so it keeps the raw pieces; they become JSON only when the
journal is read (``GET /__admin/requests``).
"""

from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import orjson

from gcmock.scenarios import iso

__all__ = ["Journal", "Record"]

BODY_MAX = 65536
REDACTED = frozenset({"client_secret", "password", "assertion", "refresh_token"})


@dataclass(frozen=True, slots=True)
class Record:
    method: str
    path: str
    query: str
    body: bytes | dict[str, str] | None
    """Raw bytes, or the parsed form of a form post."""
    status: int
    at_ms: int
    duration_ms: float
    correlation_id: str

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "method": self.method,
            "path": self.path,
            "query": parse_qs(self.query, keep_blank_values=True),
        }
        body = _body(self.body)
        if body is not None:
            data["body"] = body
        data.update(
            status=self.status,
            time=iso(self.at_ms),
            durationMs=round(self.duration_ms, 3),
            correlationId=self.correlation_id,
        )
        return data


def _body(raw: bytes | dict[str, str] | None) -> Any:
    if raw is None or isinstance(raw, dict):
        return {k: ("***" if k in REDACTED else v) for k, v in raw.items()} if raw else None
    if not raw:
        return None
    if len(raw) <= BODY_MAX:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return raw[:BODY_MAX].decode(errors="replace")


class Journal:
    """The last ``size`` requests, oldest first; thread-safe."""

    def __init__(self, size: int) -> None:
        self._lock = threading.Lock()
        self._entries: deque[Record] = deque(maxlen=max(1, size))

    def add(self, record: Record) -> None:
        with self._lock:
            self._entries.append(record)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def query(
        self,
        *,
        method: str | None = None,
        path: re.Pattern[str] | None = None,
        status: int | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Entries matching every given filter (``path`` is searched), the last ``limit``."""
        with self._lock:
            entries = list(self._entries)
        out = [
            e
            for e in entries
            if (method is None or e.method == method.upper())
            and (path is None or path.search(e.path))
            and (status is None or e.status == status)
        ]
        return [e.to_json() for e in (out[-limit:] if limit else out)]
