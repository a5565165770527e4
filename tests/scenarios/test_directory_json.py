"""The directory JSON of the world's entities: null-free, and complete for the SDK's models."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import PureCloudPlatformClientV2
import pytest

from gcmock.scenarios.views.directory import (
    division_ref,
    external_contact_json,
    external_organization_json,
    group_json,
    language_json,
    queue_json,
    skill_json,
    team_json,
    user_json,
    wrapup_code_json,
)
from gcmock.scenarios.world import SYSTEM_WRAPUP_TIMEOUT, World, WrapupPrompt, build_world

TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@pytest.fixture(scope="module")
def medium() -> World:
    return build_world()


API = PureCloudPlatformClientV2.ApiClient()
PRIMITIVES = ("str", "int", "float", "bool", "datetime", "date", "object")


def no_nulls(data: Any, path: str = "$") -> list[str]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in no_nulls(v, f"{path}.{k}")]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in no_nulls(v, f"{path}[{i}]")]
    return [path] if data is None else []


def lost_in_sdk(data: Any, value: Any, swagger_type: str, path: str = "$") -> list[str]:
    """Paths the SDK dropped, does not know, or turned into ``outdated_sdk_version``."""
    if isinstance(value, str) and value == "outdated_sdk_version":
        return [f"{path}: enum value {data!r} unknown to the SDK"]
    if swagger_type.startswith("list["):
        inner = swagger_type[5:-1]
        items = enumerate(zip(data, value, strict=True))
        return [p for i, (d, v) in items for p in lost_in_sdk(d, v, inner, f"{path}[{i}]")]
    if swagger_type in PRIMITIVES:
        return []
    attrs = {key: attr for attr, key in value.attribute_map.items()}
    problems = []
    for key, item in data.items():
        attr = attrs.get(key)
        if attr is None or getattr(value, attr) is None:
            problems.append(f"{path}.{key}: not a field of {swagger_type}")
        else:
            item_type = value.swagger_types[attr]
            problems += lost_in_sdk(item, getattr(value, attr), item_type, f"{path}.{key}")
    return problems


PROJECTIONS: list[tuple[str, Callable[[World], list[dict[str, Any]]]]] = [
    ("User", lambda wd: [user_json(wd, u, expand=("team",)) for u in wd.users]),
    ("Queue", lambda wd: [queue_json(wd, q) for q in wd.queues]),
    ("WrapupCode", lambda wd: [wrapup_code_json(wd, c) for c in wd.wrapup_codes]),
    ("RoutingSkill", lambda wd: [skill_json(wd, s) for s in wd.skills]),
    ("Language", lambda wd: [language_json(wd, lang) for lang in wd.languages]),
    ("Team", lambda wd: [team_json(wd, t) for t in wd.teams]),
    ("Group", lambda wd: [group_json(wd, g) for g in wd.groups]),
    (
        "ExternalOrganization",
        lambda wd: [external_organization_json(wd, o) for o in wd.organizations],
    ),
    ("ExternalContact", lambda wd: [external_contact_json(wd, c) for c in wd.contacts[:50]]),
]


@pytest.mark.parametrize("locale", ["en_US", "ja_JP"])
@pytest.mark.parametrize(("model", "project"), PROJECTIONS, ids=[m for m, _ in PROJECTIONS])
def test_projections_are_null_free_and_sdk_complete(
    model: str, project: Callable[[World], list[dict[str, Any]]], locale: str
) -> None:
    world = build_world(2, "small", locale)
    for data in project(world):
        assert not no_nulls(data)
        parsed = API._ApiClient__deserialize(data, model)
        assert not lost_in_sdk(data, parsed, model)


def test_projection_details(medium: World) -> None:
    queue = medium.queues[0]
    data = queue_json(medium, queue)
    assert data["selfUri"] == f"/api/v2/routing/queues/{queue.id}"
    assert data["memberCount"] == len(queue.member_ids)
    assert (
        data["mediaSettings"]["call"]["alertingTimeoutSeconds"] * 1000 == queue.alerting_timeout_ms
    )
    assert data["acwSettings"]["timeoutMs"] == queue.wrapup_timeout_ms
    assert TIMESTAMP.fullmatch(data["dateCreated"])
    user = medium.agents[0]
    user_data = user_json(medium, user)
    assert user_data["selfUri"] == f"/api/v2/users/{user.id}"
    assert user_data["division"] == division_ref(medium, user.division_id)
    assert user_data["chat"]["jabberId"].split("@")[0] in user.station_address
    assert "team" not in user_data
    code = wrapup_code_json(medium, medium.wrapup_codes[-1])
    assert code["selfUri"] == f"/api/v2/routing/wrapupcodes/{SYSTEM_WRAPUP_TIMEOUT}"
    assert division_ref(medium, "unknown") == {
        "id": "unknown",
        "selfUri": "/api/v2/authorization/divisions/unknown",
    }


def test_acw_prompt_maps_to_the_queue_enum() -> None:
    world = build_world(0, "small")
    prompts: tuple[WrapupPrompt, ...] = (
        "mandatory",
        "optional",
        "agentRequested",
        "timeout",
        "forcedTimeout",
    )
    for prompt in prompts:
        queue = replace(world.queues[0], wrapup_prompt=prompt)
        parsed = API._ApiClient__deserialize(queue_json(world, queue), "Queue")
        assert parsed.acw_settings.wrapup_prompt != "outdated_sdk_version"
