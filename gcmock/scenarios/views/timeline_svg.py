"""The timeline of :mod:`.timeline` as one SVG document: the only drawing code, used by the page
(``/__admin/ui`` inlines it), ``gcmock scenarios NAME --svg`` and ``gcmock timeline``.

Plain presentation attributes (no stylesheet, no ids but the arrow markers), so the file renders
alike in a browser, an image viewer or inlined in a page; every bar, link and mark carries its
times and ids in ``data-*`` attributes and a ``<title>`` (the hover text). Same timeline, same
bytes: numbers are written with two decimals at most, in a fixed order.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from html import escape
from typing import Any

from .timeline import AXIS_H, HEADER_H, LEGEND_H, Bar, Lane, Link, Mark, Timeline, layout

__all__ = ["COLORS", "LINK_COLORS", "duration", "render_svg", "timeline_svg", "utc_time"]

COLORS: Mapping[str, str] = {
    "system": "#9aa5b1",
    "ivr": "#8e6cc7",
    "queue": "#e8a33d",
    "alerting": "#f0703a",
    "dialing": "#e5c53a",
    "talk": "#2f9e6a",
    "hold": "#d64545",
    "acw": "#4a7bd0",
    "monitor": "#5c7c8a",
    "coach": "#a55ca5",
    "barge": "#b8572a",
    "scheduled": "#c3cad3",
    "voicemail": "#7a6f5c",
    "sharing": "#27a5a0",
    "other": "#888888",
}
"""Bar fill per kind; also the legend's order."""

LINK_COLORS: Mapping[str, str] = {
    "consult": "#2b50c8",
    "monitor": COLORS["monitor"],
    "coach": COLORS["coach"],
    "barge": COLORS["barge"],
    "transfer": "#111111",
}

_FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
_LABEL_CHARS = 30
_KIND_NAMES = {"acw": "ACW", "ivr": "IVR", "queue": "queue wait"}


def timeline_svg(conv: Mapping[str, Any], now_ms: int | None = None, width: int = 1000) -> str:
    """``conv`` (nested ``Conversation`` JSON) drawn at ``now_ms``, ``width`` pixels wide."""
    return render_svg(layout(conv, now_ms, width))


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _a(value: object) -> str:
    return escape(str(value), quote=True)


def utc_time(ms: int) -> str:
    """``HH:MM:SS.mmm`` (UTC) of an instant."""
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%H:%M:%S.%f")[:-3]


def duration(ms: int) -> str:
    """``8m 47.130s``, ``1h 02m 03s``, ``0.222s``."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    if hours:
        return f"{hours}h {minutes:02d}m {rest // 1000:02d}s"
    seconds = f"{rest / 1000:.3f}s"
    return f"{minutes}m {seconds}" if minutes else seconds


def render_svg(t: Timeline) -> str:
    """The SVG document of ``t``."""
    started = datetime.fromtimestamp(t.start / 1000, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    state = " · live" if t.live else ""
    header = f"{t.media} {t.conversation_id} · {started} UTC · {duration(t.end - t.start)}{state}"
    kinds = [k for k in COLORS if any(b.kind == k for b in t.bars)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gcmock-timeline" width="{t.width}" '
        f'height="{t.height}" viewBox="0 0 {t.width} {t.height}" font-family="{_FONT}" '
        f'font-size="12" data-conversation-id="{_a(t.conversation_id)}" data-media="{_a(t.media)}"'
        f' data-start="{t.start}" data-end="{t.end}" data-now="{t.now}" '
        f'data-live="{str(t.live).lower()}" data-x0="{_n(t.x0)}" data-scale="{t.scale!r}">',
        f"<title>{_a(header)}</title>",
        _markers(),
        f'<rect class="background" x="0" y="0" width="{t.width}" height="{t.height}" '
        'fill="#ffffff"/>',
        f'<text class="header" x="8" y="{HEADER_H - 9}" font-weight="bold">{_a(header)}</text>',
        *_lanes(t),
        *_axis(t),
        '<g class="bars">',
        *(_bar(t, b) for b in t.bars),
        "</g>",
        '<g class="links">',
        *(_link(link) for link in t.links),
        "</g>",
        '<g class="marks">',
        *(_mark(m) for m in t.marks),
        "</g>",
        *_now(t),
        *_legend(t, kinds),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def _markers() -> str:
    heads = "".join(
        f'<marker id="gcmock-arrow-{kind}" viewBox="0 0 8 8" refX="7" refY="4" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L8,4 L0,8 z" fill="{color}"/></marker>'
        for kind, color in LINK_COLORS.items()
    )
    return f"<defs>{heads}</defs>"


def _lanes(t: Timeline) -> list[str]:
    out = ['<g class="lanes">']
    for lane in t.lanes:
        label = f"{lane.role} · {lane.name}" if lane.name else lane.role
        if len(label) > _LABEL_CHARS:
            label = label[: _LABEL_CHARS - 1] + "…"
        fill = "#f5f7fa" if lane.index % 2 == 0 else "#ffffff"
        out.append(
            f'<g class="lane" data-lane="{lane.index}" '
            f'data-participant-id="{_a(lane.participant_id)}" data-purpose="{_a(lane.purpose)}" '
            f'data-role="{_a(lane.role)}">'
            f'<rect class="lane-bg" x="0" y="{_n(lane.y)}" width="{t.width}" '
            f'height="{_n(lane.height)}" fill="{fill}"/>'
            f'<text class="lane-label" x="8" y="{_n(lane.middle + 4)}">{_a(label)}'
            f"<title>{_a(_lane_tip(lane))}</title></text></g>"
        )
    out.append("</g>")
    return out


def _lane_tip(lane: Lane) -> str:
    lines = [f"{lane.role} {lane.name}".strip(), f"participant {lane.participant_id}"]
    if lane.user_id:
        lines.append(f"user {lane.user_id}")
    return "\n".join(lines)


def _axis(t: Timeline) -> list[str]:
    top, bottom = HEADER_H + AXIS_H - 4, t.height - LEGEND_H
    out = ['<g class="axis">']
    for tick in t.ticks:
        x = _n(tick.x)
        out.append(
            f'<line class="tick" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="#d5dae1" '
            f'stroke-width="1" data-at="{tick.at}"/>'
            f'<text x="{x}" y="{top - 5}" text-anchor="middle" fill="#555555">{tick.label}</text>'
        )
    out.append("</g>")
    return out


def _bar(t: Timeline, b: Bar) -> str:
    lane = t.lanes[b.lane]
    name = _KIND_NAMES.get(b.kind, b.kind)
    until = "now (ongoing)" if b.open else utc_time(b.end)
    lines = [
        f"{name} · {lane.role} {lane.name}".strip(),
        f"{utc_time(b.start)} → {until} UTC ({duration(b.end - b.start)})",
        f"participant {b.participant_id}",
    ]
    if b.communication_id:
        lines.append(f"{b.media} {b.communication_id}")
    comm = f' data-communication-id="{_a(b.communication_id)}"' if b.communication_id else ""
    return (
        f'<rect class="bar" data-kind="{b.kind}" data-lane="{b.lane}" data-row="{b.row}" '
        f'data-participant-id="{_a(b.participant_id)}"{comm} data-start="{b.start}" '
        f'data-end="{b.end}" data-open="{str(b.open).lower()}" x="{_n(b.x)}" y="{_n(b.y)}" '
        f'width="{_n(b.width)}" height="{_n(b.height)}" rx="2" '
        f'fill="{COLORS.get(b.kind, COLORS["other"])}">'
        f"<title>{_a(chr(10).join(lines))}</title></rect>"
    )


def _link(link: Link) -> str:
    x = _n(link.x)
    dash = ' stroke-dasharray="4 3"' if link.kind == "transfer" else ""
    return (
        f'<line class="link" data-kind="{link.kind}" data-source="{link.source}" '
        f'data-target="{link.target}" data-at="{link.at}" x1="{x}" y1="{_n(link.y1)}" '
        f'x2="{x}" y2="{_n(link.y2)}" stroke="{LINK_COLORS[link.kind]}" stroke-width="2"{dash} '
        f'marker-end="url(#gcmock-arrow-{link.kind})">'
        f"<title>{_a(link.detail)}\n{utc_time(link.at)} UTC</title></line>"
    )


def _mark(m: Mark) -> str:
    x, y, r = m.x, m.y, 6
    points = f"{_n(x)},{_n(y - r)} {_n(x + r)},{_n(y)} {_n(x)},{_n(y + r)} {_n(x - r)},{_n(y)}"
    ident = f"\ntransfer {m.transfer_id}" if m.transfer_id else ""
    tid = f' data-transfer-id="{_a(m.transfer_id)}"' if m.transfer_id else ""
    return (
        f'<polygon class="mark" data-kind="{m.kind}" data-lane="{m.lane}" data-at="{m.at}"{tid} '
        f'points="{points}" fill="#ffffff" stroke="#111111" stroke-width="2">'
        f"<title>{_a(m.detail)}\n{utc_time(m.at)} UTC{_a(ident)}</title></polygon>"
    )


def _now(t: Timeline) -> list[str]:
    if not t.live:
        return []
    x = _n(t.x(t.now))
    top, bottom = HEADER_H + AXIS_H - 4, t.height - LEGEND_H
    return [
        f'<line class="now" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="#d62f8f" '
        f'stroke-width="1.5" data-at="{t.now}"><title>now {utc_time(t.now)} UTC</title></line>'
    ]


def _legend(t: Timeline, kinds: list[str]) -> list[str]:
    y = t.height - LEGEND_H + 10
    out = ['<g class="legend">']
    x = 8
    for kind in kinds:
        name = _KIND_NAMES.get(kind, kind)
        out.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" rx="2" fill="{COLORS[kind]}"/>'
            f'<text x="{x + 16}" y="{y + 10}" fill="#333333">{_a(name)}</text>'
        )
        x += 30 + 7 * len(name)
    for kind in sorted({link.kind for link in t.links}):
        out.append(
            f'<line x1="{x}" y1="{y + 6}" x2="{x + 18}" y2="{y + 6}" stroke="{LINK_COLORS[kind]}" '
            f'stroke-width="2"/><text x="{x + 22}" y="{y + 10}" fill="#333333">{kind}</text>'
        )
        x += 34 + 7 * len(kind)
    out.append("</g>")
    return out
