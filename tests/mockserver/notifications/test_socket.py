"""The streaming listener over a real socket: a WebSocket client against a live server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import PureCloudPlatformClientV2 as sdk
import pytest
import requests
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from gcmock.mockserver.inprocess import GenesysMock, LiveServer

from .flow import T0, alerting_call, drive, topics


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    live = LiveServer(conversations=30, world_size="small", start_ms=T0, frozen=True)
    yield live
    live.stop()


@pytest.fixture
def notifications(server: LiveServer) -> Any:
    server.reset()
    return sdk.NotificationsApi(server.sdk_client())


def _messages(ws: ClientConnection, timeout: float = 0.5) -> list[dict[str, Any]]:
    out = []
    try:
        while True:
            out.append(json.loads(ws.recv(timeout=timeout)))
    except (TimeoutError, ConnectionClosed):
        return out


def _advance(server: LiveServer, ms: int) -> None:
    requests.post(f"{server.url}/__admin/clock", json={"advanceMs": ms}, timeout=10)


def test_connect_subscribe_and_receive_a_driven_call(
    server: LiveServer, notifications: Any
) -> None:
    health = requests.get(f"{server.url}/__admin/health", timeout=10).json()
    assert health["streamingUrl"] == server.stream_url
    call = alerting_call(server)
    channel = notifications.post_notifications_channels()
    assert channel.connect_uri == f"{server.stream_url}/channels/{channel.id}"
    rest, socket = topics(call)[:3], topics(call)[3:]
    notifications.put_notifications_channel_subscriptions(channel.id, [{"id": t} for t in rest])
    with connect(channel.connect_uri) as ws:
        ws.send(json.dumps({"message": "subscribe", "topics": socket, "correlationId": "c1"}))
        answer = json.loads(ws.recv(timeout=5))
        assert answer == {"result": "200", "status": "subscribed", "correlationId": "c1"}
        drive(server.sdk_client(), server, call)
        received = _messages(ws)
    with GenesysMock(conversations=30, world_size="small", start_ms=T0, frozen=True) as org:
        same = alerting_call(org)
        assert same == call
        with org.notifications.listen(topics(call)) as listener:
            drive(org.sdk_client(), org, same)
            expected = list(listener)
    assert received == expected and len(received) > 5


def test_ping_heartbeat_and_a_bad_subscribe(server: LiveServer, notifications: Any) -> None:
    channel = notifications.post_notifications_channels()
    with connect(channel.connect_uri) as ws:
        ws.send(json.dumps({"message": "ping"}))
        pong = json.loads(ws.recv(timeout=5))
        assert pong == {"topicName": "channel.metadata", "eventBody": {"message": "pong"}}
        _advance(server, 30_000)
        beat = json.loads(ws.recv(timeout=5))
        assert beat["eventBody"] == {"message": "WebSocket Heartbeat"}
        bad = ["v2.conversations.00000000-0000-4000-8000-000000000000"]
        ws.send(json.dumps({"message": "subscribe", "topics": bad}))
        answer = json.loads(ws.recv(timeout=5))
        assert answer["result"] == "400" and "not a valid topic" in answer["message"]


def test_a_second_connection_disconnects_the_first(server: LiveServer, notifications: Any) -> None:
    channel = notifications.post_notifications_channels()
    with connect(channel.connect_uri) as first, connect(channel.connect_uri) as second:
        with pytest.raises(ConnectionClosed):
            first.recv(timeout=5)
        second.send(json.dumps({"message": "ping"}))
        assert json.loads(second.recv(timeout=5))["eventBody"] == {"message": "pong"}


def test_an_unknown_channel_is_a_404(server: LiveServer) -> None:
    with pytest.raises(InvalidStatus) as err:
        connect(f"{server.stream_url}/channels/00000000-0000-4000-8000-000000000000")
    assert err.value.response.status_code == 404


def test_an_expired_channel_says_no_longer_subscribed(
    server: LiveServer, notifications: Any
) -> None:
    channel = notifications.post_notifications_channels()
    with connect(channel.connect_uri) as ws:
        _advance(server, 24 * 3600_000)
        messages = _messages(ws, timeout=2)
        assert messages[-1]["topicName"] == "v2.system.no_longer_subscribed"
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)


def test_shutdown_sends_socket_closing() -> None:
    live = LiveServer(conversations=5, world_size="small", start_ms=T0, frozen=True)
    channel = sdk.NotificationsApi(live.sdk_client()).post_notifications_channels()
    with connect(channel.connect_uri) as ws:
        live.stop()
        assert json.loads(ws.recv(timeout=5))["topicName"] == "v2.system.socket_closing"
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)


def test_a_consumer_that_falls_behind_is_cut_off(server: LiveServer, notifications: Any) -> None:
    hub = server.state.notifications
    channel = notifications.post_notifications_channels()
    big = b'{"topicName":"x","eventBody":{"message":"' + b"y" * 10_000 + b'"}}'
    with connect(channel.connect_uri, max_queue=1) as ws:
        live = hub.get(channel.id)
        assert live is not None
        for _ in range(100_000):  # the client reads nothing: its socket fills, then the buffer
            live.put(big)
            if live.overflowed:
                break
        assert live.overflowed
        with pytest.raises(ConnectionClosed) as err:
            while True:
                ws.recv(timeout=10)
    assert err.value.rcvd is not None and err.value.rcvd.code == 1008


def test_revoking_the_token_sends_token_revoked(server: LiveServer) -> None:
    client = server.sdk_client()
    channel = sdk.NotificationsApi(client).post_notifications_channels()
    with connect(channel.connect_uri) as ws:
        sdk.TokensApi(client).delete_tokens_me()
        assert json.loads(ws.recv(timeout=5))["topicName"] == "v2.system.token_revoked"
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)
    with pytest.raises(sdk.rest.ApiException) as err:
        sdk.NotificationsApi(client).get_notifications_channels()
    assert err.value.status == 401
