"""``/__admin/ui`` without a browser: the page's files, the paged and filtered list against the
store, one conversation's JSON and its timeline drawn at the server's now."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import orjson
import pytest

from gcmock.mockserver.state import ServerState
from gcmock.scenarios import conversation_rng, run_scenario, to_conversation_json
from gcmock.scenarios.views.timeline_svg import timeline_svg

from .conftest import T0, Api
from .helpers import inbound

ROOT = Path(__file__).resolve().parents[2]
UI = "/__admin/ui"


def listing(api: Api, query: str = "") -> dict:  # type: ignore[type-arg]
    r = api.client.get(f"{UI}/conversations?{query}")
    assert r.status_code == 200, r.get_data(as_text=True)
    data: dict = r.get_json()  # type: ignore[type-arg]
    return data


def newest_first(state: ServerState) -> list[str]:
    snaps = sorted(state.store.dump(), key=lambda s: (s.conv.start, s.conv.id), reverse=True)
    return [s.conv.id for s in snaps]


@pytest.mark.parametrize(
    ("path", "mimetype", "needle"),
    [
        (UI, "text/html", b'<script src="/__admin/ui/app.js">'),
        (f"{UI}/app.js", "text/javascript", b"timeline.svg"),
        (f"{UI}/app.css", "text/css", b"#timeline"),
    ],
)
def test_the_page_and_its_files(api: Api, path: str, mimetype: str, needle: bytes) -> None:
    r = api.client.get(path)
    assert r.status_code == 200 and r.mimetype == mimetype
    assert needle in r.get_data()
    assert b"http://" not in r.get_data() and b"https://" not in r.get_data()


def test_list_pages_through_every_conversation_newest_first(api: Api, state: ServerState) -> None:
    ids = []
    page = listing(api, "pageSize=70")
    assert (page["total"], page["pageCount"], page["conversations"]) == (200, 3, 200)
    for number in (1, 2, 3):
        ids += [row["id"] for row in listing(api, f"pageSize=70&pageNumber={number}")["entities"]]
    assert ids == newest_first(state)
    assert listing(api, "pageSize=70&pageNumber=4")["entities"] == []


def test_list_filters_match_the_store(api: Api, state: ServerState) -> None:
    convs = [s.conv for s in state.store.dump()]
    queue = state.world.queues[1]
    user = next(p.user_id for c in convs for p in c.participants if p.purpose == "agent")
    cases = {
        "media=email": [c for c in convs if c.media == "email"],
        "scenario=consult_transfer": [c for c in convs if c.scenario == "consult_transfer"],
        "live=true": [c for c in convs if not c.settled],
        "live=false": [c for c in convs if c.settled],
        f"queueId={queue.id}": [
            c for c in convs if any(p.queue_id == queue.id for p in c.participants)
        ],
        f"userId={user}": [c for c in convs if any(p.user_id == user for p in c.participants)],
        f"q={convs[5].id[:6]}": [c for c in convs if convs[5].id[:6] in c.id],
        f"q={convs[7].participants[-1].id}": [convs[7]],
        "media=call&live=true": [c for c in convs if c.media == "call" and not c.settled],
    }
    for query, expected in cases.items():
        assert expected, query
        got = listing(api, f"{query}&pageSize=200")
        assert sorted(r["id"] for r in got["entities"]) == sorted(c.id for c in expected), query
        assert got["total"] == len(expected)


def test_rows_say_what_the_conversation_is(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world, answered=False)
    row = listing(api, f"q={call.id}")["entities"][0]
    assert row["live"] is True and row["media"] == "call" and "endTime" not in row
    assert row["durationMs"] == T0 - call.conv.start
    assert row["queues"] == [call.queue.name] and row["users"] == [call.user.name]
    done = next(s.conv for s in state.store.dump() if s.conv.settled and s.conv.scenario)
    row = listing(api, f"q={done.id}")["entities"][0]
    assert row["scenario"] == done.scenario and row["durationMs"] == (done.end or 0) - done.start


@pytest.mark.parametrize("query", ["pageSize=0", "pageSize=201", "pageNumber=0", "live=maybe"])
def test_bad_list_parameters_are_400_naming_the_field(api: Api, query: str) -> None:
    r = api.client.get(f"{UI}/conversations?{query}")
    assert r.status_code == 400
    assert r.get_json()["details"][0]["fieldName"] == query.split("=")[0]


def test_one_conversation_and_its_timeline(api: Api, state: ServerState) -> None:
    conv = run_scenario("consult_transfer", state.world, conversation_rng(9, 0), T0 - 3_600_000)
    api.ok("POST", "/__admin/conversations", to_conversation_json(conv))
    data = api.client.get(f"{UI}/conversations/{conv.id}").get_json()
    assert data == api.ok("GET", f"/api/v2/conversations/{conv.id}")
    r = api.client.get(f"{UI}/conversations/{conv.id}/timeline.svg?width=800")
    assert r.mimetype == "image/svg+xml"
    assert r.get_data(as_text=True) == timeline_svg(data, None, 800)
    assert api.client.get(f"{UI}/conversations/nope/timeline.svg").status_code == 404
    assert api.client.get(f"{UI}/conversations/nope").status_code == 404
    assert api.client.get(f"{UI}/conversations/{conv.id}/timeline.svg?width=5").status_code == 400


def test_a_live_timeline_is_drawn_at_the_server_clock(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world, answered=False)
    path = f"{UI}/conversations/{call.id}/timeline.svg"
    before = api.client.get(path).get_data(as_text=True)
    assert f'data-now="{T0}"' in before and 'data-live="true"' in before
    api.client.post("/__admin/clock", json={"advanceMs": 20_000})
    after = api.client.get(path).get_data(as_text=True)
    data = orjson.loads(api.client.get(f"{UI}/conversations/{call.id}").get_data())
    assert after == timeline_svg(data, T0 + 20_000)
    assert after != before


def test_the_wheel_ships_the_page(tmp_path: Path) -> None:
    """Built from a copy of the sources, so the work tree gets no build/ or egg-info."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        (src / name).write_bytes((ROOT / name).read_bytes())
    subprocess.run(
        ["cp", "-r", str(ROOT / "gcmock"), str(src / "gcmock")], check=True, capture_output=True
    )
    out = tmp_path / "wheel"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    (wheel,) = out.glob("gcmock-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("index.html", "app.js", "app.css"):
        assert f"gcmock/mockserver/ui/{name}" in names
