"""``/__admin/ui`` in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright loads the page from the live server, opens a consult transfer and checks its lanes,
bars and links against the conversation's JSON, hovers a bar, opens the raw JSON, sees a live
conversation change when the frozen clock is advanced, and checks a screenshot: each bar is
where its times put it, within a pixel. Also measures first paint with 10,000 conversations.

Skipped, saying why, only where Playwright or Chromium is missing. ``GCMOCK_SCREENSHOTS=1``
also writes the page's screenshot to ``docs/ui.png`` (the README's picture).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from benchmarks.ui import first_paint
from gcmock.mockserver import ServerConfig, create_app
from gcmock.mockserver.serve import BackgroundServer
from gcmock.mockserver.state import ServerState
from gcmock.scenarios import conversation_rng, run_scenario, to_conversation_json
from gcmock.scenarios.views.timeline import GUTTER, RIGHT, epoch_ms
from gcmock.scenarios.views.timeline_svg import COLORS, utc_time
from tests.timeline_expect import expected_bars, latest

from .conftest import T0, Api
from .helpers import inbound
from .png import Pixel, read_png

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 1000}
BARS_JS = """els => els.map(e => ({
  kind: e.dataset.kind, pid: e.dataset.participantId, start: +e.dataset.start,
  end: +e.dataset.end, open: e.dataset.open === "true", lane: +e.dataset.lane,
  x: +e.getAttribute("x"), y: +e.getAttribute("y"), w: +e.getAttribute("width"),
  h: +e.getAttribute("height")}))"""
LINKS_JS = """els => els.map(e => ({kind: e.dataset.kind, source: +e.dataset.source,
  target: +e.dataset.target, at: +e.dataset.at, x: +e.getAttribute("x1")}))"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: pip install -e '.[test]'")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    pg = browser.new_page(viewport=VIEWPORT)
    yield pg
    pg.close()


def _consult(api: Api, state: ServerState) -> str:
    conv = run_scenario("consult_transfer", state.world, conversation_rng(11, 0), T0 - 1_800_000)
    api.ok("POST", "/__admin/conversations", to_conversation_json(conv))
    return conv.id


def _open(page: Any, server: BackgroundServer, cid: str) -> None:
    page.goto(f"{server.url}/__admin/ui#c={cid}")
    page.wait_for_selector(f'#timeline svg[data-conversation-id="{cid}"] .bar')


def test_consult_transfer_lanes_bars_links_in_the_dom(
    page: Any, server: BackgroundServer, http: requests.Session, api: Api, state: ServerState
) -> None:
    cid = _consult(api, state)
    _open(page, server, cid)
    conv = http.get(f"{server.url}/__admin/ui/conversations/{cid}").json()
    people = conv["participants"]

    lanes = page.eval_on_selector_all(
        "#timeline svg .lane", "els => els.map(e => e.dataset.participantId)"
    )
    assert lanes == [p["id"] for p in people]
    bars = page.eval_on_selector_all("#timeline svg .bar", BARS_JS)
    assert {(b["pid"], b["kind"], b["start"], b["end"]) for b in bars} == expected_bars(conv)
    assert len(bars) == len(expected_bars(conv))
    width = float(page.get_attribute("#timeline svg", "width"))
    start, end = epoch_ms(conv["startTime"]), latest(conv)
    scale = (width - GUTTER - RIGHT) / (end - start)
    for b in bars:
        assert b["x"] == pytest.approx(GUTTER + (b["start"] - start) * scale, abs=0.01)

    initiator = next(i for i, p in enumerate(people) if p["attributes"].get("consultInitiator"))
    destination = conv["recentTransfers"][0]["destination"]["userId"]
    consulted = next(i for i, p in enumerate(people) if p.get("userId") == destination)
    links = page.eval_on_selector_all("#timeline svg .link", LINKS_JS)
    issued = epoch_ms(conv["recentTransfers"][0]["dateIssued"])
    assert sorted((k["kind"], k["source"], k["target"], k["at"]) for k in links) == [
        ("consult", initiator, consulted, epoch_ms(people[consulted]["startTime"])),
        ("transfer", initiator, consulted, issued),
    ]
    assert page.locator('#timeline svg .mark[data-kind="transfer"]').count() == 1

    talk = next(b for b in bars if b["lane"] == consulted and b["kind"] == "talk")
    page.hover(f'#timeline .bar[data-lane="{consulted}"][data-kind="talk"]')
    tip = page.inner_text("#tip")
    assert people[consulted]["id"] in tip and utc_time(talk["start"]) in tip
    assert utc_time(talk["end"]) in tip

    page.click("#raw summary")
    page.wait_for_function("document.querySelector('#raw-json').textContent.length > 0")
    assert page.evaluate("JSON.parse(document.querySelector('#raw-json').textContent)") == conv


def _close(pixel: Pixel, color: str, tolerance: int = 24) -> bool:
    want = (int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16))
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, want, strict=True))


def test_screenshot_bars_sit_where_their_times_put_them(
    page: Any, server: BackgroundServer, api: Api, state: ServerState, tmp_path: Path
) -> None:
    cid = _consult(api, state)
    _open(page, server, cid)
    shot = tmp_path / "timeline.png"
    page.locator("#timeline svg").screenshot(path=str(shot))
    pixels = read_png(shot)
    conv = requests.get(f"{server.url}/__admin/ui/conversations/{cid}", timeout=10).json()
    width = len(pixels[0])
    start, end = epoch_ms(conv["startTime"]), latest(conv)
    scale = (width - GUTTER - RIGHT) / (end - start)
    bars = page.eval_on_selector_all("#timeline svg .bar", BARS_JS)
    links = page.eval_on_selector_all("#timeline svg .link", LINKS_JS)
    marks = page.eval_on_selector_all("#timeline svg .mark", "els => els.map(e => +e.dataset.at)")
    covered = [k["x"] for k in links] + [GUTTER + (at - start) * scale for at in marks]
    checked = 0
    for b in bars:
        left = GUTTER + (b["start"] - start) * scale
        right = GUTTER + (b["end"] - start) * scale
        if right - left < 6:
            continue
        row = pixels[round(b["y"] + b["h"] / 2)]
        color = COLORS[b["kind"]]
        span = [x for x in range(int(left) - 4, int(right) + 5) if _close(row[x], color)]
        assert span, (b, "not drawn")
        # an edge under a link or a transfer mark is hidden by it: not checked
        for edge, found in ((left, span[0]), (right, span[-1] + 1)):
            if all(abs(edge - x) > 8 for x in covered):
                assert abs(found - edge) <= 1.0, (b, edge, found)
                checked += 1
    assert checked >= 10
    if os.environ.get("GCMOCK_SCREENSHOTS") == "1":
        page.set_viewport_size({"width": 1280, "height": 1100})
        page.hover(f'#timeline .bar[data-kind="talk"][data-lane="{len(conv["participants"]) - 1}"]')
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(ROOT / "docs" / "ui.png"), full_page=True)


def test_a_live_conversation_changes_when_the_clock_moves(
    page: Any, server: BackgroundServer, http: requests.Session, api: Api, state: ServerState
) -> None:
    call = inbound(api, state.world, answered=False)
    _open(page, server, call.id)
    assert page.get_attribute("#timeline svg", "data-live") == "true"
    alerting = '#timeline .bar[data-kind="alerting"][data-open="true"]'
    assert page.locator(alerting).count() == 1
    before = page.eval_on_selector_all("#timeline svg .bar", BARS_JS)

    moved = http.post(f"{server.url}/__admin/clock", json={"advanceMs": 30_000}).json()
    assert moved["epochMs"] == T0 + 30_000
    page.wait_for_selector(f'#timeline svg[data-now="{T0 + 30_000}"]', timeout=20_000)
    after = page.eval_on_selector_all("#timeline svg .bar", BARS_JS)
    assert page.locator(alerting).count() == 0
    assert after != before
    conv = http.get(f"{server.url}/__admin/ui/conversations/{call.id}").json()
    assert {(b["pid"], b["kind"], b["start"]) for b in after} >= {
        (p["id"], "alerting", epoch_ms(s["startTime"]))
        for p in conv["participants"]
        for c in p["calls"]
        for s in c["segments"]
        if s["type"] == "Alert"
    }
    assert "00:00:30" in page.inner_text("#clock")


def test_first_paint_with_10000_conversations(page: Any, record_property: Any) -> None:
    """Measured and reported, not asserted on: timing belongs in benchmarks/ui.py and README."""
    app = create_app(
        ServerConfig(seed=5, conversations=10_000, world_size="small", start_ms=T0, frozen=True)
    )
    with BackgroundServer(app) as srv:
        figures = first_paint(page, srv.url)
    record_property("ui_first_paint_ms", figures)
    print(f"\n/__admin/ui with 10,000 conversations: {figures}")
    assert figures["rows"] == 20 and figures["total"] == "10000"


def test_search_and_filters_narrow_the_list_and_a_click_opens_the_timeline(
    page: Any, server: BackgroundServer, api: Api, state: ServerState
) -> None:
    cid = _consult(api, state)
    page.goto(f"{server.url}/__admin/ui")
    page.wait_for_function("performance.getEntriesByName('gcmock:list').length > 0")
    assert page.locator("#conversations tbody tr").count() == 20
    page.fill("#f-q", cid[:13])
    page.wait_for_function("document.querySelectorAll('#conversations tbody tr').length === 1")
    assert page.get_attribute("#conversations tbody tr", "data-id") == cid
    page.click("#conversations tbody tr")
    page.wait_for_selector(f'#timeline svg[data-conversation-id="{cid}"]')
    assert page.url.endswith(f"#c={cid}")

    page.fill("#f-q", "")
    page.select_option("#f-media", "email")
    emails = sum(1 for s in state.store.dump() if s.conv.media == "email")
    page.wait_for_function(
        f"document.querySelector('#page-info').textContent.includes(' {emails} of ')"
    )
    media = page.eval_on_selector_all(
        "#conversations tbody tr td:nth-child(3)", "els => els.map(e => e.textContent)"
    )
    assert media and set(media) == {"email"}
