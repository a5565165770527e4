"""A bounded journal of the requests the mock served, for tests to assert on what a client sent.

Recording is on every request's path, so it keeps the raw pieces; they become JSON only when the
journal is read (``GET /__admin/requests``). It is bounded twice: by entries and by the bytes of
the bodies it keeps, and it keeps at most a prefix of each body (what it shows), so rejected
10 MB uploads cannot grow the server.

Its ``path`` filter is a glob (``*``, ``?``, ``[...]``, matched against the whole path, as fault
paths are): it cannot backtrack without bound the way a regular expression can.
"""

from __future__ import annotations

import fnmatch
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
"""Bytes of a body the journal keeps (and shows)."""
JOURNAL_BYTES = 8 * 1024 * 1024
"""Default bound on the body bytes of the whole journal."""
REDACTED = frozenset({"client_secret", "password", "assertion", "refresh_token"})


@dataclass(frozen=True, slots=True)
class Record:
    method: str
    path: str
    query: str
    body: bytes | dict[str, str] | None
    """Raw bytes (a prefix of at most ``BODY_MAX``: see :func:`kept`), or the parsed form of a
    form post."""
    status: int
    at_ms: int
    duration_ms: float
    correlation_id: str
    truncated: bool = False
    """The body was longer than the prefix kept."""

    @property
    def weight(self) -> int:
        """What the entry costs the journal's byte bound."""
        body = self.body
        if isinstance(body, dict):
            return sum(len(k) + len(v) for k, v in body.items())
        return len(body) if body else 0

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "method": self.method,
            "path": self.path,
            "query": parse_qs(self.query, keep_blank_values=True),
        }
        body = _body(self.body, self.truncated)
        if body is not None:
            data["body"] = body
        data.update(
            status=self.status,
            time=iso(self.at_ms),
            durationMs=round(self.duration_ms, 3),
            correlationId=self.correlation_id,
        )
        return data


def kept(raw: bytes) -> tuple[bytes, bool]:
    """The prefix of a body the journal keeps, and whether it was cut."""
    if len(raw) <= BODY_MAX:
        return raw, False
    return raw[:BODY_MAX], True


def _body(raw: bytes | dict[str, str] | None, truncated: bool) -> Any:
    if raw is None or isinstance(raw, dict):
        return {k: ("***" if k in REDACTED else v) for k, v in raw.items()} if raw else None
    if not raw:
        return None
    if not truncated:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return raw.decode(errors="replace")


class Journal:
    """The last ``size`` requests whose bodies fit in ``max_bytes``, oldest first; thread-safe."""

    def __init__(self, size: int, max_bytes: int = JOURNAL_BYTES) -> None:
        self._lock = threading.Lock()
        self._size = max(1, size)
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: deque[Record] = deque()

    @property
    def body_bytes(self) -> int:
        """Body bytes held now (at most ``max_bytes``, plus the newest entry's)."""
        return self._bytes

    def add(self, record: Record) -> None:
        with self._lock:
            entries = self._entries
            entries.append(record)
            self._bytes += record.weight
            while len(entries) > 1 and (len(entries) > self._size or self._bytes > self._max_bytes):
                self._bytes -= entries.popleft().weight

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def query(
        self,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Entries matching every given filter (``path`` is a glob over the whole path), the
        last ``limit``. Filtering runs on a copy, outside the lock recording takes."""
        with self._lock:
            entries = list(self._entries)
        glob = re.compile(fnmatch.translate(path)) if path is not None else None
        out = [
            e
            for e in entries
            if (method is None or e.method == method.upper())
            and (glob is None or glob.match(e.path))
            and (status is None or e.status == status)
        ]
        return [e.to_json() for e in (out[-limit:] if limit else out)]
