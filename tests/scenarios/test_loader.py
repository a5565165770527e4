"""Loading our own JSON back gives the same conversation, live or ended, ready for operations."""

from __future__ import annotations

import orjson
import pytest

from gcmock.scenarios import (
    GeneratorOptions,
    build_world,
    generate,
    to_call_json,
    to_conversation_json,
)
from gcmock.scenarios.views.loader import LoadError, from_conversation_json

WORLD = build_world(4, "small")
T0 = GeneratorOptions().start_ms


@pytest.mark.parametrize("horizon", [None, T0 + 3 * 3_600_000])
def test_round_trip_is_byte_identical(horizon: int | None) -> None:
    options = GeneratorOptions(days=0.1, horizon_ms=horizon)
    for conv in generate(WORLD, 8, 0, 400, options):
        data = to_conversation_json(conv)
        loaded = from_conversation_json(orjson.loads(orjson.dumps(data)))
        assert orjson.dumps(to_conversation_json(loaded)) == orjson.dumps(data), conv.scenario
        assert orjson.dumps(to_call_json(loaded)) == orjson.dumps(to_call_json(conv))
        assert (loaded.consult is None) == (conv.consult is None), conv.scenario


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ([], "object"),
        ({"participants": []}, "conversation.id"),
        ({"id": "x", "participants": []}, "participants"),
        ({"id": "x", "participants": [{"id": "p", "purpose": "customer"}]}, "startTime"),
        (
            {
                "id": "x",
                "participants": [
                    {"id": "p", "purpose": "customer", "startTime": "2026-11-01T00:00:00.000Z"}
                ],
            },
            "no communication",
        ),
    ],
)
def test_bad_documents_name_the_problem(doc: object, field: str) -> None:
    with pytest.raises(LoadError, match=field):
        from_conversation_json(doc)  # type: ignore[arg-type]
