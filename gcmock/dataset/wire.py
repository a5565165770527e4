"""A block of conversations as the Parquet writer receives it: JSON for Arrow's JSON reader.

Workers produce this and never import pyarrow, which would cost each of them ~40 MB; the one
writing process parses it (:func:`gcmock.dataset.arrow.block_tables`). Like
:func:`gcmock.dataset.encode.render`, a block is a pure function of (spec, index range).

- Nested shape: the NDJSON of the conversations, except that each ``attributes`` map is a list
  of ``{"key": ..., "value": ...}`` objects (Arrow's JSON reader cannot build a map).
- Flat tables: one JSON object, for each table its columns as arrays keyed by position
  (``"0"``, ``"1"``...: the order of :data:`gcmock.dataset.schema.TABLE_SCHEMAS`), times as
  epoch milliseconds. The flat tables read engine state directly, through the same helpers the
  JSON projection uses, so both agree on states and segment ends. The world's tables take the
  same form (:func:`encode_world`): the writer then builds no Arrow array from Python objects,
  which would import pandas into it (pyarrow checks every such object for a pandas type).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from gcmock.scenarios import Conversation, World, to_conversation_json
from gcmock.scenarios.simulation.day import DayResult
from gcmock.scenarios.views.conversation_parts import communication_state, participant_span
from gcmock.scenarios.views.projection import SEGMENT_TYPES, how_ended
from gcmock.scenarios.world.presence import presence_definition

from .direct import writev_all
from .spec import DatasetSpec, simulated_day

__all__ = [
    "CONVERSATION_TABLES",
    "USER_TABLES",
    "WORLD_TABLES",
    "block_table_names",
    "encode_block",
    "encode_world",
    "spill",
]

CONVERSATION_TABLES = ("conversations", "participants", "communications", "segments")
WORLD_TABLES = ("users", "queues", "wrapup_codes")
USER_TABLES = ("user_presence", "user_routing_status")
"""Simulated datasets only: each day's spans, in the block holding the day's first conversation."""


def block_table_names(spec: DatasetSpec) -> tuple[str, ...]:
    """The tables every block of ``spec`` fills."""
    return CONVERSATION_TABLES + (USER_TABLES if spec.simulate else ())


Columns = list[list[Any]]
"""A table's columns, in schema order."""


def encode_block(spec: DatasetSpec, start: int, stop: int, end: int) -> list[bytes]:
    """Conversations ``start .. stop - 1`` as the pieces to write in order (``end``, where the
    file ends, does not change a Parquet block)."""
    convs = spec.conversations(start, stop)
    if not spec.tables:
        return [orjson.dumps(_nested(conv), option=orjson.OPT_APPEND_NEWLINE) for conv in convs]
    tables: dict[str, Columns] = {name: [] for name in block_table_names(spec)}
    for conv in convs:
        _add(tables, conv)
    if spec.simulate:
        for day in spec.days_starting(start, stop):
            _add_timelines(tables, simulated_day(spec, day))
    return [_document(tables)]


def _add_timelines(tables: dict[str, Columns], day: DayResult) -> None:
    for user_id, spans in day.presence.items():
        for start, end, presence in spans:
            definition = presence_definition(presence).id
            _append(tables["user_presence"], user_id, start, end, presence, definition)
    for user_id, spans in day.routing.items():
        for start, end, status in spans:
            _append(tables["user_routing_status"], user_id, start, end, status)


def encode_world(world: World) -> bytes:
    """The world's users, queues and wrap-up codes, for joining on the ids in the tables."""
    tables: dict[str, Columns] = {name: [] for name in WORLD_TABLES}
    for u in world.users:
        _append(
            tables["users"],
            *(u.id, u.name, u.email, u.username, u.department, u.title, u.locale),
            *(u.division_id, u.team_id, u.manager_id or None, u.is_supervisor),
            *(list(u.queue_ids), u.work_phone or None),
        )
    for q in world.queues:
        _append(
            tables["queues"],
            *(q.id, q.name, q.division_id, q.description, q.language_id or None),
            *(q.language_name or None, list(q.skill_ids), list(q.wrapup_code_ids)),
            *(list(q.member_ids), list(q.dnis), q.calling_party_number or None),
            *(q.alerting_timeout_ms, q.wrapup_timeout_ms, q.wrapup_prompt),
            *(q.service_level_percentage, q.service_level_duration_ms, q.date_created_ms),
        )
    for c in world.wrapup_codes:
        _append(
            tables["wrapup_codes"],
            *(c.id, c.name, c.division_id, c.description or None, c.date_created_ms or None),
        )
    return _document(tables)


def _document(tables: dict[str, Columns]) -> bytes:
    document = {name: dict(enumerate(cols)) for name, cols in tables.items()}
    return orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS)


def spill(parts: list[bytes], path: Path) -> None:
    """A worker's block to the file the writer reads it from (here, not beside the writer's
    code, so that a worker does not import pyarrow)."""
    with open(path, "wb") as fh:
        writev_all(fh.fileno(), parts)


def _nested(conv: Conversation) -> dict[str, Any]:
    doc = to_conversation_json(conv)
    for p in doc["participants"]:
        p["attributes"] = [{"key": k, "value": v} for k, v in p["attributes"].items()]
    return doc


def _append(columns: Columns, *values: Any) -> None:
    """Append one row; the first makes the columns (a table a block has no row of is ``{}``,
    which reads as empty columns)."""
    if not columns:
        columns.extend([] for _ in values)
    for column, value in zip(columns, values, strict=True):
        column.append(value)


def _add(tables: dict[str, Columns], conv: Conversation) -> None:
    settled = conv.settled
    ends = []
    for n, p in enumerate(conv.participants):
        connected, end = participant_span(p)
        ends.append(end)
        w = p.wrapup
        _append(
            tables["participants"],
            *(conv.id, p.id, n, p.purpose, p.participant_type, p.name, p.user_id),
            *(p.queue_id, p.queue_name, p.team_id, p.group_id, p.external_contact_id),
            *(p.external_organization_id, p.address, p.ani, p.dnis, p.locale),
            *(p.start, connected, end, p.acw_start, p.acw_end, bool(p.wrapup_required)),
            *(p.wrapup_prompt, p.wrapup_timeout_ms, p.wrapup_skipped),
            *(w.code, w.name, w.notes, w.duration_seconds) if w else (None,) * 4,
            *(p.alerting_timeout_ms, p.consult_participant_id, p.monitored_participant_id),
            *(p.coached_participant_id, p.barged_participant_id, p.flagged_reason),
            p.screen_recording_state,
        )
        for k, c in enumerate(p.comms):
            _append(
                tables["communications"],
                *(conv.id, p.id, c.id, k, c.media, c.direction, c.initial_state),
                *(communication_state(c, settled), c.provider, c.start, c.alerting_start),
                *(c.connected, c.disconnected, c.disconnect_type, c.held, c.muted),
                *(c.recording, c.peer_id),
            )
            for i, s in enumerate(c.segments):
                _append(
                    tables["segments"],
                    *(conv.id, p.id, c.id, i, SEGMENT_TYPES.get(s.kind, "Other"), s.start),
                    *(s.end, how_ended(c.segments, i), s.disconnect_type, s.conference),
                )
    conv_end = None if not ends or None in ends else max(e for e in ends if e is not None)
    _append(
        tables["conversations"],
        *(conv.id, conv.start, conv_end, conv.media, conv.originating_direction, conv.address),
        *(conv.external_tag, conv.recording_state, list(conv.division_ids)),
        *(len(conv.participants), len(conv.transfers), conv.scenario),
    )
