"""A bounded journal of the requests the mock served, for tests to assert on what a client sent."""

from __future__ import annotations

import re
import threading
from collections import deque
from typing import Any

__all__ = ["Journal"]


class Journal:
    """The last ``size`` requests, oldest first; thread-safe."""

    def __init__(self, size: int) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=max(1, size))

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)

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
            if (method is None or e["method"] == method.upper())
            and (path is None or path.search(e["path"]))
            and (status is None or e["status"] == status)
        ]
        return out[-limit:] if limit else out
