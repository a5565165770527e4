"""Addresses: one normalisation for every operation that names a number, and legs rung out to
an address in a state their media has."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcmock.scenarios import Conversation, EngineError, build_world, validate
from gcmock.scenarios.engine import autopilot, routing, transfer
from gcmock.scenarios.engine.addresses import normalise_address
from gcmock.scenarios.engine.legs import MEDIA_STATES
from gcmock.scenarios.views.projection import to_conversation_json

WORLD = build_world(0, "small", "en_US")
VOICE = re.compile(r"tel:\+[1-9][0-9]{6,14}|sip:\S+")


@pytest.mark.parametrize(
    ("given_", "stored"),
    [
        ("+14155550100", "tel:+14155550100"),
        ("tel:+14155550100", "tel:+14155550100"),
        ("TEL:+1 (415) 555-0100", "tel:+14155550100"),
        (" +44.20.7946.0958 ", "tel:+442079460958"),
        ("sip:alice@example.com", "sip:alice@example.com"),
        ("SIP:+14155550100@10.0.0.1;user=phone", "sip:+14155550100@10.0.0.1;user=phone"),
    ],
)
def test_what_the_platform_accepts_is_normalised(given_: str, stored: str) -> None:
    assert normalise_address(given_) == stored


@pytest.mark.parametrize(
    "junk",
    [
        "¤",
        "abc",
        "",
        "tel:",
        "tel:tel:+14155550100",
        "+0123456789",
        "14155550100",
        "+1234",
        "sip:",
        "sip:a b",
        "sip:¤",
        "mailto:a@b.c",
        "+1415555010012345",
    ],
)
def test_anything_else_is_refused_naming_the_field(junk: str) -> None:
    with pytest.raises(EngineError) as err:
        normalise_address(junk, "phoneNumber")
    assert err.value.status == 400 and err.value.field == "phoneNumber"


def test_a_callback_number_must_be_a_phone_number() -> None:
    with pytest.raises(EngineError):
        normalise_address("sip:alice@example.com", "number", sip=False)


@settings(deadline=None)  # a regex per example: a loaded machine stalls one past 200 ms
@given(st.text(max_size=40) | st.from_regex(r"(tel:)?\+[0-9 ().-]{5,20}", fullmatch=True))
def test_normalised_addresses_pass_the_checker_and_are_fixed_points(text: str) -> None:
    try:
        address = normalise_address(text)
    except EngineError as err:
        assert err.status == 400 and err.field == "address"
        return
    assert VOICE.fullmatch(address)
    assert normalise_address(address) == address


def _connected(media: str, seed: int = 1) -> tuple[Conversation, str]:
    queue = WORLD.queues[0]
    user = next(
        WORLD.users_by_id[u] for u in queue.member_ids if not WORLD.users_by_id[u].is_supervisor
    )
    conv = routing.start_inbound(
        WORLD, random.Random(seed), 0, media=media, dnis=queue.dnis[0], ani="+13125550142"
    )
    routing.route_to_queue(conv, WORLD, queue, 1_000)
    agent = routing.offer(conv, WORLD, user, 5_000)
    routing.answer(conv, agent.id, 8_000)
    return conv, agent.id


@pytest.mark.parametrize("media", ["call", "callback", "chat", "email", "message"])
@pytest.mark.parametrize("how", ["blind", "consult"])
def test_a_leg_rung_out_to_an_address_is_in_a_state_of_its_media(media: str, how: str) -> None:
    conv, agent = _connected(media)
    if how == "blind":
        leg = transfer.blind_transfer(conv, WORLD, agent, 20_000, address="tel:+14155550100")
    else:
        leg = transfer.start_consult(conv, WORLD, conv.customer.id, 20_000, address="+14155550100")
    assert leg.comm.state in MEDIA_STATES[media] and leg.address == "tel:+14155550100"
    assert validate(to_conversation_json(conv), skew_ms=0) == []
    autopilot.advance(conv, WORLD, 60_000)
    assert leg.comm.state == "connected"
    assert validate(to_conversation_json(conv), skew_ms=0) == []


def test_a_refused_address_changes_nothing() -> None:
    conv, agent = _connected("message")
    before = to_conversation_json(conv)
    with pytest.raises(EngineError) as err:
        transfer.blind_transfer(conv, WORLD, agent, 20_000, address="¤")
    assert err.value.field == "address"
    assert to_conversation_json(conv) == before


def test_a_dialled_number_given_with_its_scheme_is_not_doubled() -> None:
    user = WORLD.users[0]
    conv = routing.place_call(WORLD, random.Random(2), 0, user=user, number="tel:+14155550100")
    assert [p.address for p in conv.participants][1] == "tel:+14155550100"
    assert validate(to_conversation_json(conv), skew_ms=0) == []


def test_a_sips_uri_the_engine_stores_passes_validate() -> None:
    """The engine accepts ``sips:`` (SIP over TLS) as it accepts ``sip:``; validate must agree
    (a replace to a sips: address left an 'invalid' conversation: found by the promise)."""
    from gcmock.scenarios import build_world, conversation_rng, run_scenario, validate
    from gcmock.scenarios.views.projection import to_conversation_json

    conv = run_scenario(
        "inbound_answered", build_world(0), conversation_rng(1, 0), 1_793_491_200_000
    )
    doc = to_conversation_json(conv)
    customer = doc["participants"][0]
    customer["address"] = normalise_address("sips:+13125550144@10.0.0.1;user=phone")
    assert [v for v in validate(doc) if v.rule == "address.voice"] == []
