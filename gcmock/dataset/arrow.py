"""Conversations and the world as Arrow tables, for the Parquet writers.

Like :func:`gcmock.dataset.encode.render`, a block's tables are a pure function of (spec, index
range). The flat tables read engine state directly (integer ms become ``timestamp[ms, UTC]``)
through the same helpers the JSON projection uses, so both agree on states and segment ends.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from gcmock.scenarios import Conversation, World, to_conversation_json
from gcmock.scenarios.projection import (
    SEGMENT_TYPES,
    communication_state,
    how_ended,
    participant_span,
)

from .schema import CONVERSATION_SCHEMA, TABLE_SCHEMAS
from .spec import DatasetSpec

__all__ = ["CONVERSATION_TABLES", "WORLD_TABLES", "block_tables", "world_tables"]

CONVERSATION_TABLES = ("conversations", "participants", "communications", "segments")
WORLD_TABLES = ("users", "queues", "wrapup_codes")

Columns = dict[str, list[Any]]


def block_tables(spec: DatasetSpec, start: int, stop: int) -> dict[str, pa.Table]:
    """Conversations ``start .. stop - 1``: the nested table, or the four flat ones."""
    convs = spec.conversations(start, stop)
    if not spec.tables:
        rows = [to_conversation_json(conv) for conv in convs]
        return {"conversations": pa.Table.from_pylist(rows, schema=CONVERSATION_SCHEMA)}
    cols = {name: _columns(name) for name in CONVERSATION_TABLES}
    for conv in convs:
        _add(cols, conv)
    return {name: pa.table(c, schema=TABLE_SCHEMAS[name]) for name, c in cols.items()}


def _columns(table: str) -> Columns:
    return {name: [] for name in TABLE_SCHEMAS[table].names}


def _append(cols: Columns, *values: Any) -> None:
    for column, value in zip(cols.values(), values, strict=True):
        column.append(value)


def _add(cols: dict[str, Columns], conv: Conversation) -> None:
    settled = conv.settled
    ends = []
    for n, p in enumerate(conv.participants):
        connected, end = participant_span(p)
        ends.append(end)
        w = p.wrapup
        _append(
            cols["participants"],
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
                cols["communications"],
                *(conv.id, p.id, c.id, k, c.media, c.direction, c.initial_state),
                *(communication_state(c, settled), c.provider, c.start, c.alerting_start),
                *(c.connected, c.disconnected, c.disconnect_type, c.held, c.muted),
                *(c.recording, c.peer_id),
            )
            for i, s in enumerate(c.segments):
                _append(
                    cols["segments"],
                    *(conv.id, p.id, c.id, i, SEGMENT_TYPES.get(s.kind, "Other"), s.start),
                    *(s.end, how_ended(c.segments, i), s.disconnect_type, s.conference),
                )
    conv_end = None if not ends or None in ends else max(e for e in ends if e is not None)
    _append(
        cols["conversations"],
        *(conv.id, conv.start, conv_end, conv.media, conv.originating_direction, conv.address),
        *(conv.external_tag, conv.recording_state, list(conv.division_ids)),
        *(len(conv.participants), len(conv.transfers), conv.scenario),
    )


def world_tables(world: World) -> dict[str, pa.Table]:
    """The world's users, queues and wrap-up codes, for joining on the ids in the tables."""
    users, queues, codes = (_columns(name) for name in WORLD_TABLES)
    for u in world.users:
        _append(
            users,
            *(u.id, u.name, u.email, u.username, u.department, u.title, u.locale),
            *(u.division_id, u.team_id, u.manager_id or None, u.is_supervisor),
            *(list(u.queue_ids), u.work_phone or None),
        )
    for q in world.queues:
        _append(
            queues,
            *(q.id, q.name, q.division_id, q.description, q.language_id or None),
            *(q.language_name or None, list(q.skill_ids), list(q.wrapup_code_ids)),
            *(list(q.member_ids), list(q.dnis), q.calling_party_number or None),
            *(q.alerting_timeout_ms, q.wrapup_timeout_ms, q.wrapup_prompt),
            *(q.service_level_percentage, q.service_level_duration_ms, q.date_created_ms),
        )
    for c in world.wrapup_codes:
        _append(
            codes,
            *(c.id, c.name, c.division_id, c.description or None, c.date_created_ms or None),
        )
    return {
        name: pa.table(cols, schema=TABLE_SCHEMAS[name])
        for name, cols in zip(WORLD_TABLES, (users, queues, codes), strict=True)
    }
