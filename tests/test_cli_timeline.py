"""``gcmock scenarios NAME --svg`` and ``gcmock timeline FILE --id ID``: the page's renderer from
the command line, and the README's picture is what the CLI draws today."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
from click.testing import CliRunner

from gcmock.cli import main
from gcmock.scenarios.views.timeline_svg import timeline_svg

ROOT = Path(__file__).resolve().parents[1]
README_SVG = ROOT / "docs" / "consult_transfer.svg"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def scenario(name: str, seed: int = 0) -> dict:  # type: ignore[type-arg]
    code, out = run("scenarios", name, "--seed", str(seed))
    assert code == 0, out
    data: dict = orjson.loads(out)  # type: ignore[type-arg]
    return data


def test_scenarios_svg_draws_the_scenario_json(tmp_path: Path) -> None:
    out = tmp_path / "ct.svg"
    code, text = run("scenarios", "consult_transfer", "--seed", "4", "--svg", str(out))
    assert code == 0, text
    assert out.read_text(encoding="utf-8") == timeline_svg(scenario("consult_transfer", 4))


def test_timeline_finds_the_conversation_in_ndjson_gz(tmp_path: Path) -> None:
    convs = [scenario(name, seed) for seed, name in enumerate(("monitored", "consult_transfer"))]
    assert convs[0]["id"] != convs[1]["id"]
    path = tmp_path / "data.ndjson.gz"
    with gzip.open(path, "wb") as f:
        f.writelines(orjson.dumps(c) + b"\n" for c in convs)
    for conv in convs:
        out = tmp_path / f"{conv['id']}.svg"
        code, text = run("timeline", str(path), "--id", conv["id"], "--svg", str(out))
        assert code == 0, text
        assert out.read_text(encoding="utf-8") == timeline_svg(conv)


def test_timeline_of_a_json_list_to_stdout(tmp_path: Path) -> None:
    convs = [scenario("barged", 1), scenario("chat", 2)]
    path = tmp_path / "list.json"
    path.write_bytes(orjson.dumps(convs))
    code, text = run("timeline", str(path), "--id", convs[1]["id"], "--width", "700")
    assert code == 0
    assert text == timeline_svg(convs[1], width=700)


def test_timeline_of_an_unknown_id_or_a_broken_file_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "one.ndjson"
    path.write_bytes(orjson.dumps(scenario("chat")) + b"\n")
    code, text = run("timeline", str(path), "--id", "nope")
    assert code == 1 and "no conversation nope" in text
    broken = tmp_path / "broken.ndjson"
    broken.write_bytes(b'{"id": "x", "participants": [\n')
    code, text = run("timeline", str(broken), "--id", "x")
    assert code == 1 and "cannot read" in text


def test_readme_picture_is_what_the_cli_draws_now(tmp_path: Path) -> None:
    out = tmp_path / "consult_transfer.svg"
    code, text = run("scenarios", "consult_transfer", "--svg", str(out))
    assert code == 0, text
    assert README_SVG.read_bytes() == out.read_bytes(), (
        "docs/consult_transfer.svg is stale: gcmock scenarios consult_transfer "
        "--svg docs/consult_transfer.svg"
    )
