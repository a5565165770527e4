"""Presence: the organization's presence definitions (``/presencedefinitions`` and the newer
``/presence/definitions``), a user's presence and routing status, read and set.

The rules (what a presence does to routing, which routing statuses a client may set) are the
engine roster's; these routes parse, call the store, and project.
"""

from __future__ import annotations

from typing import Literal

from flask import Response
from pydantic import Field

from gcmock.scenarios.views.presence import (
    definition_json,
    organization_presence_json,
    routing_status_json,
    user_presence_json,
)
from gcmock.scenarios.world.presence import (
    PRESENCE_DEFINITIONS,
    PRESENCE_DEFINITIONS_BY_ID,
    PresenceDefinition,
    presence_definition,
)

from ..bodies import Body, Id, PageQuery, QId, QText, Text
from ..errors import bad_request, not_found
from ..state import current
from ..wire import json_response
from .base import RouteTable
from .common import paged, user_by_id

__all__ = ["TABLE"]

TABLE = RouteTable("presence", "Presence")

PURECLOUD = "purecloud"
"""The Genesys Cloud presence source: the only one the served org has."""


class DefinitionsQuery(PageQuery):
    pageSize: int = Field(25, ge=1, le=100)
    deleted: Literal["true", "false", "all", "TRUE", "FALSE", "ALL"] = "false"
    localeCode: QText | None = None


class NewDefinitionsQuery(Body):
    deactivated: Literal["true", "false", "TRUE", "FALSE"] | None = None
    divisionId: list[QId] | None = None
    localeCode: QText | None = None


class DefinitionRef(Body):
    id: Id | None = None
    systemPresence: Text | None = None


class UserPresenceBody(Body):
    """``UserPresence``: the definition to set (by id, or by system presence) and a message."""

    presenceDefinition: DefinitionRef | None = None
    message: Text | None = None


class RoutingStatusBody(Body):
    userId: Id | None = None
    status: Text | None = None


def _definition(definition_id: str) -> PresenceDefinition:
    definition = PRESENCE_DEFINITIONS_BY_ID.get(definition_id)
    if definition is None:
        raise not_found(f"presence definition {definition_id} not found")
    return definition


@TABLE.route(
    "GET",
    "/api/v2/presencedefinitions",
    "Get the organization's presence definitions (the system ones)",
    query=DefinitionsQuery,
    response="OrganizationPresenceEntityListing",
    errors=(400,),
)
def get_presencedefinitions(query: DefinitionsQuery) -> Response:
    found = PRESENCE_DEFINITIONS if query.deleted.lower() != "true" else ()
    return paged(found, organization_presence_json, query)


@TABLE.route(
    "GET",
    "/api/v2/presencedefinitions/{presenceId}",
    "Get an organization presence definition",
    response="OrganizationPresence",
    errors=(404,),
)
def get_presencedefinition(presenceId: str) -> Response:
    return json_response(organization_presence_json(_definition(presenceId)))


@TABLE.route(
    "GET",
    "/api/v2/presence/definitions",
    "Get the presence definitions (the newer family; system ones belong to no division)",
    query=NewDefinitionsQuery,
    response="OrganizationPresenceDefinitionEntityListing",
    errors=(400,),
)
def get_presence_definitions(query: NewDefinitionsQuery) -> Response:
    found = PRESENCE_DEFINITIONS if (query.deactivated or "").lower() != "true" else ()
    entities = [definition_json(d) for d in found]
    return json_response(
        {"total": len(entities), "entities": entities, "selfUri": "/api/v2/presence/definitions"}
    )


@TABLE.route(
    "GET",
    "/api/v2/presence/definitions/{definitionId}",
    "Get a presence definition",
    response="OrganizationPresenceDefinition",
    errors=(404,),
)
def get_presence_definition(definitionId: str) -> Response:
    return json_response(definition_json(_definition(definitionId)))


def _source(source_id: str) -> None:
    if source_id.lower() != PURECLOUD:
        raise not_found(f"presence source {source_id} not found")


def _user_presence(user_id: str) -> Response:
    user = user_by_id(user_id)
    status = current().store.agent_status(user.id)
    return json_response(user_presence_json(user.id, status.presence))


def _set_presence(user_id: str, body: UserPresenceBody) -> Response:
    user = user_by_id(user_id)
    ref = body.presenceDefinition
    if ref is None or (ref.id is None and ref.systemPresence is None):
        raise bad_request("presenceDefinition.id is required", "presenceDefinition.id", "missing")
    definition_id = ref.id
    if definition_id is None:
        try:
            definition_id = presence_definition(str(ref.systemPresence)).id
        except KeyError:
            raise bad_request(
                f"{ref.systemPresence} is not a system presence",
                "presenceDefinition.systemPresence",
            ) from None
    current().store.set_presence(user.id, definition_id, body.message)
    return _user_presence(user.id)


@TABLE.route(
    "GET",
    "/api/v2/users/{userId}/presences/purecloud",
    "Get a user's Genesys Cloud presence",
    response="UserPresence",
    errors=(404,),
)
def get_user_presence_purecloud(userId: str) -> Response:
    return _user_presence(userId)


@TABLE.route(
    "PATCH",
    "/api/v2/users/{userId}/presences/purecloud",
    "Patch a user's Genesys Cloud presence (On Queue puts them on queue, anything else off)",
    body=UserPresenceBody,
    response="UserPresence",
    errors=(400, 404),
)
def patch_user_presence_purecloud(userId: str, body: UserPresenceBody) -> Response:
    return _set_presence(userId, body)


@TABLE.route(
    "GET",
    "/api/v2/users/{userId}/presences/{sourceId}",
    "Get a user's presence for a source (only purecloud is served)",
    response="UserPresence",
    errors=(404,),
)
def get_user_presence(userId: str, sourceId: str) -> Response:
    _source(sourceId)
    return _user_presence(userId)


@TABLE.route(
    "PATCH",
    "/api/v2/users/{userId}/presences/{sourceId}",
    "Patch a user's presence for a source (only purecloud is served)",
    body=UserPresenceBody,
    response="UserPresence",
    errors=(400, 404),
)
def patch_user_presence(userId: str, sourceId: str, body: UserPresenceBody) -> Response:
    _source(sourceId)
    return _set_presence(userId, body)


@TABLE.route(
    "GET",
    "/api/v2/users/{userId}/routingstatus",
    "Fetch the routing status of a user",
    response="RoutingStatus",
    errors=(404,),
)
def get_user_routingstatus(userId: str) -> Response:
    user = user_by_id(userId)
    return json_response(routing_status_json(current().store.agent_status(user.id)))


@TABLE.route(
    "PUT",
    "/api/v2/users/{userId}/routingstatus",
    "Update the routing status of a user (IDLE goes On Queue, OFF_QUEUE goes Available)",
    body=RoutingStatusBody,
    response="RoutingStatus",
    errors=(400, 404),
)
def put_user_routingstatus(userId: str, body: RoutingStatusBody) -> Response:
    user = user_by_id(userId)
    if body.status is None:
        raise bad_request("status is required", "status", "missing")
    if body.userId is not None and body.userId != user.id:
        raise bad_request(f"userId {body.userId} is not the user of the path", "userId")
    store = current().store
    store.set_routing_status(user.id, body.status)
    return json_response(routing_status_json(store.agent_status(user.id)))
