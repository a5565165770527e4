"""OAuth: the client-credentials grant, bearer tokens that expire on the server clock, and user
tokens minted through the admin API (a client-credentials token has no user)."""

from __future__ import annotations

import base64
import binascii
import heapq
import secrets
import threading
from dataclasses import dataclass

from flask import Request

from .errors import ApiError

__all__ = ["Token", "Tokens", "bearer", "client_credentials"]


@dataclass(frozen=True, slots=True)
class Token:
    value: str
    expires_ms: int
    user_id: str | None = None
    minted: bool = False
    """Minted through ``/__admin/tokens``: revoked by a reset."""


class Tokens:
    """Issued tokens by value; thread-safe. An expired token is dropped when a later one is
    issued (the server clock has passed its expiry), in time logarithmic in how many are live:
    minting does not slow down as tokens pile up."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, Token] = {}
        self._expiry: list[tuple[int, str]] = []
        """(expires, value) of every kept token, a heap: the next to expire first."""

    def __len__(self) -> int:
        return len(self._tokens)

    def issue(
        self, now_ms: int, ttl_s: int, user_id: str | None = None, *, minted: bool = False
    ) -> Token:
        token = Token(secrets.token_urlsafe(32), now_ms + ttl_s * 1000, user_id, minted)
        with self._lock:
            expiry = self._expiry
            while expiry and expiry[0][0] <= now_ms:
                self._tokens.pop(heapq.heappop(expiry)[1], None)
            self._tokens[token.value] = token
            heapq.heappush(expiry, (token.expires_ms, token.value))
        return token

    def revoke(self, value: str) -> None:
        with self._lock:
            self._tokens.pop(value, None)

    def check(self, value: str, now_ms: int) -> Token | None:
        token = self._tokens.get(value)
        if token is None or token.expires_ms <= now_ms:
            return None
        return token

    def revoke_minted(self) -> None:
        """Forget the tokens minted through the admin API (client-credentials tokens stay:
        a client logged in before a reset keeps working)."""
        with self._lock:
            self._tokens = {k: t for k, t in self._tokens.items() if not t.minted}
            self._expiry = [(t.expires_ms, k) for k, t in self._tokens.items()]
            heapq.heapify(self._expiry)


def client_credentials(request: Request) -> tuple[str, str] | None:
    """(client id, secret) from the Basic header, else from the form fields."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic" and value:
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, sep, secret = decoded.partition(":")
        return (client_id, secret) if sep else None
    form = request.form
    if "client_id" in form:
        return form.get("client_id", ""), form.get("client_secret", "")
    return None


def bearer(request: Request, tokens: Tokens, now_ms: int) -> Token:
    """The request's valid bearer token, else a 401 in the platform's shape."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise ApiError(
            401,
            "authentication.required",
            "No authentication bearer token specified in authorization header.",
        )
    token = tokens.check(value.strip(), now_ms)
    if token is None:
        raise ApiError(401, "bad.credentials", "Invalid login credentials.")
    return token
