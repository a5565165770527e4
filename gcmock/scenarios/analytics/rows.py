"""Rows: what the predicates of each filter family look at in an analytics record, and
:func:`matches`, the brute-force definition of a details query's filters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .filters import Filter
from .intervals import instant_ms
from .vocabulary import RECORD_LISTS

__all__ = [
    "conversation_row",
    "flatten_into",
    "matches",
    "record_ms",
    "segment_rows",
]

_PLURALS = {
    "callbackNumbers": "callbackNumber",
    "destinationAddresses": "destinationAddress",
    "divisionIds": "divisionId",
    "accessAttributes": "accessAttribute",
    "requestedRoutingSkillIds": "requestedRoutingSkillId",
    "requestedRoutings": "requestedRouting",
    "sipResponseCodes": "sipResponseCode",
}
_NESTED = frozenset({"sessions", "attributes", "metrics", "segments", "flow", "participants"})


def flatten_into(obj: Mapping[str, Any], into: dict[str, Any]) -> None:
    """Copy the scalar and list fields of ``obj`` (not its nested parts), plural names singular."""
    for k, v in obj.items():
        if k not in _NESTED and not isinstance(v, dict):
            into[_PLURALS.get(k, k)] = v


def record_ms(text: str) -> int:
    """A record's timestamp as epoch ms."""
    return instant_ms(text, "record")


def segment_rows(record: Mapping[str, Any], *, durations: bool = True) -> list[dict[str, Any]]:
    """One row per segment: its own fields over its session's (and flow's) and participant's,
    plural list fields renamed to their singular dimension, plus (with ``durations``) the
    ``tSegmentDuration`` metric of closed segments."""
    rows = []
    for p in record.get("participants", ()):
        base: dict[str, Any] = {}
        flatten_into(p, base)
        for s in p.get("sessions", ()):
            session = dict(base)
            flatten_into(s, session)
            if "flow" in s:
                flatten_into(s["flow"], session)
            for seg in s.get("segments", ()):
                row = dict(session)
                flatten_into(seg, row)
                if durations and "segmentEnd" in seg:
                    end, start = record_ms(seg["segmentEnd"]), record_ms(seg["segmentStart"])
                    row["tSegmentDuration"] = end - start
                rows.append(row)
    return rows


def conversation_row(record: Mapping[str, Any], *, metrics: bool = True) -> dict[str, Any]:
    """The conversation's dimensions and, with ``metrics``, each metric summed over sessions."""
    row: dict[str, Any] = {}
    flatten_into(record, row)
    row.pop("evaluations", None)
    row.pop("surveys", None)
    row.pop("resolutions", None)
    if metrics:
        for p in record.get("participants", ()):
            for s in p.get("sessions", ()):
                for m in s.get("metrics", ()):
                    row[m["name"]] = row.get(m["name"], 0) + m["value"]
    return row


def _rows(record: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    if kind == "segment":
        return segment_rows(record)
    if kind == "conversation":
        return [conversation_row(record)]
    return [dict(x) for x in record.get(RECORD_LISTS[kind], ())]


def matches(record: Mapping[str, Any], filters: Sequence[Filter]) -> bool:
    """Whether a record satisfies every filter (the brute-force definition the index follows)."""
    cache: dict[str, list[dict[str, Any]]] = {}
    for f in filters:
        rows = cache.get(f.kind)
        if rows is None:
            rows = cache[f.kind] = _rows(record, f.kind)
        if not any(f.test(r) for r in rows):
            return False
    return True
