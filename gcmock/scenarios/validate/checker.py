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

import gzip
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Any, Final

__all__ = [
    "CLOCK_SKEW_MS",
    "RULES",
    "DatasetValidator",
    "Violation",
    "assert_valid",
    "iter_conversations",
    "validate",
    "validate_file",
]

_loads: Callable[[bytes], Any]
try:
    import orjson

    _loads = orjson.loads
except ImportError:  # pragma: no cover - orjson is a dependency, json is the fallback
    _loads = json.loads

RULES: Final[dict[str, str]] = {
    "shape": "the document is a conversation object whose participants, media arrays and "
    "segments are lists of objects",
    "json.parse": "a file or line is valid JSON",
    "json.null": "no JSON null anywhere (the SDK crashes on null enums; omit the key instead)",
    "field.required": "conversation id, participant id and startTime, communication id and state "
    "(participant state in the flattened shape) are present",
    "id.format": "every id (conversation, participant, communication, user, queue, team, group, "
    "external contact/organization, script, division, peer, consult/monitored/coached/barged, "
    "wrap-up code except ININ-* system codes) is a lowercase UUID",
    "id.unique": "participant and communication ids are unique within the conversation",
    "time.format": "timestamps are yyyy-MM-ddTHH:mm:ss.SSSZ (callbackScheduledTime may omit the "
    "millis)",
    "times.order": "participant startTime <= connectedTime <= endTime <= startAcwTime <= "
    "endAcwTime, for those present",
    "times.acw": "a participant with endAcwTime has startAcwTime",
    "comm.times": "communication startAlertingTime <= connectedTime <= disconnectedTime, all "
    "within the participant's [startTime, endTime] (give or take skew_ms)",
    "comm.state": "a disconnected/terminated communication has disconnectedTime (flattened: "
    "endTime) and disconnectType, any other has neither; a connected one has connectedTime",
    "hold.state": "on a communication that has not ended, startHoldTime is present iff held is "
    "true",
    "segments.order": "segments have a startTime, end after they start, do not overlap, lie within "
    "the participant's span, and only the last one of a live communication is open",
    "segments.interact": "a communication that never connected has no Interact segment",
    "participant.connected": "a participant's connectedTime is its earliest communication "
    "connectedTime (give or take skew_ms), absent iff none connected",
    "participant.end": "a participant has endTime iff all its communications ended, and it equals "
    "the latest disconnectedTime",
    "participants.order": "participants are in join order (startTime never decreases)",
    "conv.start": "the conversation startTime is the earliest participant startTime",
    "conv.end": "an ended conversation has endTime >= every participant endTime and every "
    "participant ended; a conversation without endTime has a participant still active",
    "ref.participant": "consult/monitored/coached/barged participant ids name a participant of "
    "the same conversation",
    "ref.span": "a monitor/coach/barge leg is connected only while its target is connected",
    "ref.peer": "a communication peerId names a communication of the same conversation (nested "
    "shape; the flattened shape carries no communication ids)",
    "name.consistent": "within a conversation a user, queue or wrap-up code id has one name",
    "uri.id": "userUri and user/queue/team/group/external refs' selfUri end in their id; the "
    "conversation selfUri names the conversation",
    "address.voice": "call address/ani/dnis are tel:+E164 or sip:..., callbackNumbers are E.164",
    "wrapup.duration": "wrapup.durationSeconds == floor((endAcwTime - startAcwTime) / 1000), +-1",
    "wrapup.endTime": "wrapup.endTime == endAcwTime",
    "wrapup.acw": "a participant whose wrap-up is complete (endTime or durationSeconds) has both "
    "ACW times; an ended participant with a wrap-up has startAcwTime (only a wrap-up entered "
    "during the call may exist without ACW)",
    "wrapup.required": "wrapupRequired is true only on agent/user participants",
    "enum.state": "state/initialState within the enum of that media (or of the flattened "
    "participant)",
    "enum.disconnectType": "disconnectType within the enum of that media",
    "enum.direction": "direction is inbound or outbound",
    "enum.recordingState": "recordingState is ACTIVE/PAUSED/NONE on a nested Conversation, "
    "none/active/paused on calls and the flattened shape",
    "enum.wrapupPrompt": "wrapupPrompt within mandatory, optional, agentRequested, timeout, "
    "forcedTimeout",
    "enum.screenRecordingState": "screenRecordingState within the Participant enum",
    "enum.flaggedReason": "flaggedReason is general",
    "enum.type": "a message's type within the Message platform enum",
    "dataset.id": "conversation, participant and communication ids never reappear in another "
    "conversation",
    "dataset.name": "across the dataset a user, queue or wrap-up code id always has the same name",
}
"""Rule id -> what it checks. Ids are stable: tests, the CLI and the README refer to them."""

CLOCK_SKEW_MS: Final = 100
"""Default tolerance between times from different clocks (real samples differ by up to ~20 ms)."""

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{3})Z"
)
_TIMESTAMP_NO_MILLIS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_VOICE_ADDRESS = re.compile(r"tel:\+[1-9][0-9]{6,14}|sip:\S+")
_E164 = re.compile(r"\+?[1-9][0-9]{6,14}")
_FLAT_SELF_URI = re.compile(r"/api/v2/conversations/(calls|callbacks|emails|messages)/([^/]+)")

_Path = tuple[Any, str | int] | None
"""A JSON location as (parent path, key or index): cheap to extend, rendered only on error."""
_PARTICIPANTS: _Path = (None, "participants")

_EPOCH_DAY = date(1970, 1, 1).toordinal()
_NO_END = 1 << 62
"""Stands for the end time of a participant that is still active."""

_EXTRA_TIME_KEYS = frozenset({"dateIssued", "dateDivisionUpdated", "inactivityTimeout"})
"""Datetime fields whose name does not end in ``Time``."""

_MEDIA_KEYS = (
    "calls",
    "callbacks",
    "chats",
    "cobrowsesessions",
    "emails",
    "messages",
    "internalMessages",
    "screenMonitorings",
    "screenshares",
    "socialExpressions",
    "videos",
)
_ENDED = frozenset({"disconnected", "terminated"})
_PARTICIPANT_ID_KEYS = (
    "userId",
    "queueId",
    "teamId",
    "groupId",
    "externalContactId",
    "externalOrganizationId",
    "externalContactInitialDivisionId",
    "consultParticipantId",
    "monitoredParticipantId",
    "coachedParticipantId",
    "bargedParticipantId",
)
_SUPERVISION_KEYS = ("monitoredParticipantId", "coachedParticipantId", "bargedParticipantId")
_REF_PREFIXES = {
    "user": "/api/v2/users/",
    "queue": "/api/v2/routing/queues/",
    "team": "/api/v2/teams/",
    "group": "/api/v2/groups/",
    "externalContact": "/api/v2/externalcontacts/contacts/",
    "externalOrganization": "/api/v2/externalcontacts/organizations/",
    "script": "/api/v2/scripts/",
}
_USER_PURPOSES = frozenset({"agent", "user"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_BASE_STATES = "alerting dialing contacting offering connected disconnected terminated none"
_CALL_STATES = _words(_BASE_STATES + " converting uploading transmitting")
_FLAT_STATES = _CALL_STATES | {"parked"}
_STATES: dict[str, frozenset[str]] = {
    "calls": _CALL_STATES,
    "callbacks": _words(_BASE_STATES + " scheduled"),
    "chats": _words(_BASE_STATES),
    "emails": _words("alerting connected disconnected none parked transmitting"),
    "messages": _words("alerting connected parked disconnected"),
}
_ANY_STATE = frozenset().union(_FLAT_STATES, *_STATES.values())

_DISCONNECT_BASE = (
    "endpoint client system timeout transfer transfer.conference transfer.consult "
    "transfer.forward transfer.noanswer transfer.notavailable transport.failure error peer other "
    "spam uncallable"
)
_DISCONNECT_TYPES: dict[str, frozenset[str]] = {
    "calls": _words(_DISCONNECT_BASE + " endpoint.donotdisturb transfer.donotdisturb"),
    "callbacks": _words(_DISCONNECT_BASE),
    "chats": _words(
        "endpoint client system transfer transfer.conference transfer.consult transfer.forward "
        "error peer other uncallable timeout"
    ),
    "emails": _words(_DISCONNECT_BASE),
    "messages": _words(_DISCONNECT_BASE + " inactivity session.expired takeover"),
}
_FLAT_DISCONNECT_TYPES = _words(
    "endpoint endpoint.donotdisturb client system transfer transfer.conference transfer.consult "
    "transfer.donotdisturb transfer.forward transfer.noanswer transfer.notavailable "
    "transport.failure error peer other spam inactivity session.expired takeover"
)
_ANY_DISCONNECT_TYPE = frozenset().union(_FLAT_DISCONNECT_TYPES, *_DISCONNECT_TYPES.values())

_DIRECTIONS = frozenset({"inbound", "outbound"})
_RECORDING_STATES = frozenset({"none", "active", "paused"})
_CONVERSATION_RECORDING_STATES = frozenset({"ACTIVE", "PAUSED", "NONE"})
_PARTICIPANT_ENUMS: dict[str, frozenset[str]] = {
    "wrapupPrompt": _words("mandatory optional agentRequested timeout forcedTimeout"),
    "screenRecordingState": _words("requested active paused stopped error timeout"),
    "flaggedReason": frozenset({"general"}),
}
_MESSAGE_TYPES = _words(
    "apple facebook instagram kakao line open sms telegram twitter webmessaging whatsapp unknown"
)


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule, located as precisely as the rule allows."""

    conversation_id: str
    participant_id: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"conv {self.conversation_id or '?'}"
        if self.participant_id is not None:
            where += f" participant {self.participant_id}"
        return f"{where} [{self.rule}] {self.message}"


@lru_cache(maxsize=8192)
def _ms(text: str) -> int | None:
    """Epoch ms of a strict ``yyyy-MM-ddTHH:mm:ss.SSSZ`` string, None if it is not one."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, millis = map(int, match.groups())
    if hour > 23 or minute > 59 or second > 59:
        return None
    try:
        days = date(year, month, day).toordinal() - _EPOCH_DAY
    except ValueError:
        return None
    return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis


def _time(obj: Mapping[str, Any], key: str) -> int | None:
    value = obj.get(key)
    return _ms(value) if isinstance(value, str) else None


def _in(value: Any, allowed: frozenset[str]) -> bool:
    """Membership that tolerates garbage: JSON may put a list or an object anywhere."""
    return isinstance(value, str) and value in allowed


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The objects of a JSON list (non-objects are reported by the shape rule)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


class _Checker:
    """The checks of one conversation, plus the ids and names the dataset rules need."""

    def __init__(self, conversation: Mapping[str, Any], skew_ms: int) -> None:
        self.conv = conversation
        self.skew = skew_ms
        raw_id = conversation.get("id")
        self.cid = raw_id if isinstance(raw_id, str) else ""
        self.out: list[Violation] = []
        self.ids: set[str] = set()
        self.names: dict[tuple[str, str], tuple[str, str | None]] = {}
        self.peers: list[tuple[str | None, str]] = []

    def add(self, pid: str | None, rule: str, message: str) -> None:
        self.out.append(Violation(self.cid, pid, rule, message))

    # -- whole-document walk: nulls and timestamp formats ---------------------------------------

    def walk(self, node: Any, path: _Path, pid: str | None, times: bool) -> None:
        """Report nulls and malformed timestamps under ``node`` (``attributes`` are free text)."""
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    if value:
                        self.walk(value, (path, key), pid, times and key != "attributes")
                elif value is None:
                    self.add(pid, "json.null", f"{_render((path, key))} is null")
                elif times and (key.endswith("Time") or key in _EXTRA_TIME_KEYS):
                    self.check_time_format(key, value, (path, key), pid)
        else:
            for index, value in enumerate(node):
                if isinstance(value, (dict, list)):
                    if value:
                        self.walk(value, (path, index), pid, times)
                elif value is None:
                    self.add(pid, "json.null", f"{_render((path, index))} is null")

    def check_time_format(self, key: str, value: Any, path: _Path, pid: str | None) -> None:
        if isinstance(value, str) and (
            _ms(value) is not None
            or (key == "callbackScheduledTime" and _TIMESTAMP_NO_MILLIS.fullmatch(value))
        ):
            return
        self.add(pid, "time.format", f"{_render(path)} {value!r} is not yyyy-MM-ddTHH:mm:ss.SSSZ")

    # -- small helpers --------------------------------------------------------------------------

    def check_id(self, pid: str | None, what: str, value: Any) -> None:
        if not (isinstance(value, str) and _UUID.fullmatch(value)):
            self.add(pid, "id.format", f"{what} {value!r} is not a lowercase UUID")

    def check_enum(
        self, pid: str | None, rule: str, what: str, value: Any, allowed: frozenset[str]
    ) -> None:
        if not _in(value, allowed):
            self.add(pid, rule, f"{what} {value!r} is not one of {', '.join(sorted(allowed))}")

    def note_name(self, pid: str | None, kind: str, ident: Any, name: Any) -> None:
        """Remember ``ident``'s name; a second, different name breaks name.consistent."""
        if not (isinstance(ident, str) and isinstance(name, str)):
            return
        seen = self.names.setdefault((kind, ident), (name, pid))
        if seen[0] != name:
            self.add(
                pid,
                "name.consistent",
                f"{kind} {ident} is named {name!r} here and "
                f"{seen[0]!r} elsewhere in the conversation",
            )

    def note_id(self, pid: str | None, what: str, value: Any) -> None:
        """Check a participant or communication id and that it is unique in the conversation."""
        if value is None:
            self.add(pid, "field.required", f"{what} has no id")
            return
        self.check_id(pid, what, value)
        if isinstance(value, str):
            if value in self.ids:
                self.add(pid, "id.unique", f"{what} id {value} is used twice")
            self.ids.add(value)

    # -- the conversation -----------------------------------------------------------------------

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
        for membership in _dicts(conv.get("divisions")):
            if isinstance(division := membership.get("division"), dict):
                self.check_id(None, "division id", division.get("id"))
            for entity in _dicts(membership.get("entities")):
                self.check_id(None, "division entity id", entity.get("id"))
        if "recordingState" in conv:
            allowed = _RECORDING_STATES if flat else _CONVERSATION_RECORDING_STATES
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
            self.walk(p, (_PARTICIPANTS, index), pid, True)
            self.note_id(pid, "participant", raw_pid)
            if pid is not None:
                by_id[pid] = p
            start = _time(p, "startTime")
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
            match = _FLAT_SELF_URI.fullmatch(uri)
            ok = match is not None and match.group(2) == self.cid
        else:
            ok = uri == f"/api/v2/conversations/{self.cid}"
        if not ok:
            self.add(None, "uri.id", f"selfUri {uri} does not name conversation {self.cid}")

    def conversation_times(self, participants: list[Any], flat: bool) -> None:
        people = _dicts(participants)
        starts = [t for p in people if (t := _time(p, "startTime")) is not None]
        conv = self.conv
        if "startTime" in conv or not flat:
            start = _time(conv, "startTime")
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
            end = _time(conv, "endTime")
            for p in people:
                pid = p.get("id") if isinstance(p.get("id"), str) else None
                p_end = _time(p, "endTime")
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

    # -- participant fields common to both shapes -----------------------------------------------

    def participant(self, p: Mapping[str, Any], pid: str | None) -> None:
        for key in _PARTICIPANT_ID_KEYS:
            if key in p:
                self.check_id(pid, key, p[key])
        for key, prefix in _REF_PREFIXES.items():
            ref = p.get(key)
            if isinstance(ref, dict):
                self.check_ref(pid, key, ref, prefix)
        routing = p.get("conversationRoutingData")
        if isinstance(routing, dict) and isinstance(routing.get("queue"), dict):
            self.check_ref(
                pid, "conversationRoutingData.queue", routing["queue"], _REF_PREFIXES["queue"]
            )
            self.note_name(pid, "queue", routing["queue"].get("id"), routing["queue"].get("name"))
        if "peer" in p:
            self.check_id(pid, "peer", p["peer"])

        user = p.get("user")
        user_id = user.get("id") if isinstance(user, dict) else p.get("userId")
        if isinstance(user, dict):
            self.note_name(pid, "user", user_id, user.get("name"))
        if _in(p.get("purpose"), _USER_PURPOSES):
            self.note_name(pid, "user", user_id, p.get("name"))
        queue = p.get("queue")
        if isinstance(queue, dict):
            self.note_name(pid, "queue", queue.get("id"), queue.get("name"))
        else:
            self.note_name(pid, "queue", p.get("queueId"), p.get("queueName"))
        uri = p.get("userUri")
        if uri is not None and uri != f"/api/v2/users/{p.get('userId')}":
            self.add(pid, "uri.id", f"userUri {uri} does not name userId {p.get('userId')}")

        for key, allowed in _PARTICIPANT_ENUMS.items():
            if key in p:
                self.check_enum(pid, f"enum.{key}", key, p[key], allowed)
        if p.get("wrapupRequired") is True and not _in(p.get("purpose"), _USER_PURPOSES):
            self.add(
                pid,
                "wrapup.required",
                f"wrapupRequired on a {p.get('purpose')!r} "
                "participant (only agent/user legs wrap up)",
            )
        self.participant_times(p, pid)
        wrapup = p.get("wrapup")
        if isinstance(wrapup, dict):
            self.wrapup(p, pid, wrapup)

    def check_ref(self, pid: str | None, what: str, ref: Mapping[str, Any], prefix: str) -> None:
        self.check_id(pid, f"{what}.id", ref.get("id"))
        uri = ref.get("selfUri")
        if uri is not None and uri != f"{prefix}{ref.get('id')}":
            self.add(pid, "uri.id", f"{what}.selfUri {uri} does not name {what}.id {ref.get('id')}")

    def participant_times(self, p: Mapping[str, Any], pid: str | None) -> None:
        latest_key, latest = "", -_NO_END
        for key in ("startTime", "connectedTime", "endTime", "startAcwTime", "endAcwTime"):
            t = _time(p, key)
            if t is None:
                continue
            if t < latest:
                self.add(
                    pid, "times.order", f"{key} {p[key]} is before {latest_key} {p[latest_key]}"
                )
            else:
                latest_key, latest = key, t
        if "endAcwTime" in p and "startAcwTime" not in p:
            self.add(pid, "times.acw", "endAcwTime without startAcwTime")

    def wrapup(self, p: Mapping[str, Any], pid: str | None, wrapup: Mapping[str, Any]) -> None:
        self.wrapup_code(pid, wrapup)
        start_acw, end_acw = _time(p, "startAcwTime"), _time(p, "endAcwTime")
        duration = wrapup.get("durationSeconds")
        if isinstance(duration, int) and start_acw is not None and end_acw is not None:
            expected = (end_acw - start_acw) // 1000
            if abs(duration - expected) > 1:
                self.add(
                    pid,
                    "wrapup.duration",
                    f"durationSeconds {duration} but ACW lasted {expected} s",
                )
        wrapup_end = _time(wrapup, "endTime")
        if wrapup_end is not None and end_acw is not None and wrapup_end != end_acw:
            self.add(
                pid,
                "wrapup.endTime",
                f"wrapup.endTime {wrapup['endTime']} is not endAcwTime {p['endAcwTime']}",
            )
        complete = "endTime" in wrapup or "durationSeconds" in wrapup
        if complete and not ("startAcwTime" in p and "endAcwTime" in p):
            self.add(pid, "wrapup.acw", "a completed wrap-up without startAcwTime and endAcwTime")
        elif "endTime" in p and "startAcwTime" not in p:
            self.add(pid, "wrapup.acw", "an ended participant has a wrap-up but no startAcwTime")

    def wrapup_code(self, pid: str | None, wrapup: Mapping[str, Any]) -> None:
        code = wrapup.get("code")
        if code is None:
            return
        if not (isinstance(code, str) and code.startswith("ININ-")):
            self.check_id(pid, "wrapup.code", code)
        self.note_name(pid, "wrap-up code", code, wrapup.get("name"))

    # -- media: the flattened participant is its own single communication -----------------------

    def flat_media(self, p: Mapping[str, Any], pid: str | None, voice: bool) -> None:
        if "state" not in p:
            self.add(pid, "field.required", "flattened participant has no state")
        else:
            self.check_enum(pid, "enum.state", "state", p["state"], _FLAT_STATES)
        self.media_enums(p, pid, _FLAT_DISCONNECT_TYPES)
        if "recordingState" in p:
            self.check_enum(
                pid, "enum.recordingState", "recordingState", p["recordingState"], _RECORDING_STATES
            )
        if "type" in p:
            self.check_enum(pid, "enum.type", "type", p["type"], _MESSAGE_TYPES)
        self.state_agreement(p, pid, "participant", "endTime", _FLAT_STATES)
        alerting = _time(p, "startAlertingTime")
        if alerting is not None:
            start = _time(p, "startTime")
            answered = _time(p, "connectedTime")
            until = answered if answered is not None else _time(p, "endTime")
            if (start is not None and alerting < start) or (until is not None and alerting > until):
                self.add(
                    pid,
                    "comm.times",
                    f"startAlertingTime {p['startAlertingTime']} is "
                    "outside [startTime, connectedTime or endTime]",
                )
        self.hold(p, pid, "participant")
        if voice:
            self.voice_addresses(p, pid)
        self.callback_numbers(p, pid)

    def nested_media(self, p: Mapping[str, Any], pid: str | None) -> None:
        p_start = _time(p, "startTime")
        p_end = _time(p, "endTime")
        connected: list[int] = []
        disconnected: list[int] = []
        any_connected = False
        comms = 0
        all_ended: bool | None = True
        for media in _MEDIA_KEYS:
            if media not in p:
                continue
            items = p[media]
            if not isinstance(items, list):
                self.add(pid, "shape", f"{media} is not a list")
                continue
            for index, comm in enumerate(items):
                where = f"{media}[{index}]"
                if not isinstance(comm, dict):
                    self.add(pid, "shape", f"{where} is not an object")
                    continue
                comms += 1
                state = self.communication(comm, pid, media, where, p_start, p_end)
                if state is None:
                    all_ended = None
                elif all_ended is not None and not _in(state, _ENDED):
                    all_ended = False
                any_connected = any_connected or "connectedTime" in comm
                if (t := _time(comm, "connectedTime")) is not None:
                    connected.append(t)
                if (t := _time(comm, "disconnectedTime")) is not None:
                    disconnected.append(t)
        if p.get("calls"):
            self.voice_addresses(p, pid)
        if not comms:
            return
        self.participant_connected(p, pid, any_connected, connected)
        if all_ended is None:
            return
        if all_ended and "endTime" not in p:
            self.add(
                pid,
                "participant.end",
                "every communication ended but the participant has no endTime",
            )
        elif not all_ended and "endTime" in p:
            self.add(
                pid,
                "participant.end",
                "participant has endTime but a communication is still active",
            )
        elif (
            all_ended
            and p_end is not None
            and len(disconnected) == comms
            and p_end != max(disconnected)
        ):
            self.add(
                pid,
                "participant.end",
                f"endTime {p['endTime']} is not the latest communication disconnectedTime",
            )

    def participant_connected(
        self, p: Mapping[str, Any], pid: str | None, any_connected: bool, connected: list[int]
    ) -> None:
        if "connectedTime" not in p:
            if any_connected:
                self.add(
                    pid,
                    "participant.connected",
                    "a communication connected but the participant has no connectedTime",
                )
            return
        if not any_connected:
            self.add(
                pid,
                "participant.connected",
                "participant has connectedTime but no communication connected",
            )
            return
        own = _time(p, "connectedTime")
        if own is not None and connected and abs(own - min(connected)) > self.skew:
            self.add(
                pid,
                "participant.connected",
                f"connectedTime {p['connectedTime']} is not "
                "its earliest communication connectedTime",
            )

    def communication(
        self,
        comm: Mapping[str, Any],
        pid: str | None,
        media: str,
        where: str,
        p_start: int | None,
        p_end: int | None,
    ) -> str | None:
        """Check one communication; return its state when it is a known one."""
        self.note_id(pid, where, comm.get("id"))
        if "peerId" in comm:
            self.check_id(pid, f"{where}.peerId", comm["peerId"])
            if isinstance(comm["peerId"], str):
                self.peers.append((pid, comm["peerId"]))
        if "scriptId" in comm:
            self.check_id(pid, f"{where}.scriptId", comm["scriptId"])
        states = _STATES.get(media, _ANY_STATE)
        state = comm.get("state")
        if state is None:
            self.add(pid, "field.required", f"{where} has no state")
        else:
            self.check_enum(pid, "enum.state", f"{where}.state", state, states)
        if "initialState" in comm:
            self.check_enum(
                pid, "enum.state", f"{where}.initialState", comm["initialState"], states
            )
        self.media_enums(comm, pid, _DISCONNECT_TYPES.get(media, _ANY_DISCONNECT_TYPE), where)
        if media == "calls" and "recordingState" in comm:
            self.check_enum(
                pid,
                "enum.recordingState",
                f"{where}.recordingState",
                comm["recordingState"],
                _RECORDING_STATES,
            )
        if media == "messages" and "type" in comm:
            self.check_enum(pid, "enum.type", f"{where}.type", comm["type"], _MESSAGE_TYPES)
        wrapup = comm.get("wrapup")
        if isinstance(wrapup, dict):
            self.wrapup_code(pid, wrapup)
        if media == "callbacks":
            self.callback_numbers(comm, pid)
        self.state_agreement(comm, pid, where, "disconnectedTime", states)
        self.hold(comm, pid, where)
        self.comm_times(comm, pid, where, p_start, p_end)
        self.segments(comm, pid, where, p_start, p_end)
        return state if _in(state, states) else None

    def media_enums(
        self,
        comm: Mapping[str, Any],
        pid: str | None,
        disconnect_types: frozenset[str],
        where: str = "",
    ) -> None:
        prefix = f"{where}." if where else ""
        if "disconnectType" in comm:
            self.check_enum(
                pid,
                "enum.disconnectType",
                f"{prefix}disconnectType",
                comm["disconnectType"],
                disconnect_types,
            )
        if "direction" in comm:
            self.check_enum(
                pid, "enum.direction", f"{prefix}direction", comm["direction"], _DIRECTIONS
            )

    def state_agreement(
        self,
        comm: Mapping[str, Any],
        pid: str | None,
        where: str,
        ended_key: str,
        states: frozenset[str],
    ) -> None:
        """Times and disconnectType must agree with a (valid) state; enum.state judges the rest."""
        state = comm.get("state")
        if not _in(state, states):
            return
        if state in _ENDED:
            missing = [key for key in (ended_key, "disconnectType") if key not in comm]
            if missing:
                self.add(pid, "comm.state", f"{where} is {state} without {' and '.join(missing)}")
        else:
            present = [key for key in (ended_key, "disconnectType") if key in comm]
            if present:
                self.add(pid, "comm.state", f"{where} is {state} but has {' and '.join(present)}")
            if state == "connected" and "connectedTime" not in comm:
                self.add(pid, "comm.state", f"{where} is connected without connectedTime")

    def hold(self, comm: Mapping[str, Any], pid: str | None, where: str) -> None:
        if _in(comm.get("state"), _ENDED):
            return
        if (comm.get("held") is True) != ("startHoldTime" in comm):
            self.add(
                pid,
                "hold.state",
                f"{where} has held={comm.get('held')!r} but "
                f"{'a' if 'startHoldTime' in comm else 'no'} startHoldTime",
            )

    def comm_times(
        self,
        comm: Mapping[str, Any],
        pid: str | None,
        where: str,
        p_start: int | None,
        p_end: int | None,
    ) -> None:
        low = -_NO_END if p_start is None else p_start - self.skew
        high = _NO_END if p_end is None else p_end + self.skew
        latest_key, latest = "", -_NO_END
        for key in ("startAlertingTime", "connectedTime", "disconnectedTime"):
            t = _time(comm, key)
            if t is None:
                continue
            if t < latest:
                self.add(
                    pid,
                    "comm.times",
                    f"{where}.{key} {comm[key]} is before {latest_key} {comm[latest_key]}",
                )
            else:
                latest_key, latest = key, t
            if not low <= t <= high:
                self.add(
                    pid,
                    "comm.times",
                    f"{where}.{key} {comm[key]} is outside the participant's [startTime, endTime]",
                )

    def segments(
        self,
        comm: Mapping[str, Any],
        pid: str | None,
        where: str,
        p_start: int | None,
        p_end: int | None,
    ) -> None:
        segments = comm.get("segments")
        if segments is None:
            return
        if not isinstance(segments, list):
            self.add(pid, "shape", f"{where}.segments is not a list")
            return
        low = -_NO_END if p_start is None else p_start - self.skew
        high = _NO_END if p_end is None else p_end + self.skew
        ended = _in(comm.get("state"), _ENDED)
        never_connected = "connectedTime" not in comm
        previous_end = -_NO_END
        last = len(segments) - 1
        for index, segment in enumerate(segments):
            at = f"{where}.segments[{index}]"
            if not isinstance(segment, dict):
                self.add(pid, "shape", f"{at} is not an object")
                continue
            if never_connected and str(segment.get("type", "")).lower() == "interact":
                self.add(pid, "segments.interact", f"{at} is Interact but {where} never connected")
            start, end = _time(segment, "startTime"), _time(segment, "endTime")
            if "startTime" not in segment:
                self.add(pid, "segments.order", f"{at} has no startTime")
            if "endTime" not in segment and (index != last or ended):
                self.add(
                    pid,
                    "segments.order",
                    f"{at} is open but is not the last segment of a live communication",
                )
            if start is not None and start < previous_end:
                self.add(pid, "segments.order", f"{at} starts before the previous one ends")
            if start is not None and end is not None and end < start:
                self.add(pid, "segments.order", f"{at} ends before it starts")
            if any(t is not None and not low <= t <= high for t in (start, end)):
                self.add(
                    pid,
                    "segments.order",
                    f"{at} lies outside the participant's [startTime, endTime]",
                )
            if end is not None:
                previous_end = end

    def voice_addresses(self, p: Mapping[str, Any], pid: str | None) -> None:
        for key in ("address", "ani", "dnis"):
            value = p.get(key)
            if key in p and not (isinstance(value, str) and _VOICE_ADDRESS.fullmatch(value)):
                self.add(pid, "address.voice", f"{key} {value!r} is neither tel:+E164 nor sip:")

    def callback_numbers(self, comm: Mapping[str, Any], pid: str | None) -> None:
        numbers = comm.get("callbackNumbers")
        if not isinstance(numbers, list):
            return
        for number in numbers:
            if not (isinstance(number, str) and _E164.fullmatch(number)):
                self.add(pid, "address.voice", f"callback number {number!r} is not E.164")

    # -- references between participants and communications -------------------------------------

    def references(self, by_id: Mapping[str, Mapping[str, Any]]) -> None:
        for pid, p in by_id.items():
            if isinstance(target_id := p.get("consultParticipantId"), str) and (
                target_id not in by_id
            ):
                self.add(
                    pid,
                    "ref.participant",
                    f"consultParticipantId {target_id} is not a participant of this conversation",
                )
            for key in _SUPERVISION_KEYS:
                target_id = p.get(key)
                if not isinstance(target_id, str):
                    continue
                target = by_id.get(target_id)
                if target is None:
                    self.add(
                        pid,
                        "ref.participant",
                        f"{key} {target_id} is not a participant of this conversation",
                    )
                else:
                    self.span(pid, p, key, target)
        for owner, peer in self.peers:
            if peer not in self.ids:
                self.add(
                    owner, "ref.peer", f"peerId {peer} is not a communication of this conversation"
                )

    def span(self, pid: str, p: Mapping[str, Any], key: str, target: Mapping[str, Any]) -> None:
        """A supervisor leg lives inside its target's connected span."""
        start = _time(p, "connectedTime")
        if start is None:
            return
        end = _time(p, "endTime")
        target_start = _time(target, "connectedTime")
        target_end = _time(target, "endTime")
        end = _NO_END if end is None else end
        target_end = _NO_END if target_end is None else target_end
        if (
            target_start is None
            or start < target_start - self.skew
            or (end > target_end + self.skew)
        ):
            self.add(
                pid,
                "ref.span",
                f"connected outside the connected span of its {key} {target.get('id')}",
            )


def _render(path: _Path) -> str:
    """``participants[5].calls[0].wrapup`` from a linked path (built only when reporting)."""
    keys: list[str | int] = []
    while path is not None:
        path, key = path
        keys.append(key)
    text = "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in reversed(keys))
    return text.removeprefix(".")


def _is_flat(conv: Mapping[str, Any], participants: list[Any]) -> bool:
    """Tell the flattened shape: no media arrays, but otherMediaUris or participant states."""
    if "otherMediaUris" in conv:
        return True
    for p in participants:
        if isinstance(p, dict):
            if any(media in p for media in _MEDIA_KEYS):
                return False
            if "state" in p:
                return True
    return False


def _flat_media(conv: Mapping[str, Any], participants: list[Any]) -> str | None:
    """The media of a flattened conversation, from its selfUri or else its call-only fields."""
    uri = conv.get("selfUri")
    if isinstance(uri, str) and (match := _FLAT_SELF_URI.fullmatch(uri)):
        return match.group(1)
    if any("ani" in p or "dnis" in p for p in _dicts(participants)):
        return "calls"
    return None


def validate(conversation: Mapping[str, Any], *, skew_ms: int = CLOCK_SKEW_MS) -> list[Violation]:
    """Every rule of :data:`RULES` that ``conversation`` (either shape) breaks on its own."""
    if not isinstance(conversation, Mapping):
        return [Violation("", None, "shape", "a conversation must be a JSON object")]
    return _Checker(conversation, skew_ms).run()


def assert_valid(conversation: Any, *, skew_ms: int = CLOCK_SKEW_MS) -> None:
    """Fail a test the way a reader needs: one line per violation, each naming the
    conversation, the participant and the rule. Takes JSON or an engine conversation."""
    data = conversation.to_json() if hasattr(conversation, "to_json") else conversation
    problems = validate(data, skew_ms=skew_ms)
    if problems:
        lines = "\n".join(f"  {v}" for v in problems)
        raise AssertionError(f"{len(problems)} invariant violation(s):\n{lines}")


class DatasetValidator:
    """Validates conversations one by one and adds the rules that span the whole dataset."""

    def __init__(self, *, skew_ms: int = CLOCK_SKEW_MS) -> None:
        self.skew_ms = skew_ms
        self.violations: list[Violation] = []
        self.conversations = 0
        self._ids: set[str] = set()
        self._names: dict[tuple[str, str], str] = {}

    def add(self, conversation: Mapping[str, Any]) -> list[Violation]:
        """Check one more conversation; return (and keep) what it breaks."""
        self.conversations += 1
        if not isinstance(conversation, Mapping):
            found = validate(conversation)
            self.violations.extend(found)
            return found
        checker = _Checker(conversation, self.skew_ms)
        found = checker.run()
        cid = checker.cid
        if cid:
            if cid in self._ids:
                found.append(
                    Violation(
                        cid,
                        None,
                        "dataset.id",
                        f"conversation id {cid} was already used in the dataset",
                    )
                )
            self._ids.add(cid)
        for ident in checker.ids:
            if ident in self._ids:
                found.append(
                    Violation(
                        cid,
                        None,
                        "dataset.id",
                        f"id {ident} already appears in another conversation",
                    )
                )
        self._ids.update(checker.ids)
        for (kind, ident), (name, pid) in checker.names.items():
            seen = self._names.setdefault((kind, ident), name)
            if seen != name:
                found.append(
                    Violation(
                        cid,
                        pid,
                        "dataset.name",
                        f"{kind} {ident} is named "
                        f"{name!r} here but {seen!r} in an earlier conversation",
                    )
                )
        self.violations.extend(found)
        return found


def iter_conversations(path: str | PathLike[str]) -> Iterator[Any | Violation]:
    """Yield the parsed conversations of a file, or a json.parse Violation for what won't parse.

    ``.json`` holds one conversation, a list, or a paging envelope with ``entities``;
    ``.ndjson``/``.jsonl`` one conversation per line; any of them may end in ``.gz``.
    """
    name = Path(path).name
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    opener = gzip.open if compressed else open
    with opener(path, "rb") as stream:
        if name.endswith((".ndjson", ".jsonl")):
            for number, line in enumerate(stream, 1):
                if line.strip():
                    yield _parse(line, f"<line {number}>")
            return
        document = _parse(stream.read(), "<file>")
    if (
        isinstance(document, dict)
        and "participants" not in document
        and isinstance(document.get("entities"), list)
    ):
        yield from document["entities"]
    elif isinstance(document, list):
        yield from document
    else:
        yield document


def _parse(data: bytes, where: str) -> Any:
    try:
        return _loads(data)
    except ValueError as error:
        return Violation(where, None, "json.parse", str(error))


def validate_file(
    path: str | PathLike[str], *, skew_ms: int = CLOCK_SKEW_MS
) -> Iterator[Violation]:
    """Every violation in a file, the dataset rules included, as they are found."""
    dataset = DatasetValidator(skew_ms=skew_ms)
    for item in iter_conversations(path):
        if isinstance(item, Violation):
            yield item
        else:
            yield from dataset.add(item)
