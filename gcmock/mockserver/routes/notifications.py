"""``/api/v2/notifications``: channels, their subscriptions and the topics served.

A channel belongs to the token's user, or to the OAuth client for client credentials; the
platform's limits apply per owner (20 channels, 1,000 topics each, 24 h of life on the server
clock that a subscription call renews).
"""

from __future__ import annotations

from typing import Any

from flask import Response, request

from gcmock.scenarios import iso
from gcmock.scenarios.views.topics import TOPICS, Topic

from ..bodies import Body
from ..errors import ApiError, bad_request, not_found
from ..notifications import Channel
from ..notifications.hub import TOPIC_LIMIT
from ..state import ServerState, current
from ..wire import json_response, no_content
from .base import RouteTable, read_json, token
from .openapi import _sdk_schemas as sdk_schemas

__all__ = ["TABLE"]

TABLE = RouteTable("notifications", "Notifications")


class SubscriptionsQuery(Body):
    ignoreErrors: bool = False


class ChannelsQuery(Body):
    includechannels: str | None = None


def _owner(state: ServerState) -> str:
    user_id = token().user_id
    return f"user:{user_id}" if user_id else f"client:{state.config.client_id}"


def _connect_uri(state: ServerState, channel: Channel) -> str:
    base = state.notifications.stream_url
    if base is None:
        host = request.host.split(":")[0]
        base = "wss://streaming." + host.removeprefix("api.")
    return f"{base}/channels/{channel.id}"


def _channel_json(state: ServerState, channel: Channel) -> dict[str, Any]:
    return {
        "connectUri": _connect_uri(state, channel),
        "id": channel.id,
        "expires": iso(channel.expires),
    }


def _mine(state: ServerState, channel_id: str) -> Channel:
    channel = state.notifications.get(channel_id)
    if channel is None or channel.owner != _owner(state):
        raise not_found(f"channel {channel_id} not found")
    return channel


@TABLE.route(
    "POST",
    "/api/v2/notifications/channels",
    "Create a new channel",
    response="Channel",
)
def post_channels() -> Response:
    state = current()
    channel = state.notifications.create(_owner(state))
    channel.token = token().value
    return json_response(_channel_json(state, channel))


@TABLE.route(
    "GET",
    "/api/v2/notifications/channels",
    "The list of existing channels",
    query=ChannelsQuery,
    response="ChannelEntityListing",
    errors=(400,),
)
def get_channels(query: ChannelsQuery) -> Response:
    state = current()
    channels = state.notifications.owned(_owner(state))
    return json_response({"entities": [_channel_json(state, c) for c in channels]})


@TABLE.route(
    "HEAD",
    "/api/v2/notifications/channels/{channelId}",
    "Verify a channel still exists and is valid",
    errors=(404,),
)
def head_channel(channelId: str) -> Response:
    _mine(current(), channelId)
    return Response(b"", status=200)


def _topics_json(channel: Channel) -> dict[str, Any]:
    return {"entities": [{"id": name, "state": "Permitted"} for name in channel.topics]}


@TABLE.route(
    "GET",
    "/api/v2/notifications/channels/{channelId}/subscriptions",
    "The list of all subscriptions for this channel",
    response="ChannelTopicEntityListing",
    errors=(404,),
)
def get_subscriptions(channelId: str) -> Response:
    state = current()
    channel = _mine(state, channelId)
    state.notifications.touch(channel)
    return json_response(_topics_json(channel))


def _requested() -> list[str]:
    data = read_json()
    if not isinstance(data, list):
        raise bad_request("a list of topics ([{id}]) is required", "body", "missing")
    names = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise bad_request(f"topic {i} needs an id", f"[{i}].id", "missing.property")
        names.append(item["id"])
    return list(dict.fromkeys(names))


def _subscribe(channelId: str, ignore_errors: bool, *, replace: bool) -> Response:
    state = current()
    hub = state.notifications
    channel = _mine(state, channelId)
    parsed = hub.parse(_requested())
    rejected = [(name, why) for name, why in parsed if isinstance(why, str)]
    if rejected and not ignore_errors:
        name, why = rejected[0]
        raise ApiError(
            400,
            "notification.invalid.topic",
            why,
            details=[{"errorCode": "invalid.value", "fieldName": name}],
        )
    topics = [t for _, t in parsed if isinstance(t, Topic)]
    total = len({t.name for t in topics} | (set() if replace else set(channel.topics)))
    if total > TOPIC_LIMIT:
        raise bad_request(
            f"a channel can subscribe to at most {TOPIC_LIMIT} topics ({total} requested)",
            "body",
        )
    hub.subscribe(channel, topics, replace=replace)
    entities: list[dict[str, Any]] = [{"id": n, "state": "Permitted"} for n in channel.topics]
    entities += [{"id": n, "state": "Rejected", "rejectionReason": why} for n, why in rejected]
    return json_response({"entities": entities})


@TABLE.route(
    "PUT",
    "/api/v2/notifications/channels/{channelId}/subscriptions",
    "Replace the current list of subscriptions with a new list",
    query=SubscriptionsQuery,
    response="ChannelTopicEntityListing",
    errors=(400, 404, 415),
    raw_body="list[ChannelTopic]",
)
def put_subscriptions(channelId: str, query: SubscriptionsQuery) -> Response:
    return _subscribe(channelId, query.ignoreErrors, replace=True)


@TABLE.route(
    "POST",
    "/api/v2/notifications/channels/{channelId}/subscriptions",
    "Add a list of subscriptions to the existing list of subscriptions",
    query=SubscriptionsQuery,
    response="ChannelTopicEntityListing",
    errors=(400, 404, 415),
    raw_body="list[ChannelTopic]",
)
def post_subscriptions(channelId: str, query: SubscriptionsQuery) -> Response:
    return _subscribe(channelId, query.ignoreErrors, replace=False)


@TABLE.route(
    "DELETE",
    "/api/v2/notifications/channels/{channelId}/subscriptions",
    "Remove all subscriptions",
    status=204,
    errors=(404,),
)
def delete_subscriptions(channelId: str) -> Response:
    state = current()
    state.notifications.unsubscribe_all(_mine(state, channelId))
    return no_content()


@TABLE.route(
    "DELETE",
    "/api/v2/tokens/me",
    "Delete the auth token used to make the request; its notification channels end",
    status=204,
)
def delete_tokens_me() -> Response:
    state = current()
    value = token().value
    state.tokens.revoke(value)
    state.notifications.revoked(value)
    return no_content()


@TABLE.route(
    "GET",
    "/api/v2/notifications/availabletopics",
    "The topics served, with the schema of their event bodies",
    response="AvailableTopicEntityListing",
)
def get_available_topics() -> Response:
    schemas = sdk_schemas()
    entities = []
    for t in TOPICS:
        schema = dict(schemas.get(t.model, {}), title=t.model)
        entities.append(
            {
                "id": t.template,
                "description": t.description,
                "requiresPermissions": [],
                "visibility": "Public",
                "transports": ["Websocket"],
                "schema": schema,
                "topicParameters": ["id"],
            }
        )
    return json_response({"entities": entities})
