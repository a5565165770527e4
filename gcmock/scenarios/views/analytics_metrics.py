"""The metrics of one analytics session, each computed from the segments it measures and emitted
when the segment it measures ends (a live conversation has only those already emitted)."""

from __future__ import annotations

from ..engine.model import Communication, Participant
from .analytics_facts import (
    CONSULT_END,
    RecordContext,
    closed_segments,
    total_span,
    visible_segments,
)

__all__ = [
    "SHORT_ABANDON_MS",
    "Metric",
    "session_metrics",
]


Metric = tuple[str, int, int]
"""(name, value, emit time in epoch ms)."""

_SUPERVISOR_KINDS = {"monitoring": "tMonitoring", "coaching": "tCoaching", "barging": "tBarging"}
_COMPLETE = {"tMonitoring": "tMonitoringComplete", "tCoaching": "tCoachingComplete"}

SHORT_ABANDON_MS = 10_000
"""An abandon whose queue wait is shorter than this also emits ``tShortAbandon``. Inferred: the
SDK mentions a default short-abandon threshold (``ActionTarget.shortAbandonThreshold`` is "the
non-default short abandon threshold") but none of our references gives its value; 10 s is an
assumption."""


def _external_metrics(c: Communication, out: list[Metric]) -> None:
    if c.connected is not None:
        out.append(("nConnected", 1, c.connected))
        if c.ended and c.disconnected is not None:
            out.append(
                (
                    "tConnected",
                    total_span(closed_segments(visible_segments(c), "interact")),
                    c.disconnected,
                )
            )


def _ivr_metrics(c: Communication, out: list[Metric]) -> None:
    out.append(("nFlow", 1, c.start))
    if c.ended and c.disconnected is not None:
        out.append(
            ("tIvr", total_span(closed_segments(visible_segments(c), "ivr")), c.disconnected)
        )
        flow = c.disconnected - c.start
        out.append(("tFlow", flow, c.disconnected))
        exit_kind = "tFlowExit" if c.disconnect_type == "transfer" else "tFlowDisconnect"
        out.append((exit_kind, flow, c.disconnected))


def _acd_metrics(ctx: RecordContext, p: Participant, c: Communication, out: list[Metric]) -> None:
    out.append(("nOffered", 1, c.start))
    end = c.disconnected
    if not c.ended or end is None:
        return
    wait = end - c.start
    out.append(("tAcd", wait, end))
    out.append(("tWait", wait, end))
    if p.id in ctx.answered_by:
        if wait > ctx.service_level_ms(p.queue_id):
            out.append(("nOverSla", 1, end))
        return
    if not ctx.customer.active and ctx.customer.comm.disconnected == end:
        out.append(("tAbandon", wait, end))
        if wait < SHORT_ABANDON_MS:
            out.append(("tShortAbandon", wait, end))
    elif any(v.purpose == "voicemail" and v.start == end for v in ctx.conv.participants):
        out.append(("tFlowOut", wait, end))


def _supervisor_metrics(c: Communication, out: list[Metric]) -> None:
    totals: dict[str, int] = {}
    for s in visible_segments(c):
        name = _SUPERVISOR_KINDS.get(s.kind)
        if name is not None and s.end is not None:
            out.append((name, s.end - s.start, s.end))
            totals[name] = totals.get(name, 0) + s.end - s.start
    if c.ended and c.disconnected is not None:
        for name, total in totals.items():
            if name in _COMPLETE:
                out.append((_COMPLETE[name], total, c.disconnected))


def _handler_metrics(
    ctx: RecordContext, p: Participant, c: Communication, out: list[Metric]
) -> None:
    """An agent's or user's own leg: alerting, talk, hold, transfers, after-call work."""
    segments = visible_segments(c)
    for s in segments:
        if s.end is None:
            continue
        span = s.end - s.start
        if s.kind == "alert":
            out.append(("tAlert", span, s.end))
            if s.disconnect_type == "system":
                out.append(("tNotResponding", span, s.end))
        elif s.kind == "interact":
            out.append(("tTalk", span, s.end))
        elif s.kind == "hold":
            out.append(("tHeld", span, s.end))
        elif s.kind == "dialing":
            out.append(("tDialing", span, s.end))
        elif s.kind == "contacting":
            out.append(("tContacting", span, s.end))
    if c.direction == "outbound" and c.segments and c.segments[0].kind == "dialing":
        out.append(("nOutbound", 1, c.start))
    acd = ctx.acd_of.get(p.id)
    if acd is not None and c.connected is not None:
        out.append(("tAnswered", c.connected - acd.comm.start, c.connected))
    for at in ctx.consults.get(p.id, ()):
        out.append(("nConsult", 1, at))
    end = c.disconnected
    if not c.ended or end is None:
        return
    if c.disconnect_type == "transfer":
        out.append(("nTransferred", 1, end))
        out.append(("nBlindTransferred", 1, end))
    elif c.disconnect_type in CONSULT_END:
        out.append(("nTransferred", 1, end))
        out.append(("nConsultTransferred", 1, end))
    if c.connected is None:
        return
    talk = total_span(closed_segments(segments, "interact"))
    held = total_span(closed_segments(segments, "hold"))
    out.append(("tTalkComplete", talk, end))
    if held:
        out.append(("tHeldComplete", held, end))
    if p.acw_start is None:
        out.append(("tHandle", talk + held, end))
    elif p.acw_end is not None:
        acw = p.acw_end - p.acw_start
        out.append(("tAcw", acw, p.acw_end))
        out.append(("tHandle", talk + held + acw, p.acw_end))


def session_metrics(
    ctx: RecordContext, p: Participant, c: Communication, primary: bool
) -> list[Metric]:
    """The metrics of session ``c`` of ``p`` (``primary``: its first), sorted by emit time."""
    # once per conversation, on the customer's first session (where the conversation starts)
    out: list[Metric] = [("nConversations", 1, c.start)] if primary and p is ctx.customer else []
    if not primary:
        if c.media == "screenMonitoring" and c.ended and c.disconnected is not None:
            out.append(("tScreenMonitoring", c.disconnected - c.start, c.disconnected))
    elif p.purpose in ("customer", "external"):
        _external_metrics(c, out)
    elif p.purpose == "ivr":
        _ivr_metrics(c, out)
    elif p.purpose == "acd":
        _acd_metrics(ctx, p, c, out)
    elif p.purpose == "voicemail":
        for s in closed_segments(visible_segments(c), "voicemail"):
            assert s.end is not None
            out.append(("tVoicemail", s.end - s.start, s.end))
    elif p.monitored_participant_id or p.coached_participant_id or p.barged_participant_id:
        _supervisor_metrics(c, out)
    else:
        _handler_metrics(ctx, p, c, out)
    out.sort(key=lambda m: m[2])
    return out
