"""Routing directory: skills, languages, the org's utilization and assessments (none)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from flask import Response

from gcmock.scenarios.views.directory import language_json, skill_json
from gcmock.scenarios.world import Language, Skill
from gcmock.scenarios.world.presence import DEFAULT_UTILIZATION, INTERRUPTIBLE_BY

from ..directory_queries import AssessmentsQuery, NamedQuery
from ..wire import json_response
from .base import RouteTable
from .common import paged
from .listing import by_name, cursor_paged, name_filter, one, world

__all__ = ["TABLE", "UTILIZATION"]

TABLE = RouteTable("routing_directory", "Routing")


N = TypeVar("N", Skill, Language)


def _named(items: Sequence[N], query: NamedQuery) -> list[N]:
    match = name_filter(query.name)
    wanted = set(query.id) if query.id else None
    return [x for x in items if match(x.name) and (wanted is None or x.id in wanted)]


@TABLE.route(
    "GET",
    "/api/v2/routing/skills",
    "Get the list of routing skills.",
    query=NamedQuery,
    response="SkillEntityListing",
    errors=(400,),
)
def get_skills(query: NamedQuery) -> Response:
    w = world()
    skills = _named(by_name("skills", w.skills, lambda s: s.name, query.sortOrder), query)
    return paged(skills, lambda s: skill_json(w, s), query)


@TABLE.route(
    "GET",
    "/api/v2/routing/skills/{skillId}",
    "Get Routing Skill",
    response="RoutingSkill",
    errors=(404,),
)
def get_skill(skillId: str) -> Response:
    w = world()
    return json_response(skill_json(w, one(w.skills_by_id, skillId, "skill", Skill)))


@TABLE.route(
    "GET",
    "/api/v2/routing/languages",
    "Get the list of supported languages.",
    query=NamedQuery,
    response="LanguageEntityListing",
    errors=(400,),
)
def get_languages(query: NamedQuery) -> Response:
    w = world()
    langs = _named(by_name("languages", w.languages, lambda x: x.name, query.sortOrder), query)
    return paged(langs, lambda x: language_json(w, x), query)


@TABLE.route(
    "GET",
    "/api/v2/routing/languages/{languageId}",
    "Get a routing language",
    response="Language",
    errors=(404,),
)
def get_language(languageId: str) -> Response:
    w = world()
    found = {x.id: x for x in w.languages}
    return json_response(language_json(w, one(found, languageId, "language", Language)))


UTILIZATION = {
    "utilization": {
        media: {
            "maximumCapacity": capacity,
            "interruptableMediaTypes": list(INTERRUPTIBLE_BY[media]),
            "includeNonAcd": False,
        }
        for media, capacity in DEFAULT_UTILIZATION.items()
    }
}
"""The org's utilization: the platform's defaults (one call, four chats or messages)."""


@TABLE.route(
    "GET",
    "/api/v2/routing/utilization",
    "Get the organization-wide max utilization settings.",
    response="UtilizationResponse",
)
def get_utilization() -> Response:
    return json_response(UTILIZATION)


@TABLE.route(
    "GET",
    "/api/v2/routing/assessments",
    "Retrieve all benefit assessments (the world has none).",
    query=AssessmentsQuery,
    response="AssessmentListing",
    errors=(400,),
)
def get_assessments(query: AssessmentsQuery) -> Response:
    return cursor_paged((), lambda x: x, query)
