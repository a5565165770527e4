"""Invariant checker for Genesys Cloud conversation JSON.

It judges parsed JSON, never engine objects, so the same rules apply to what we generate and to a
real export. Both shapes are accepted: the nested ``Conversation`` (``GET /conversations/{id}``,
media arrays per participant) and the flattened ``CallConversation`` family
(``GET /conversations/calls/{id}``, media fields on the participant). Every rule has a stable id,
listed with its meaning in :data:`RULES`; :class:`DatasetValidator` adds the rules that need more
than one conversation.

The rules were written against the real payloads of ``genesys-api.md`` §8, which is why some are
looser than a generator needs: the customer may connect after the IVR, agents that never answered
have no ``connectedTime``, and times taken from different clocks (participant times are in the
"provider clock", communication ``connectedTime`` in the "cloud clock") may differ by a few ms —
``skew_ms`` bounds that; pass ``skew_ms=0`` to hold generated data to exact equality.

Each conversation is checked in one pass of cheap dictionary look-ups; timestamps are parsed by a
small cached function, because the CLI runs this over tens of thousands of conversations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .rules import CLOCK_SKEW_MS, Violation
from .rules_media import MediaRules
from .rules_participants import ParticipantRules
from .vocabulary import (
    CONVERSATION_RECORDING_STATES,
    FLAT_SELF_URI,
    MEDIA_KEYS,
    PARTICIPANTS_PATH,
    RECORDING_STATES,
    dicts,
    time_of,
)

__all__ = ["Checker", "validate"]


class Checker(MediaRules, ParticipantRules):
    """The checks of one conversation, plus the ids and names the dataset rules need."""

    def run(self) -> list[Violation]:
        conv = self.conv
        participants = conv.get("participants")
        if not isinstance(participants, list):
            self.add(None, "shape", "participants is not a list")
            return self.out
        self.walk({k: v for k, v in conv.items() if k != "participants"}, None, None, True)

        flat = _is_flat(conv, participants)
        if "id" in conv:
            self.check_id(None, "conversation id", conv["id"])
        else:
            self.add(None, "field.required", "conversation has no id")
        self.check_self_uri(flat)
        for membership in dicts(conv.get("divisions")):
            if isinstance(division := membership.get("division"), dict):
                self.check_id(None, "division id", division.get("id"))
            for entity in dicts(membership.get("entities")):
                self.check_id(None, "division entity id", entity.get("id"))
        if "recordingState" in conv:
            allowed = RECORDING_STATES if flat else CONVERSATION_RECORDING_STATES
            self.check_enum(
                None, "enum.recordingState", "recordingState", conv["recordingState"], allowed
            )
        voice = flat and _flat_media(conv, participants) == "calls"

        by_id: dict[str, Mapping[str, Any]] = {}
        previous_start: int | None = None
        for index, p in enumerate(participants):
            if not isinstance(p, dict):
                self.add(None, "shape", f"participants[{index}] is not an object")
                continue
            raw_pid = p.get("id")
            pid = raw_pid if isinstance(raw_pid, str) else None
            self.walk(p, (PARTICIPANTS_PATH, index), pid, True)
            self.note_id(pid, "participant", raw_pid)
            if pid is not None:
                by_id[pid] = p
            start = time_of(p, "startTime")
            if "startTime" not in p:
                self.add(pid, "field.required", "participant has no startTime")
            elif start is not None:
                if previous_start is not None and start < previous_start:
                    self.add(
                        pid,
                        "participants.order",
                        f"startTime {p['startTime']} is before the "
                        "previous participant's: participants are not in join order",
                    )
                previous_start = start
            self.participant(p, pid)
            if flat:
                self.flat_media(p, pid, voice)
            else:
                self.nested_media(p, pid)

        self.references(by_id)
        self.conversation_times(participants, flat)
        return self.out

    def check_self_uri(self, flat: bool) -> None:
        uri = self.conv.get("selfUri")
        if not isinstance(uri, str):
            return
        if flat:
            match = FLAT_SELF_URI.fullmatch(uri)
            ok = match is not None and match.group(2) == self.cid
        else:
            ok = uri == f"/api/v2/conversations/{self.cid}"
        if not ok:
            self.add(None, "uri.id", f"selfUri {uri} does not name conversation {self.cid}")

    def conversation_times(self, participants: list[Any], flat: bool) -> None:
        people = dicts(participants)
        starts = [t for p in people if (t := time_of(p, "startTime")) is not None]
        conv = self.conv
        if "startTime" in conv or not flat:
            start = time_of(conv, "startTime")
            if "startTime" not in conv:
                self.add(None, "conv.start", "conversation has no startTime")
            elif start is not None and starts and start != min(starts):
                self.add(
                    None,
                    "conv.start",
                    f"startTime {conv['startTime']} is not the earliest participant startTime",
                )
        if flat or not people:
            return
        if "endTime" in conv:
            end = time_of(conv, "endTime")
            for p in people:
                pid = p.get("id") if isinstance(p.get("id"), str) else None
                p_end = time_of(p, "endTime")
                if "endTime" not in p:
                    self.add(pid, "conv.end", "conversation has ended but this participant has not")
                elif end is not None and p_end is not None and p_end > end:
                    self.add(
                        pid,
                        "conv.end",
                        f"endTime {p['endTime']} is after the conversation "
                        f"endTime {conv['endTime']}",
                    )
        elif all("endTime" in p for p in people):
            self.add(
                None, "conv.end", "every participant has ended but the conversation has no endTime"
            )


def _is_flat(conv: Mapping[str, Any], participants: list[Any]) -> bool:
    """Tell the flattened shape: no media arrays, but otherMediaUris or participant states."""
    if "otherMediaUris" in conv:
        return True
    for p in participants:
        if isinstance(p, dict):
            if any(media in p for media in MEDIA_KEYS):
                return False
            if "state" in p:
                return True
    return False


def _flat_media(conv: Mapping[str, Any], participants: list[Any]) -> str | None:
    """The media of a flattened conversation, from its selfUri or else its call-only fields."""
    uri = conv.get("selfUri")
    if isinstance(uri, str) and (match := FLAT_SELF_URI.fullmatch(uri)):
        return match.group(1)
    if any("ani" in p or "dnis" in p for p in dicts(participants)):
        return "calls"
    return None


def validate(conversation: Mapping[str, Any], *, skew_ms: int = CLOCK_SKEW_MS) -> list[Violation]:
    """Every rule of :data:`RULES` that ``conversation`` (either shape) breaks on its own."""
    if not isinstance(conversation, Mapping):
        return [Violation("", None, "shape", "a conversation must be a JSON object")]
    return Checker(conversation, skew_ms).run()
