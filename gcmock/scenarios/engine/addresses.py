"""The addresses a transfer, a consult or a dial may name, in the one form the engine stores.

The platform takes an E.164 number, with or without ``tel:`` (visual separators such as spaces,
dashes, dots and brackets allowed), or a SIP URI. Numbers are stored as ``tel:+E164``, SIP URIs
as given with a lowercase scheme; anything else is refused with a 400 naming the argument.
"""

from __future__ import annotations

import re

from .model import EngineError

__all__ = ["e164", "normalise_address"]

_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_SEPARATORS = re.compile(r"[ ().\-]")
_SIP = re.compile(r"sips?:[!-~]+", re.IGNORECASE)
"""A SIP URI: the scheme, then printable ASCII without spaces."""


def normalise_address(text: str, field: str = "address", *, sip: bool = True) -> str:
    """``tel:+E164`` for a number, the URI for ``sip:``/``sips:`` (unless ``sip`` is false,
    for a destination that must be a phone number); an :class:`EngineError` (400, ``field``)
    for anything else."""
    value = text.strip()
    scheme, colon, rest = value.partition(":")
    scheme = scheme.lower()
    if sip and colon and scheme in ("sip", "sips") and _SIP.fullmatch(value):
        return f"{scheme}:{rest}"
    number = rest if colon and scheme == "tel" else value
    number = _SEPARATORS.sub("", number)
    if _E164.fullmatch(number):
        return f"tel:{number}"
    shown = text if len(text) <= 64 else text[:64] + "..."
    kinds = "an E.164 number (tel: optional) or a sip: URI" if sip else "an E.164 phone number"
    raise EngineError("bad.request", f"{field} {shown!r} is not {kinds}", status=400, field=field)


def e164(address: str) -> str:
    """The bare ``+E164`` of a normalised ``tel:`` address (callback numbers carry no scheme)."""
    return address.removeprefix("tel:")
