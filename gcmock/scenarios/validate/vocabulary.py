"""The JSON vocabulary the rules judge by: id and timestamp patterns, the enums of each media,
the keys that hold ids, references and times, and small tolerant readers of parsed JSON.

The enums follow the SDK's models; times are parsed by a small cached function, because the CLI
runs the checker over tens of thousands of conversations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{3})Z"
)
TIMESTAMP_NO_MILLIS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
VOICE_ADDRESS = re.compile(r"tel:\+[1-9][0-9]{6,14}|sips?:\S+")
"""A voice leg's address: an E.164 number as tel:, or a SIP URI (sip:, or sips: over TLS)."""
E164 = re.compile(r"\+?[1-9][0-9]{6,14}")
FLAT_SELF_URI = re.compile(r"/api/v2/conversations/(calls|callbacks|emails|messages)/([^/]+)")

JsonPath = tuple[Any, str | int] | None
"""A JSON location as (parent path, key or index): cheap to extend, rendered only on error."""
PARTICIPANTS_PATH: JsonPath = (None, "participants")

EPOCH_DAY = date(1970, 1, 1).toordinal()
NO_END = 1 << 62
"""Stands for the end time of a participant that is still active."""

EXTRA_TIME_KEYS = frozenset({"dateIssued", "dateDivisionUpdated", "inactivityTimeout"})
"""Datetime fields whose name does not end in ``Time``."""

MEDIA_KEYS = (
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
ENDED = frozenset({"disconnected", "terminated"})
PARTICIPANT_ID_KEYS = (
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
SUPERVISION_KEYS = ("monitoredParticipantId", "coachedParticipantId", "bargedParticipantId")
REF_PREFIXES = {
    "user": "/api/v2/users/",
    "queue": "/api/v2/routing/queues/",
    "team": "/api/v2/teams/",
    "group": "/api/v2/groups/",
    "externalContact": "/api/v2/externalcontacts/contacts/",
    "externalOrganization": "/api/v2/externalcontacts/organizations/",
    "script": "/api/v2/scripts/",
}
USER_PURPOSES = frozenset({"agent", "user"})


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


BASE_STATES = "alerting dialing contacting offering connected disconnected terminated none"
CALL_STATES = words(BASE_STATES + " converting uploading transmitting")
FLAT_STATES = CALL_STATES | {"parked"}
STATES: dict[str, frozenset[str]] = {
    "calls": CALL_STATES,
    "callbacks": words(BASE_STATES + " scheduled"),
    "chats": words(BASE_STATES),
    "emails": words("alerting connected disconnected none parked transmitting"),
    "messages": words("alerting connected parked disconnected"),
}
ANY_STATE = frozenset().union(FLAT_STATES, *STATES.values())

DISCONNECT_BASE = (
    "endpoint client system timeout transfer transfer.conference transfer.consult "
    "transfer.forward transfer.noanswer transfer.notavailable transport.failure error peer other "
    "spam uncallable"
)
DISCONNECT_TYPES: dict[str, frozenset[str]] = {
    "calls": words(DISCONNECT_BASE + " endpoint.donotdisturb transfer.donotdisturb"),
    "callbacks": words(DISCONNECT_BASE),
    "chats": words(
        "endpoint client system transfer transfer.conference transfer.consult transfer.forward "
        "error peer other uncallable timeout"
    ),
    "emails": words(DISCONNECT_BASE),
    "messages": words(DISCONNECT_BASE + " inactivity session.expired takeover"),
}
FLAT_DISCONNECT_TYPES = words(
    "endpoint endpoint.donotdisturb client system transfer transfer.conference transfer.consult "
    "transfer.donotdisturb transfer.forward transfer.noanswer transfer.notavailable "
    "transport.failure error peer other spam inactivity session.expired takeover"
)
ANY_DISCONNECT_TYPE = frozenset().union(FLAT_DISCONNECT_TYPES, *DISCONNECT_TYPES.values())

DIRECTIONS = frozenset({"inbound", "outbound"})
RECORDING_STATES = frozenset({"none", "active", "paused"})
CONVERSATION_RECORDING_STATES = frozenset({"ACTIVE", "PAUSED", "NONE"})
PARTICIPANT_ENUMS: dict[str, frozenset[str]] = {
    "wrapupPrompt": words("mandatory optional agentRequested timeout forcedTimeout"),
    "screenRecordingState": words("requested active paused stopped error timeout"),
    "flaggedReason": frozenset({"general"}),
}
MESSAGE_TYPES = words(
    "apple facebook instagram kakao line open sms telegram twitter webmessaging whatsapp unknown"
)


@lru_cache(maxsize=8192)
def parse_ms(text: str) -> int | None:
    """Epoch ms of a strict ``yyyy-MM-ddTHH:mm:ss.SSSZ`` string, None if it is not one."""
    match = TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, millis = map(int, match.groups())
    if hour > 23 or minute > 59 or second > 59:
        return None
    try:
        days = date(year, month, day).toordinal() - EPOCH_DAY
    except ValueError:
        return None
    return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis


def time_of(obj: Mapping[str, Any], key: str) -> int | None:
    value = obj.get(key)
    return parse_ms(value) if isinstance(value, str) else None


def one_of(value: Any, allowed: frozenset[str]) -> bool:
    """Membership that tolerates garbage: JSON may put a list or an object anywhere."""
    return isinstance(value, str) and value in allowed


def dicts(value: Any) -> list[dict[str, Any]]:
    """The objects of a JSON list (non-objects are reported by the shape rule)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def render(path: JsonPath) -> str:
    """``participants[5].calls[0].wrapup`` from a linked path (built only when reporting)."""
    keys: list[str | int] = []
    while path is not None:
        path, key = path
        keys.append(key)
    text = "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in reversed(keys))
    return text.removeprefix(".")
