"""What a conversation's timeline must show, read from its JSON independently of the renderer:
shared by the renderer's tests and the browser test."""

from __future__ import annotations

import re
from typing import Any

from gcmock.scenarios.views.timeline import epoch_ms

_INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
KINDS = {
    "Alert": "alerting",
    "Hold": "hold",
    "Interact": "talk",
    "Ivr": "ivr",
    "System": "system",
}


def expected_bars(conv: dict[str, Any]) -> set[tuple[str, str, int, int]]:
    """(participant id, kind, start, end) of every segment and after-call work."""
    out = set()
    for p in conv["participants"]:
        for c in p["calls"]:
            for s in c["segments"]:
                kind = KINDS[s["type"]]
                if kind == "talk" and p["purpose"] == "acd":
                    kind = "queue"
                out.add((p["id"], kind, epoch_ms(s["startTime"]), epoch_ms(s["endTime"])))
        if "startAcwTime" in p:
            out.add((p["id"], "acw", epoch_ms(p["startAcwTime"]), epoch_ms(p["endAcwTime"])))
    return out


def latest(conv: dict[str, Any]) -> int:
    """The latest instant the document mentions: where a settled conversation's time axis ends."""
    return max(epoch_ms(v) for v in _strings(conv) if _INSTANT.match(v))


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []
