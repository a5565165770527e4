"""Participant rules common to both shapes: ids and references, names, enums, time order, and the
references between participants (consult, supervision spans)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .rules_wrapup import WrapupRules
from .vocabulary import (
    NO_END,
    PARTICIPANT_ENUMS,
    PARTICIPANT_ID_KEYS,
    REF_PREFIXES,
    SUPERVISION_KEYS,
    USER_PURPOSES,
    one_of,
    time_of,
)


class ParticipantRules(WrapupRules):
    """A participant's own fields, and the references between the participants."""

    def participant(self, p: Mapping[str, Any], pid: str | None) -> None:
        for key in PARTICIPANT_ID_KEYS:
            if key in p:
                self.check_id(pid, key, p[key])
        for key, prefix in REF_PREFIXES.items():
            ref = p.get(key)
            if isinstance(ref, dict):
                self.check_ref(pid, key, ref, prefix)
        routing = p.get("conversationRoutingData")
        if isinstance(routing, dict) and isinstance(routing.get("queue"), dict):
            self.check_ref(
                pid, "conversationRoutingData.queue", routing["queue"], REF_PREFIXES["queue"]
            )
            self.note_name(pid, "queue", routing["queue"].get("id"), routing["queue"].get("name"))
        if "peer" in p:
            self.check_id(pid, "peer", p["peer"])

        user = p.get("user")
        user_id = user.get("id") if isinstance(user, dict) else p.get("userId")
        if isinstance(user, dict):
            self.note_name(pid, "user", user_id, user.get("name"))
        if one_of(p.get("purpose"), USER_PURPOSES):
            self.note_name(pid, "user", user_id, p.get("name"))
        queue = p.get("queue")
        if isinstance(queue, dict):
            self.note_name(pid, "queue", queue.get("id"), queue.get("name"))
        else:
            self.note_name(pid, "queue", p.get("queueId"), p.get("queueName"))
        uri = p.get("userUri")
        if uri is not None and uri != f"/api/v2/users/{p.get('userId')}":
            self.add(pid, "uri.id", f"userUri {uri} does not name userId {p.get('userId')}")

        for key, allowed in PARTICIPANT_ENUMS.items():
            if key in p:
                self.check_enum(pid, f"enum.{key}", key, p[key], allowed)
        if p.get("wrapupRequired") is True and not one_of(p.get("purpose"), USER_PURPOSES):
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
        latest_key, latest = "", -NO_END
        for key in ("startTime", "connectedTime", "endTime", "startAcwTime", "endAcwTime"):
            t = time_of(p, key)
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
            for key in SUPERVISION_KEYS:
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
        start = time_of(p, "connectedTime")
        if start is None:
            return
        end = time_of(p, "endTime")
        target_start = time_of(target, "connectedTime")
        target_end = time_of(target, "endTime")
        end = NO_END if end is None else end
        target_end = NO_END if target_end is None else target_end
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
