"""Identifiers and addresses of world entities: UUIDs drawn from a seeded stream, the station SIP
address of a user and the jabber id derived from it, and the language tag of a Faker locale."""

from __future__ import annotations

import random
import uuid

from .entities import User, World

__all__ = ["jabber_id", "locale_tag", "new_id", "station_address"]


def new_id(rng: random.Random) -> str:
    """A lowercase UUID v4 drawn from ``rng`` (never ``uuid4()``), so ids replay with the seed."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def locale_tag(locale: str) -> str:
    """Faker locale ``en_US`` -> language tag ``en-US`` as Genesys shows it."""
    return locale.replace("_", "-")


def station_address(rng: random.Random, org: str) -> str:
    """A WebRTC station address in the real format (the 24-hex part doubles as the jabber id)."""
    return (
        f"sip:{rng.getrandbits(96):024x}+{org}.orgspan.com;tgrp={new_id(rng)};"
        f"trunk-context={org}@localhost"
    )


def jabber_id(world: World, user: User) -> str:
    """The user's chat jabber id: the same 24 hex digits as the station address."""
    hex_id = user.station_address.removeprefix("sip:").partition("+")[0]
    return f"{hex_id}@{world.org_name}.orgspan.com"
