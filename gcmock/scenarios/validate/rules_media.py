"""Media rules: states, disconnect types and directions per media, the times of each
communication and segment, hold, voice addresses; for the flattened participant (its own single
communication) and for the nested media arrays."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .rules_wrapup import WrapupRules
from .vocabulary import (
    ANY_DISCONNECT_TYPE,
    ANY_STATE,
    DIRECTIONS,
    DISCONNECT_TYPES,
    E164,
    ENDED,
    FLAT_DISCONNECT_TYPES,
    FLAT_STATES,
    MEDIA_KEYS,
    MESSAGE_TYPES,
    NO_END,
    RECORDING_STATES,
    STATES,
    VOICE_ADDRESS,
    one_of,
    time_of,
)


class MediaRules(WrapupRules):
    """The communications of a participant."""

    def flat_media(self, p: Mapping[str, Any], pid: str | None, voice: bool) -> None:
        if "state" not in p:
            self.add(pid, "field.required", "flattened participant has no state")
        else:
            self.check_enum(pid, "enum.state", "state", p["state"], FLAT_STATES)
        self.media_enums(p, pid, FLAT_DISCONNECT_TYPES)
        if "recordingState" in p:
            self.check_enum(
                pid, "enum.recordingState", "recordingState", p["recordingState"], RECORDING_STATES
            )
        if "type" in p:
            self.check_enum(pid, "enum.type", "type", p["type"], MESSAGE_TYPES)
        self.state_agreement(p, pid, "participant", "endTime", FLAT_STATES)
        alerting = time_of(p, "startAlertingTime")
        if alerting is not None:
            start = time_of(p, "startTime")
            answered = time_of(p, "connectedTime")
            until = answered if answered is not None else time_of(p, "endTime")
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
        p_start = time_of(p, "startTime")
        p_end = time_of(p, "endTime")
        connected: list[int] = []
        disconnected: list[int] = []
        any_connected = False
        comms = 0
        all_ended: bool | None = True
        for media in MEDIA_KEYS:
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
                elif all_ended is not None and not one_of(state, ENDED):
                    all_ended = False
                any_connected = any_connected or "connectedTime" in comm
                if (t := time_of(comm, "connectedTime")) is not None:
                    connected.append(t)
                if (t := time_of(comm, "disconnectedTime")) is not None:
                    disconnected.append(t)
        if p.get("calls"):
            self.voice_addresses(p, pid)
        if not comms:
            return
        self.participant_connected(p, pid, any_connected, connected)
        if all_ended is not None:
            self.participant_end(p, pid, all_ended, p_end, disconnected, comms)

    def participant_end(
        self,
        p: Mapping[str, Any],
        pid: str | None,
        all_ended: bool,
        p_end: int | None,
        disconnected: list[int],
        comms: int,
    ) -> None:
        """A participant ends when (and only when) its last communication does."""
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
        own = time_of(p, "connectedTime")
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
        states = STATES.get(media, ANY_STATE)
        state = comm.get("state")
        if state is None:
            self.add(pid, "field.required", f"{where} has no state")
        else:
            self.check_enum(pid, "enum.state", f"{where}.state", state, states)
        if "initialState" in comm:
            self.check_enum(
                pid, "enum.state", f"{where}.initialState", comm["initialState"], states
            )
        self.media_enums(comm, pid, DISCONNECT_TYPES.get(media, ANY_DISCONNECT_TYPE), where)
        if media == "calls" and "recordingState" in comm:
            self.check_enum(
                pid,
                "enum.recordingState",
                f"{where}.recordingState",
                comm["recordingState"],
                RECORDING_STATES,
            )
        if media == "messages" and "type" in comm:
            self.check_enum(pid, "enum.type", f"{where}.type", comm["type"], MESSAGE_TYPES)
        wrapup = comm.get("wrapup")
        if isinstance(wrapup, dict):
            self.wrapup_code(pid, wrapup)
        if media == "callbacks":
            self.callback_numbers(comm, pid)
        self.state_agreement(comm, pid, where, "disconnectedTime", states)
        self.hold(comm, pid, where)
        self.comm_times(comm, pid, where, p_start, p_end)
        self.segments(comm, pid, where, p_start, p_end)
        return state if one_of(state, states) else None

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
                pid, "enum.direction", f"{prefix}direction", comm["direction"], DIRECTIONS
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
        if not one_of(state, states):
            return
        if state in ENDED:
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
        if one_of(comm.get("state"), ENDED):
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
        low = -NO_END if p_start is None else p_start - self.skew
        high = NO_END if p_end is None else p_end + self.skew
        latest_key, latest = "", -NO_END
        for key in ("startAlertingTime", "connectedTime", "disconnectedTime"):
            t = time_of(comm, key)
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
        low = -NO_END if p_start is None else p_start - self.skew
        high = NO_END if p_end is None else p_end + self.skew
        ended = one_of(comm.get("state"), ENDED)
        never_connected = "connectedTime" not in comm
        previous_end = -NO_END
        last = len(segments) - 1
        for index, segment in enumerate(segments):
            at = f"{where}.segments[{index}]"
            if not isinstance(segment, dict):
                self.add(pid, "shape", f"{at} is not an object")
                continue
            if never_connected and str(segment.get("type", "")).lower() == "interact":
                self.add(pid, "segments.interact", f"{at} is Interact but {where} never connected")
            start, end = time_of(segment, "startTime"), time_of(segment, "endTime")
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
            if key in p and not (isinstance(value, str) and VOICE_ADDRESS.fullmatch(value)):
                self.add(pid, "address.voice", f"{key} {value!r} is neither tel:+E164 nor SIP")

    def callback_numbers(self, comm: Mapping[str, Any], pid: str | None) -> None:
        numbers = comm.get("callbackNumbers")
        if not isinstance(numbers, list):
            return
        for number in numbers:
            if not (isinstance(number, str) and E164.fullmatch(number)):
                self.add(pid, "address.voice", f"callback number {number!r} is not E.164")
