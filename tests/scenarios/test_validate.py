"""Tests of the JSON invariant checker, on hand-written conversations modelled on real payloads.

Each valid fixture must pass with zero violations; each broken variant changes one thing and must
report exactly one rule id, so a rule that fires too eagerly shows up as well as one that is silent.
"""

from __future__ import annotations

import copy
import gzip
import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gcmock.scenarios.validate.checker import validate
from gcmock.scenarios.validate.dataset import DatasetValidator, iter_conversations, validate_file
from gcmock.scenarios.validate.rules import RULES, Violation

Json = dict[str, Any]

CONV = "be9d3155-c3b6-4a6c-8ff1-5c48b4585135"
CUSTOMER = "25a4edc4-0d4e-4c55-9b1a-6f0d3b2f8a01"
IVR = "dd86d2a2-5b9c-4e2a-8c1d-2a7e9f4b6c02"
ACD = "c9495cab-7f3e-4d8a-b6a1-3c5d8e9f0a03"
AGENT1 = "87c56eff-1a2b-4c3d-8e4f-5a6b7c8d9e04"
AGENT2 = "27f19593-2b3c-4d4e-9f5a-6b7c8d9e0f05"
AGENT3 = "c3e76598-3c4d-4e5f-a06b-7c8d9e0f1a06"
QUEUE = "67ce2258-4d5e-4f60-b17c-8d9e0f1a2b07"
USER = "5f6fe78e-5e6f-4071-828d-9e0f1a2b3c08"
CONTACT = "eb1f3a2e-6f70-4182-939e-0f1a2b3c4d09"
CUSTOMER_CALL = "bb481cce-7081-4293-a4af-1a2b3c4d5e10"
WRAPUP_CODE = "560d87d0-8192-43a4-b5b0-2b3c4d5e6f11"
DIVISION = "0b4c5d6e-9a8b-47c6-b5d4-e3f2a1b0c912"
CHAT_QUEUE = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c13"
WORLD_IDS = {QUEUE, CHAT_QUEUE, USER, CONTACT, WRAPUP_CODE, DIVISION}
"""Ids of the org (users, queues, ...) that legitimately recur across conversations."""

QUEUE_REF = {"id": QUEUE, "selfUri": f"/api/v2/routing/queues/{QUEUE}"}
USER_REF = {"id": USER, "selfUri": f"/api/v2/users/{USER}"}
IVR_ADDRESS = "sip:feca3d09-2e84-495c-be29-6a33285d455d@127.0.0.1;language=en-US;user=ivr"
ACD_ADDRESS = f"sip:{QUEUE}@127.0.0.1;language=en-US;user=acd"
STATION = (
    "sip:5f2885408f05c815b2b570e8+nmoritzdev.orgspan.com;tgrp=04b04117-2d0e-4f5e-8a4b-"
    "1f2e3d4c5b6a;trunk-context=nmoritzdev@localhost"
)
AGENT_ANI = "sip:+18125841533@10.87.26.159;user=phone"


def ts(clock: str) -> str:
    """A §8.2 timestamp from its ``HH:MM:SS.mmm`` part."""
    return f"2022-12-13T{clock}Z"


def flat_agent(pid: str, start: str, end: str, disconnect: str) -> Json:
    """An agent offer of the §8.2 call in the flattened shape."""
    return {
        "id": pid,
        "address": STATION,
        "startTime": ts(start),
        "startAlertingTime": ts(start),
        "endTime": ts(end),
        "purpose": "agent",
        "state": "terminated",
        "direction": "inbound",
        "disconnectType": disconnect,
        "held": False,
        "wrapupRequired": False,
        "wrapupPrompt": "timeout",
        "user": dict(USER_REF),
        "queue": dict(QUEUE_REF),
        "attributes": {},
        "wrapupTimeoutMs": 120000,
        "alertingTimeoutMs": 8000,
        "provider": "Edge",
        "peer": CUSTOMER_CALL,
        "muted": False,
        "confined": False,
        "recording": False,
        "recordingState": "none",
        "ani": AGENT_ANI,
        "dnis": "sip:5f2885408f05c815b2b570e8@localhost",
    }


def flat_call() -> Json:
    """The REAL inbound ACD call of genesys-api.md §8.2 (``GET /conversations/calls/{id}``)."""
    answered = flat_agent(AGENT3, "13:14:21.083", "13:14:47.101", "peer")
    answered.update(
        connectedTime=ts("13:14:23.200"),
        wrapupRequired=True,
        errorInfo={
            "message": "session is inactive for command cloud.command.disconnect",
            "code": "error.ininedgecontrol.session.inactive",
        },
        wrapup={
            "code": WRAPUP_CODE,
            "notes": "",
            "tags": [],
            "durationSeconds": 14,
            "endTime": ts("13:15:01.321"),
        },
        startAcwTime=ts("13:14:47.101"),
        endAcwTime=ts("13:15:01.321"),
    )
    return {
        "id": CONV,
        "participants": [
            {
                "id": CUSTOMER,
                "name": "Lawrenceburg IN",
                "address": "tel:+18125841533",
                "startTime": ts("13:14:02.857"),
                "connectedTime": ts("13:14:03.071"),
                "endTime": ts("13:14:47.084"),
                "purpose": "customer",
                "state": "terminated",
                "direction": "inbound",
                "disconnectType": "endpoint",
                "held": False,
                "wrapupRequired": False,
                "queue": dict(QUEUE_REF),
                "attributes": {},
                "provider": "Edge",
                "externalContact": {
                    "id": CONTACT,
                    "selfUri": f"/api/v2/externalcontacts/contacts/{CONTACT}",
                },
                "muted": False,
                "confined": False,
                "recording": False,
                "recordingState": "none",
                "ani": "tel:+18125841533",
                "dnis": "tel:+13129718321",
            },
            {
                "id": IVR,
                "name": "Chicago IL",
                "address": IVR_ADDRESS,
                "startTime": ts("13:14:02.920"),
                "connectedTime": ts("13:14:02.978"),
                "endTime": ts("13:14:10.381"),
                "purpose": "ivr",
                "state": "terminated",
                "direction": "inbound",
                "disconnectType": "transfer",
                "held": False,
                "wrapupRequired": False,
                "attributes": {},
                "provider": "Edge",
                "peer": CUSTOMER_CALL,
                "ani": "tel:+18125841533",
                "dnis": IVR_ADDRESS,
            },
            {
                "id": ACD,
                "name": "Helpdesk",
                "address": ACD_ADDRESS,
                "startTime": ts("13:14:10.401"),
                "connectedTime": ts("13:14:10.469"),
                "endTime": ts("13:14:23.251"),
                "purpose": "acd",
                "state": "terminated",
                "direction": "inbound",
                "disconnectType": "transfer",
                "held": False,
                "wrapupRequired": False,
                "queue": dict(QUEUE_REF),
                "attributes": {},
                "provider": "Edge",
                "peer": CUSTOMER_CALL,
                "conversationRoutingData": {
                    "queue": dict(QUEUE_REF),
                    "priority": 0,
                    "skills": [],
                    "scoredAgents": [],
                },
                "ani": "tel:+18125841533",
                "dnis": ACD_ADDRESS,
            },
            flat_agent(AGENT1, "13:14:10.715", "13:14:12.806", "client"),
            flat_agent(AGENT2, "13:14:16.570", "13:14:19.062", "client"),
            answered,
        ],
        "otherMediaUris": [],
        "recordingState": "none",
        "selfUri": f"/api/v2/conversations/calls/{CONV}",
    }


def segment(start: str, end: str | None, kind: str, how: str, disconnect: str | None) -> Json:
    seg = {"startTime": ts(start), "type": kind, "howEnded": how}
    if end is not None:
        seg["endTime"] = ts(end)
    if disconnect is not None:
        seg["disconnectType"] = disconnect
    return seg


def media_arrays(**media: list[Json]) -> Json:
    """Every media array of a nested participant, empty unless given."""
    arrays: Json = {
        key: []
        for key in (
            "calls",
            "callbacks",
            "chats",
            "cobrowsesessions",
            "emails",
            "messages",
            "screenshares",
            "socialExpressions",
            "videos",
        )
    }
    arrays.update(media)
    return arrays


def nested_call() -> Json:
    """The §8.2 call in the nested ``Conversation`` shape, with per-call detail and segments."""
    flat = flat_call()
    customer, ivr, acd, agent1, agent2, agent3 = flat["participants"]
    call_ids = [
        CUSTOMER_CALL,
        "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e21",
        "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f22",
        "3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a23",
        "4f5a6b7c-8d9e-4f0a-9b2c-3d4e5f6a7b24",
        "5a6b7c8d-9e0f-4a1b-8c3d-4e5f6a7b8c25",
    ]
    timing = [
        (
            None,
            "13:14:03.071",
            "13:14:47.084",
            "endpoint",
            [segment("13:14:02.857", "13:14:47.084", "Interact", "Disconnect", "endpoint")],
        ),
        (
            None,
            "13:14:02.978",
            "13:14:10.381",
            "transfer",
            [segment("13:14:02.978", "13:14:10.381", "Interact", "Disconnect", "transfer")],
        ),
        (
            None,
            "13:14:10.469",
            "13:14:23.251",
            "transfer",
            [segment("13:14:10.469", "13:14:23.251", "Interact", "Disconnect", "transfer")],
        ),
        (
            "13:14:10.715",
            None,
            "13:14:12.806",
            "client",
            [segment("13:14:10.715", "13:14:12.806", "Alert", "Disconnect", "client")],
        ),
        (
            "13:14:16.570",
            None,
            "13:14:19.062",
            "client",
            [segment("13:14:16.570", "13:14:19.062", "Alert", "Disconnect", "client")],
        ),
        (
            "13:14:21.083",
            "13:14:23.200",
            "13:14:47.101",
            "peer",
            [
                segment("13:14:21.083", "13:14:23.200", "Alert", "Interact", None),
                segment("13:14:23.200", "13:14:47.101", "Interact", "Disconnect", "peer"),
            ],
        ),
    ]
    participants = []
    for index, (p, call_id, (alert, connect, end, disconnect, segs)) in enumerate(
        zip((customer, ivr, acd, agent1, agent2, agent3), call_ids, timing, strict=True)
    ):
        call: Json = {
            "state": "terminated",
            "id": call_id,
            "direction": "inbound",
            "recording": False,
            "recordingState": "none",
            "muted": False,
            "confined": False,
            "held": False,
            "segments": segs,
            "disconnectType": disconnect,
            "disconnectedTime": ts(end),
            "provider": "Edge",
        }
        if alert is not None:
            call.update(startAlertingTime=ts(alert), initialState="alerting")
        if connect is not None:
            call["connectedTime"] = ts(connect)
        if index:
            call["peerId"] = CUSTOMER_CALL
        nested = {
            key: value
            for key, value in p.items()
            if key
            in {
                "id",
                "name",
                "address",
                "startTime",
                "connectedTime",
                "endTime",
                "purpose",
                "wrapupRequired",
                "wrapupPrompt",
                "attributes",
                "wrapupTimeoutMs",
                "alertingTimeoutMs",
                "conversationRoutingData",
                "wrapup",
                "startAcwTime",
                "endAcwTime",
                "ani",
                "dnis",
            }
        }
        if "queue" in p:
            nested.update(queueId=QUEUE, queueName="Helpdesk")
        if "user" in p:
            nested.update(userId=USER, userUri=f"/api/v2/users/{USER}")
        if "externalContact" in p:
            nested["externalContactId"] = CONTACT
        nested.update(media_arrays(calls=[call]))
        participants.append(nested)
    return {
        "id": CONV,
        "startTime": ts("13:14:02.857"),
        "endTime": ts("13:14:47.101"),
        "address": "tel:+13129718321",
        "participants": participants,
        "recordingState": "NONE",
        "divisions": [
            {
                "division": {
                    "id": DIVISION,
                    "name": "Home",
                    "selfUri": f"/api/v2/authorization/divisions/{DIVISION}",
                },
                "entities": [dict(QUEUE_REF), dict(USER_REF)],
            }
        ],
        "selfUri": f"/api/v2/conversations/{CONV}",
    }


CHAT_CONV = "7d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f31"
CHAT_CUSTOMER = "8e2f3a4b-5c6d-4e7f-9a8b-9c0d1e2f3a32"
CHAT_ACD = "9f3a4b5c-6d7e-4f8a-8b9c-0d1e2f3a4b33"
CHAT_AGENT = "a04b5c6d-7e8f-4a9b-9c0d-1e2f3a4b5c34"
CHAT_IDS = (
    "b15c6d7e-8f9a-4b0c-8d1e-2f3a4b5c6d35",
    "c26d7e8f-9a0b-4c1d-9e2f-3a4b5c6d7e36",
    "d37e8f9a-0b1c-4d2e-8f3a-4b5c6d7e8f37",
)


def chat_ts(clock: str) -> str:
    return f"2021-01-20T{clock}Z"


def chat_leg(chat_id: str, start: str, connect: str, end: str, disconnect: str) -> Json:
    return {
        "state": "disconnected",
        "id": chat_id,
        "segments": [
            {
                "startTime": chat_ts(start),
                "endTime": chat_ts(end),
                "type": "Interact",
                "howEnded": "Disconnect",
                "disconnectType": disconnect,
            }
        ],
        "held": False,
        "direction": "inbound",
        "disconnectType": disconnect,
        "connectedTime": chat_ts(connect),
        "disconnectedTime": chat_ts(end),
        "provider": "PureCloud Webchat v2",
        "afterCallWorkRequired": False,
    }


def chat() -> Json:
    """The REAL web chat of genesys-api.md §8.4, completed with its acd and agent legs."""
    customer_chat = chat_leg(CHAT_IDS[0], "09:25:34.532", "09:25:34.539", "09:32:02.388", "peer")
    acd_chat = chat_leg(CHAT_IDS[1], "09:25:34.601", "09:25:34.640", "09:25:41.120", "transfer")
    agent_chat = chat_leg(CHAT_IDS[2], "09:25:41.050", "09:25:41.100", "09:32:02.410", "client")
    agent_chat["segments"] = [
        {
            "startTime": chat_ts("09:25:41.050"),
            "endTime": chat_ts("09:25:41.100"),
            "type": "Alert",
            "howEnded": "Interact",
        },
        {
            "startTime": chat_ts("09:25:41.100"),
            "endTime": chat_ts("09:32:02.410"),
            "type": "Interact",
            "howEnded": "Disconnect",
            "disconnectType": "client",
        },
    ]
    agent_chat.update(startAlertingTime=chat_ts("09:25:41.050"), peerId=CHAT_IDS[0])
    acd_chat["peerId"] = CHAT_IDS[0]
    return {
        "id": CHAT_CONV,
        "startTime": chat_ts("09:25:34.532"),
        "endTime": chat_ts("09:32:03.940"),
        "participants": [
            {
                "id": CHAT_CUSTOMER,
                "startTime": chat_ts("09:25:34.532"),
                "endTime": chat_ts("09:32:02.388"),
                # REAL: 7 ms before its chat's connectedTime (different clocks).
                "connectedTime": chat_ts("09:25:34.532"),
                "name": "Blanche Stokes",
                "queueId": CHAT_QUEUE,
                "queueName": "CXService",
                "purpose": "customer",
                "wrapupRequired": False,
                "attributes": {
                    "context.email": "customer.email@domain.com",
                    "context.firstName": "Blanche",
                    "context._genesys_source": "web",
                    "context.lastSeenTime": "yesterday",
                },
                **media_arrays(chats=[customer_chat]),
            },
            {
                "id": CHAT_ACD,
                "startTime": chat_ts("09:25:34.601"),
                "endTime": chat_ts("09:25:41.120"),
                "connectedTime": chat_ts("09:25:34.640"),
                "name": "CXService",
                "queueId": CHAT_QUEUE,
                "queueName": "CXService",
                "purpose": "acd",
                "wrapupRequired": False,
                **media_arrays(chats=[acd_chat]),
            },
            {
                "id": CHAT_AGENT,
                "startTime": chat_ts("09:25:41.050"),
                "endTime": chat_ts("09:32:02.410"),
                "connectedTime": chat_ts("09:25:41.100"),
                "name": "Ava Smith",
                "userId": USER,
                "userUri": f"/api/v2/users/{USER}",
                "queueId": CHAT_QUEUE,
                "queueName": "CXService",
                "purpose": "agent",
                "wrapupRequired": True,
                "wrapupPrompt": "mandatory",
                "wrapup": {
                    "code": WRAPUP_CODE,
                    "name": "Resolved",
                    "notes": "",
                    "tags": [],
                    "durationSeconds": 1,
                    "endTime": chat_ts("09:32:03.940"),
                },
                "startAcwTime": chat_ts("09:32:02.410"),
                "endAcwTime": chat_ts("09:32:03.940"),
                **media_arrays(chats=[agent_chat]),
            },
        ],
        "recordingState": "NONE",
        "selfUri": f"/api/v2/conversations/{CHAT_CONV}",
    }


CB_CONV = "e48f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a41"
CB_CUSTOMER = "f59a0b1c-2d3e-4f4a-8b5c-6d7e8f9a0b42"
CB_ACD = "06ab1c2d-3e4f-4a5b-9c6d-7e8f9a0b1c43"
CB_AGENT1 = "17bc2d3e-4f5a-4b6c-8d7e-8f9a0b1c2d44"
CB_AGENT2 = "28cd3e4f-5a6b-4c7d-9e8f-9a0b1c2d3e45"
CB_IDS = (
    "39de4f5a-6b7c-4d8e-8f9a-0b1c2d3e4f46",
    "4aef5a6b-7c8d-4e9f-9a0b-1c2d3e4f5a47",
    "5bf06b7c-8d9e-4f0a-8b1c-2d3e4f5a6b48",
    "6c017c8d-9e0f-4a1b-9c2d-3e4f5a6b7c49",
)
SCRIPT = "7d128d9e-0f1a-4b2c-8d3e-4f5a6b7c8d50"


def cb_ts(clock: str) -> str:
    return f"2022-07-04T{clock}Z"


def callback_fields() -> Json:
    return {
        "direction": "outbound",
        "held": False,
        "callbackNumbers": ["+905394826532"],
        "callbackUserName": "Ayse Yilmaz",
        "scriptId": SCRIPT,
        "externalCampaign": False,
        "skipEnabled": True,
        "timeoutSeconds": 0,
        "callbackScheduledTime": "2022-07-04T11:00:00Z",
        "provider": "PureCloud Callback",
        "callerId": "+4969123456789",
        "callerIdName": "Helpdesk",
    }


def callback() -> Json:
    """The callback of genesys-api.md §8.5: still active, one agent timed out, one connected."""
    agent_fields = {
        "userId": USER,
        "userUri": f"/api/v2/users/{USER}",
        "queueId": QUEUE,
        "queueName": "Helpdesk",
        "name": "Ava Smith",
        "purpose": "agent",
        "wrapupPrompt": "optional",
        "alertingTimeoutMs": 30000,
    }
    return {
        "id": CB_CONV,
        "startTime": cb_ts("10:02:11.512"),
        "participants": [
            {
                "id": CB_CUSTOMER,
                "startTime": cb_ts("10:02:11.512"),
                "connectedTime": cb_ts("11:00:35.000"),
                "name": "Ayse Yilmaz",
                "queueId": QUEUE,
                "queueName": "Helpdesk",
                "purpose": "customer",
                "wrapupRequired": False,
                **media_arrays(
                    callbacks=[
                        {
                            "state": "connected",
                            "initialState": "scheduled",
                            "id": CB_IDS[0],
                            "segments": [
                                {
                                    "startTime": cb_ts("10:02:11.512"),
                                    "endTime": cb_ts("11:00:35.000"),
                                    "type": "Scheduled",
                                    "howEnded": "Interact",
                                },
                                {
                                    "startTime": cb_ts("11:00:35.000"),
                                    "type": "Interact",
                                    "howEnded": "Disconnect",
                                },
                            ],
                            "connectedTime": cb_ts("11:00:35.000"),
                            **callback_fields(),
                        }
                    ]
                ),
            },
            {
                "id": CB_ACD,
                "startTime": cb_ts("10:02:11.600"),
                "connectedTime": cb_ts("10:02:11.650"),
                "endTime": cb_ts("11:00:35.051"),
                "name": "Helpdesk",
                "queueId": QUEUE,
                "queueName": "Helpdesk",
                "purpose": "acd",
                "wrapupRequired": False,
                "conversationRoutingData": {
                    "queue": dict(QUEUE_REF),
                    "priority": 0,
                    "skills": [],
                    "scoredAgents": [],
                },
                **media_arrays(
                    callbacks=[
                        {
                            "state": "disconnected",
                            "id": CB_IDS[1],
                            "peerId": CB_IDS[0],
                            "segments": [
                                {
                                    "startTime": cb_ts("10:02:11.650"),
                                    "endTime": cb_ts("11:00:35.051"),
                                    "type": "Interact",
                                    "howEnded": "Disconnect",
                                    "disconnectType": "transfer",
                                }
                            ],
                            "disconnectType": "transfer",
                            "connectedTime": cb_ts("10:02:11.650"),
                            "disconnectedTime": cb_ts("11:00:35.051"),
                            **callback_fields(),
                        }
                    ]
                ),
            },
            {
                "id": CB_AGENT1,
                "startTime": cb_ts("11:00:00.100"),
                "endTime": cb_ts("11:00:30.100"),
                "wrapupRequired": False,
                **agent_fields,
                **media_arrays(
                    callbacks=[
                        {
                            "state": "disconnected",
                            "initialState": "alerting",
                            "id": CB_IDS[2],
                            "peerId": CB_IDS[0],
                            "segments": [
                                {
                                    "startTime": cb_ts("11:00:00.100"),
                                    "endTime": cb_ts("11:00:30.100"),
                                    "type": "Alert",
                                    "howEnded": "Disconnect",
                                    "disconnectType": "system",
                                }
                            ],
                            "disconnectType": "system",
                            "startAlertingTime": cb_ts("11:00:00.100"),
                            "disconnectedTime": cb_ts("11:00:30.100"),
                            **callback_fields(),
                        }
                    ]
                ),
            },
            {
                "id": CB_AGENT2,
                "startTime": cb_ts("11:00:30.200"),
                "connectedTime": cb_ts("11:00:35.000"),
                "wrapupRequired": True,
                **agent_fields,
                **media_arrays(
                    callbacks=[
                        {
                            "state": "connected",
                            "initialState": "alerting",
                            "id": CB_IDS[3],
                            "peerId": CB_IDS[0],
                            "segments": [
                                {
                                    "startTime": cb_ts("11:00:30.200"),
                                    "endTime": cb_ts("11:00:35.000"),
                                    "type": "Alert",
                                    "howEnded": "Interact",
                                },
                                {"startTime": cb_ts("11:00:35.000"), "type": "Interact"},
                            ],
                            "startAlertingTime": cb_ts("11:00:30.200"),
                            "connectedTime": cb_ts("11:00:35.000"),
                            **callback_fields(),
                        }
                    ]
                ),
            },
        ],
        "recordingState": "NONE",
        "selfUri": f"/api/v2/conversations/{CB_CONV}",
    }


def message() -> Json:
    """A small web-messaging conversation (customer and agent), ended."""
    customer_msg, agent_msg = (
        "8e239fa0-1b2c-4d3e-8f4a-5b6c7d8e9f51",
        "9f34a0b1-2c3d-4e4f-9a5b-6c7d8e9f0a52",
    )

    def leg(msg_id: str, connect: str, end: str, disconnect: str) -> Json:
        return {
            "state": "disconnected",
            "id": msg_id,
            "held": False,
            "segments": [
                {
                    "startTime": cb_ts(connect),
                    "endTime": cb_ts(end),
                    "type": "Interact",
                    "howEnded": "Disconnect",
                    "disconnectType": disconnect,
                }
            ],
            "direction": "inbound",
            "disconnectType": disconnect,
            "connectedTime": cb_ts(connect),
            "disconnectedTime": cb_ts(end),
            "provider": "PureCloud Messaging",
            "type": "webmessaging",
        }

    agent_leg = leg(agent_msg, "14:00:05.000", "14:06:00.020", "peer")
    agent_leg["peerId"] = customer_msg
    return {
        "id": "a045b1c2-3d4e-4f5a-8b6c-7d8e9f0a1b53",
        "startTime": cb_ts("14:00:00.000"),
        "endTime": cb_ts("14:06:00.020"),
        "participants": [
            {
                "id": "b156c2d3-4e5f-4a6b-9c7d-8e9f0a1b2c54",
                "startTime": cb_ts("14:00:00.000"),
                "connectedTime": cb_ts("14:00:00.000"),
                "endTime": cb_ts("14:06:00.000"),
                "purpose": "customer",
                **media_arrays(
                    messages=[leg(customer_msg, "14:00:00.000", "14:06:00.000", "client")]
                ),
            },
            {
                "id": "c267d3e4-5f6a-4b7c-8d8e-9f0a1b2c3d55",
                "startTime": cb_ts("14:00:04.000"),
                "connectedTime": cb_ts("14:00:05.000"),
                "endTime": cb_ts("14:06:00.020"),
                "userId": USER,
                "userUri": f"/api/v2/users/{USER}",
                "purpose": "agent",
                **media_arrays(messages=[agent_leg]),
            },
        ],
        "recordingState": "NONE",
        "selfUri": "/api/v2/conversations/a045b1c2-3d4e-4f5a-8b6c-7d8e9f0a1b53",
    }


FIXTURES: dict[str, Callable[[], Json]] = {
    "flat": flat_call,
    "nested": nested_call,
    "chat": chat,
    "callback": callback,
    "message": message,
}


def rules(conversation: Json, **kwargs: Any) -> set[str]:
    return {violation.rule for violation in validate(conversation, **kwargs)}


def by_id(conversation: Json, pid: str) -> Json:
    return next(p for p in conversation["participants"] if p["id"] == pid)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_valid_fixture_has_no_violations(name: str) -> None:
    assert validate(FIXTURES[name]()) == []


# Each case: rule expected, fixture, mutation. The mutation breaks exactly that one rule.
Mutation = Callable[[Json], None]


def _flat(pid: str, **changes: Any) -> Mutation:
    def mutate(conv: Json) -> None:
        by_id(conv, pid).update(changes)

    return mutate


def _call(pid: str, **changes: Any) -> Mutation:
    def mutate(conv: Json) -> None:
        by_id(conv, pid)["calls"][0].update(changes)

    return mutate


def _swap_agents(conv: Json) -> None:
    people = conv["participants"]
    people[3], people[4] = people[4], people[3]


def _drop(pid: str, *keys: str) -> Mutation:
    def mutate(conv: Json) -> None:
        for key in keys:
            del by_id(conv, pid)[key]

    return mutate


def _set_conv(**changes: Any) -> Mutation:
    def mutate(conv: Json) -> None:
        conv.update(changes)

    return mutate


def _overlap_segments(conv: Json) -> None:
    by_id(conv, AGENT3)["calls"][0]["segments"][1]["startTime"] = ts("13:14:23.100")


def _interact_unconnected(conv: Json) -> None:
    by_id(conv, AGENT1)["calls"][0]["segments"][0]["type"] = "Interact"


def _wrapup(pid: str, **changes: Any) -> Mutation:
    def mutate(conv: Json) -> None:
        by_id(conv, pid)["wrapup"].update(changes)

    return mutate


def _callback(pid: str, **changes: Any) -> Mutation:
    def mutate(conv: Json) -> None:
        by_id(conv, pid)["callbacks"][0].update(changes)

    return mutate


def _queue_names(conv: Json) -> None:
    by_id(conv, ACD)["queue"]["name"] = "Helpdesk"
    by_id(conv, AGENT1)["queue"]["name"] = "Sales"


def _message_type(conv: Json) -> None:
    conv["participants"][0]["messages"][0]["type"] = "pigeon"


def _chat_disconnect(conv: Json) -> None:
    by_id(conv, CHAT_AGENT)["chats"][0]["disconnectType"] = "endpoint.donotdisturb"


OTHER = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
BROKEN: list[tuple[str, str, Mutation]] = [
    ("shape", "nested", _set_conv(participants={})),
    ("json.null", "flat", _flat(CUSTOMER, name=None)),
    ("json.null", "nested", _set_conv(divisions=[{"division": None}])),
    ("field.required", "flat", _drop(CUSTOMER, "startTime")),
    ("field.required", "nested", lambda c: by_id(c, IVR)["calls"][0].pop("id")),
    ("id.format", "flat", _wrapup(AGENT3, code="Resolved")),
    ("id.format", "flat", _flat(IVR, peer=CUSTOMER_CALL.upper())),
    ("id.format", "nested", _flat(CUSTOMER, externalContactId="contact-1")),
    ("id.format", "nested", lambda c: c["divisions"][0]["entities"].append({"id": "home"})),
    ("id.unique", "nested", _call(AGENT2, id="3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a23")),
    ("time.format", "flat", _flat(CUSTOMER, endTime="2022-12-13T13:14:47Z")),
    ("time.format", "nested", _call(IVR, connectedTime="2022-12-13 13:14:02.978")),
    ("time.format", "callback", _callback(CB_CUSTOMER, callbackScheduledTime="2022-07-04")),
    ("times.order", "flat", _flat(CUSTOMER, connectedTime=ts("13:14:50.000"))),
    ("times.acw", "flat", _flat(AGENT1, endAcwTime=ts("13:14:12.806"))),
    ("comm.times", "nested", _call(AGENT1, startAlertingTime=ts("13:14:12.900"))),
    ("comm.times", "flat", _flat(AGENT1, startAlertingTime=ts("13:14:10.000"))),
    ("comm.state", "flat", _flat(CUSTOMER, state="connected")),
    ("comm.state", "nested", lambda c: by_id(c, IVR)["calls"][0].pop("disconnectType")),
    ("hold.state", "callback", _callback(CB_CUSTOMER, held=True)),
    ("hold.state", "callback", _callback(CB_AGENT2, startHoldTime=cb_ts("11:01:00.000"))),
    ("segments.order", "nested", _overlap_segments),
    ("segments.interact", "nested", _interact_unconnected),
    ("participant.connected", "nested", _flat(AGENT3, connectedTime=ts("13:14:23.500"))),
    ("participant.connected", "nested", _drop(AGENT3, "connectedTime")),
    ("participant.end", "nested", _flat(AGENT3, endTime=ts("13:14:47.050"))),
    ("participant.end", "callback", _flat(CB_AGENT2, endTime=cb_ts("11:05:00.000"))),
    ("participants.order", "nested", _swap_agents),
    ("conv.start", "nested", _set_conv(startTime=ts("13:14:02.900"))),
    ("conv.end", "nested", lambda c: c.pop("endTime")),
    ("conv.end", "nested", _set_conv(endTime=ts("13:14:47.090"))),
    ("conv.end", "callback", _set_conv(endTime=cb_ts("12:00:00.000"))),
    ("ref.participant", "flat", _flat(AGENT3, consultParticipantId=OTHER)),
    ("ref.participant", "nested", _flat(AGENT3, coachedParticipantId=OTHER)),
    ("ref.span", "flat", _flat(AGENT3, monitoredParticipantId=AGENT1)),
    ("ref.peer", "nested", _call(IVR, peerId=OTHER)),
    ("name.consistent", "nested", _flat(AGENT1, queueName="Sales")),
    ("name.consistent", "flat", _queue_names),
    ("uri.id", "nested", _flat(AGENT3, userUri=f"/api/v2/users/{OTHER}")),
    ("uri.id", "flat", _flat(ACD, queue={"id": QUEUE, "selfUri": "/api/v2/routing/queues/x"})),
    ("uri.id", "flat", _set_conv(selfUri=f"/api/v2/conversations/{CONV}")),
    ("address.voice", "flat", _flat(CUSTOMER, ani="+18125841533")),
    ("address.voice", "nested", _flat(CUSTOMER, address="18125841533")),
    ("address.voice", "callback", _callback(CB_CUSTOMER, callbackNumbers=["0800-CALL-ME"])),
    ("wrapup.duration", "flat", _wrapup(AGENT3, durationSeconds=20)),
    ("wrapup.endTime", "flat", _wrapup(AGENT3, endTime=ts("13:15:01.000"))),
    ("wrapup.acw", "flat", _drop(AGENT3, "startAcwTime", "endAcwTime")),
    ("wrapup.acw", "flat", _flat(AGENT1, wrapup={"code": WRAPUP_CODE})),
    ("wrapup.required", "flat", _flat(CUSTOMER, wrapupRequired=True)),
    ("enum.state", "flat", _flat(AGENT1, state="finished")),
    ("enum.state", "nested", _call(AGENT1, initialState="ringing")),
    ("enum.disconnectType", "flat", _flat(CUSTOMER, disconnectType="hangup")),
    ("enum.disconnectType", "chat", _chat_disconnect),
    ("enum.direction", "flat", _flat(CUSTOMER, direction="in")),
    ("enum.recordingState", "nested", _set_conv(recordingState="none")),
    ("enum.recordingState", "flat", _set_conv(recordingState="NONE")),
    ("enum.recordingState", "nested", _call(CUSTOMER, recordingState="NONE")),
    ("enum.wrapupPrompt", "flat", _flat(AGENT3, wrapupPrompt="Timeout")),
    ("enum.screenRecordingState", "nested", _flat(AGENT3, screenRecordingState="recording")),
    ("enum.flaggedReason", "nested", _flat(AGENT3, flaggedReason="spam")),
    ("enum.type", "message", _message_type),
]


@pytest.mark.parametrize(
    ("rule", "fixture", "mutate"),
    BROKEN,
    ids=[f"{rule}-{fixture}-{index}" for index, (rule, fixture, _) in enumerate(BROKEN)],
)
def test_each_rule_is_reported_alone(rule: str, fixture: str, mutate: Mutation) -> None:
    conversation = FIXTURES[fixture]()
    mutate(conversation)
    assert rules(conversation) == {rule}
    assert rule in RULES


def test_every_single_conversation_rule_has_a_breaking_case() -> None:
    dataset_only = {"json.parse", "dataset.id", "dataset.name"}
    assert {rule for rule, _, _ in BROKEN} == set(RULES) - dataset_only


def test_violation_names_conversation_participant_and_rule() -> None:
    conversation = flat_call()
    _flat(CUSTOMER, connectedTime=ts("13:14:50.000"))(conversation)
    [violation] = validate(conversation)
    assert violation.conversation_id == CONV
    assert violation.participant_id == CUSTOMER
    assert str(violation) == (
        f"conv {CONV} participant {CUSTOMER} [times.order] endTime 2022-12-13T13:14:47.084Z is "
        "before connectedTime 2022-12-13T13:14:50.000Z"
    )
    assert str(Violation("", None, "shape", "x")) == "conv ? [shape] x"


def test_null_is_reported_with_its_path() -> None:
    conversation = nested_call()
    by_id(conversation, AGENT3)["calls"][0]["segments"][1]["howEnded"] = None
    [violation] = validate(conversation)
    assert violation.message == "participants[5].calls[0].segments[1].howEnded is null"


def test_skew_bounds_the_real_clock_difference() -> None:
    """The REAL chat participant connects 7 ms before its chat: fine by default, not at 0 ms."""
    assert rules(chat(), skew_ms=0) == {"participant.connected"}


def test_attributes_are_free_text_even_when_named_like_times() -> None:
    conversation = chat()
    conversation["participants"][0]["attributes"]["context.callbackTime"] = "tomorrow at 9"
    assert validate(conversation) == []


def test_system_wrapup_code_is_not_a_uuid() -> None:
    conversation = flat_call()
    _wrapup(AGENT3, code="ININ-WRAP-UP-TIMEOUT", name="ININ-WRAP-UP-TIMEOUT")(conversation)
    assert validate(conversation) == []


def test_wrapup_entered_during_the_call_needs_no_acw() -> None:
    conversation = callback()
    by_id(conversation, CB_AGENT2)["wrapup"] = {"code": WRAPUP_CODE, "notes": "", "tags": []}
    assert validate(conversation) == []


SUPERVISOR = "d378e4f5-6a7b-4c8d-9e9f-0a1b2c3d4e66"


def monitored_call(end: str) -> Json:
    """The §8.2 call with a supervisor monitoring the answering agent."""
    conversation = flat_call()
    supervisor = flat_agent(SUPERVISOR, "13:14:30.000", end, "peer")
    supervisor.update(
        purpose="user",
        connectedTime=ts("13:14:30.100"),
        monitoredParticipantId=AGENT3,
        mediaRoles=["monitor"],
    )
    del supervisor["wrapupPrompt"]
    conversation["participants"].append(supervisor)
    return conversation


def test_monitor_inside_its_target_span_passes() -> None:
    assert validate(monitored_call("13:14:47.120")) == []


def test_monitor_outliving_its_target_breaks_ref_span() -> None:
    assert rules(monitored_call("13:14:49.000")) == {"ref.span"}


def test_still_active_participant_allows_missing_conversation_end() -> None:
    conversation = nested_call()
    del conversation["endTime"]
    agent = by_id(conversation, AGENT3)
    for key in ("endTime", "startAcwTime", "endAcwTime", "wrapup"):
        del agent[key]
    call = agent["calls"][0]
    for key in ("disconnectType", "disconnectedTime"):
        del call[key]
    call["state"] = "connected"
    del call["segments"][1]["endTime"]
    assert validate(conversation) == []


def test_garbage_values_are_reported_not_raised() -> None:
    conversation = flat_call()
    conversation["participants"][0].update(state=["x"], purpose={"a": 1}, startTime=5)
    conversation["participants"].append("nobody")
    found = rules(conversation)
    assert {"enum.state", "time.format", "shape"} <= found
    assert validate([]) == [Violation("", None, "shape", "a conversation must be a JSON object")]  # type: ignore[arg-type]


# -- dataset rules and files -----------------------------------------------------------------------

_UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def fresh_ids(conversation: Json) -> Json:
    """A copy with new conversation, participant and communication ids (org ids kept)."""
    mapping: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        old = match.group(0)
        if old in WORLD_IDS:
            return old
        return mapping.setdefault(old, str(uuid.uuid4()))

    copied: Json = json.loads(_UUID_TEXT.sub(swap, json.dumps(conversation)))
    return copied


def test_dataset_accepts_distinct_conversations_sharing_org_ids() -> None:
    dataset = DatasetValidator()
    for conversation in (flat_call(), fresh_ids(flat_call()), chat(), callback(), message()):
        assert dataset.add(conversation) == []
    assert dataset.conversations == 5
    assert dataset.violations == []


def test_dataset_reports_reused_ids() -> None:
    dataset = DatasetValidator()
    dataset.add(nested_call())
    again = copy.deepcopy(nested_call())
    found = dataset.add(again)
    assert {v.rule for v in found} == {"dataset.id"}
    assert len(found) == 1 + 6 + 6  # conversation, participants, calls
    assert dataset.violations == found


def test_dataset_reports_a_renamed_user_and_queue() -> None:
    dataset = DatasetValidator()
    dataset.add(chat())
    renamed = fresh_ids(callback())
    for p in renamed["participants"]:
        p.update(queueId=CHAT_QUEUE, queueName="Sales")
    renamed["participants"][1]["conversationRoutingData"]["queue"] = {"id": CHAT_QUEUE}
    renamed["participants"][2]["name"] = renamed["participants"][3]["name"] = "Ava Smyth"
    found = dataset.add(renamed)
    # The chat calls the queue "CXService" and the user "Ava Smith".
    assert {v.rule for v in found} == {"dataset.name"}
    assert {v.message.split(" is named")[0] for v in found} == {
        f"queue {CHAT_QUEUE}",
        f"user {USER}",
    }


def test_validate_file_reads_every_layout(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text(json.dumps(chat()))
    listing = tmp_path / "page.json"
    listing.write_text(json.dumps({"entities": [flat_call(), callback()], "pageSize": 2}))
    lines = tmp_path / "many.ndjson.gz"
    with gzip.open(lines, "wt") as stream:
        stream.write(json.dumps(message()) + "\n\n" + json.dumps(fresh_ids(chat())) + "\n")
    plain = tmp_path / "list.jsonl"
    plain.write_text(json.dumps(nested_call()) + "\n")
    for path, count in ((single, 1), (listing, 2), (lines, 2), (plain, 1)):
        assert list(validate_file(path)) == []
        assert len(list(iter_conversations(path))) == count


def test_validate_file_reports_parse_errors_and_dataset_rules(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(chat()) + "\n{not json\n" + json.dumps(chat()) + "\n")
    found = list(validate_file(path))
    assert found[0].rule == "json.parse"
    assert found[0].conversation_id == "<line 2>"
    assert {v.rule for v in found[1:]} == {"dataset.id"}
    bad = tmp_path / "bad.json"
    bad.write_text("[")
    assert [v.rule for v in validate_file(bad)] == ["json.parse"]
    scalar = tmp_path / "scalar.json"
    scalar.write_text("[3]")
    assert [v.rule for v in validate_file(scalar)] == ["shape"]
