"""The rules of the invariant checker: each has a stable id and one line saying what it checks
(:data:`RULES`), and a broken one is reported as a :class:`Violation`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["CLOCK_SKEW_MS", "RULES", "Violation"]

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
