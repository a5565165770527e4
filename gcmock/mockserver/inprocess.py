"""The mock server without a socket: the same Flask app and state, reached in-process.

:class:`GenesysMock` (``gcmock.mock()``) routes every ``requests`` call to a Genesys Cloud host
(``api.*`` and ``login.*`` of every region the SDK knows) into the app through ONE regex callback
of ``responses``; other hosts are untouched. It works as a context manager, a decorator and with
``start()``/``stop()``, like ``responses`` and moto. :meth:`GenesysMock.sdk_client` gives an
official SDK ``ApiClient``, logged in, whose HTTP goes into the same app through the SDK's
pluggable http client; :meth:`GenesysMock.httpx_transport` does the same for httpx.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode, urlsplit

from .app import create_app
from .config import ServerConfig
from .state import EXTENSION, ServerState, generated

if TYPE_CHECKING:
    from flask import Flask

    from gcmock.scenarios import Conversation

    from .clock import Clock
    from .faults import Faults
    from .notifications import Listener, Notifications

__all__ = [
    "GENESYS_HOSTS",
    "GENESYS_URL",
    "GenesysMock",
    "LiveServer",
    "MockOrg",
    "OrgNotifications",
    "WsgiCaller",
]

GENESYS_HOSTS = (
    "mypurecloud.com",
    "mypurecloud.ie",
    "mypurecloud.com.au",
    "mypurecloud.jp",
    "mypurecloud.de",
    "usw2.pure.cloud",
    "cac1.pure.cloud",
    "apne2.pure.cloud",
    "euw2.pure.cloud",
    "aps1.pure.cloud",
    "use2.us-gov-pure.cloud",
    "sae1.pure.cloud",
    "mec1.pure.cloud",
    "apne3.pure.cloud",
    "euc2.pure.cloud",
    "mxc1.pure.cloud",
    "apse1.pure.cloud",
    "edee1.eusc-pure.cloud",
)
"""Region domains of ``PureCloudRegionHosts`` (SDK 269); each has an ``api.`` and a ``login.``
host."""

GENESYS_URL = re.compile(
    r"^https?://(?:api|login)\.(?:"
    + "|".join(re.escape(h) for h in GENESYS_HOSTS)
    + r")(?::\d+)?(?:/|$)"
)
_OTHER_URL = re.compile(r"^(?!" + GENESYS_URL.pattern[1:] + ")")
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
JOURNAL_SHOWN = 30
"""Requests an ``assert_requested`` failure lists (the last ones)."""

F = TypeVar("F", bound=Callable[..., Any])


class WsgiCaller:
    """Calls the app in-process: one werkzeug test client, no socket, no thread."""

    def __init__(self, app: Flask) -> None:
        self._client = app.test_client()

    def __call__(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | str | None,
    ) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        resp = self._client.open(
            parts.path or "/",
            method=method,
            query_string=parts.query,
            headers=list(headers.items()),
            data=body,
            base_url=f"{parts.scheme}://{parts.netloc}",
        )
        return resp.status_code, dict(resp.headers), resp.get_data()


class MockOrg:
    """The control surface shared by the in-process mock and the live server: the app, its
    state, and what a test steers (reset, add conversations, journal, faults, clock)."""

    def __init__(self, config: ServerConfig | None = None, **overrides: Any) -> None:
        self.app = create_app(config, **overrides)
        self.call = WsgiCaller(self.app)

    @property
    def state(self) -> ServerState:
        """The app's state: ``.store``, ``.clock``, ``.faults``, ``.journal``, ``.world``."""
        state: ServerState = self.app.extensions[EXTENSION]
        return state

    @property
    def client_id(self) -> str:
        return self.state.config.client_id

    @property
    def client_secret(self) -> str:
        return self.state.config.client_secret

    @property
    def clock(self) -> Clock:
        """The server clock: ``freeze()``, ``set(ms)``, ``advance(ms)``, ``now()``."""
        return self.state.clock

    @property
    def faults(self) -> Faults:
        """Fault injection: ``faults.add(FaultSpec(method=..., path=..., status=429))``."""
        return self.state.faults

    @property
    def requests(self) -> list[dict[str, Any]]:
        """The journal of received requests, oldest first."""
        return self.state.journal.query()

    @property
    def notifications(self) -> OrgNotifications:
        """``listen(topics)``: the org's notifications without a socket."""
        return OrgNotifications(self.state.notifications)

    def advance(self, ms: int) -> int:
        """Move the server clock on by ``ms`` and apply what falls due (the autopilot's steps,
        heartbeats), delivering their notifications before returning; the steps applied."""
        state = self.state
        state.clock.advance(ms)
        changed = state.store.catch_up()
        state.notifications.tick()
        return changed

    def reset(self) -> None:
        """Back to the served seed: conversations, clock, journal, faults, channels."""
        self.state.reset()

    def add(self, *conversations: Conversation) -> None:
        """Serve copies of these engine conversations too (e.g. from ``conversation_factory``)."""
        self.state.store.load(conversations)

    def reseed(
        self,
        seed: int,
        *,
        conversations: int | None = None,
        scenarios: Sequence[str] | None = None,
    ) -> None:
        """Serve the conversations of another seed, in place of every current one, until the
        next :meth:`reset`: ``conversations`` of them (default: the config's count), of these
        ``scenarios`` in equal shares (default: the config's mix). The org (users, queues,
        codes), the clock, tokens, journal and faults stay as they are."""
        state = self.state
        config = replace(
            state.config,
            seed=seed,
            conversations=state.config.conversations if conversations is None else conversations,
            mix=tuple((name, 1.0) for name in scenarios) if scenarios else state.config.mix,
        )
        state.store.load(generated(config, state.world, state.anchor_ms), replace=True, owned=True)

    def assert_requested(
        self, method: str, path: str, *, count: int | None = None
    ) -> list[dict[str, Any]]:
        """Assert the journal holds ``method path`` requests: exactly ``count`` of them, or at
        least one when ``count`` is None; returns them (journal entries, oldest first).

        ``path`` is matched whole, without the query string; a ``{name}`` segment matches any
        one segment, so a route's URL (``/api/v2/conversations/calls/{conversationId}``) matches
        every call of it. The failure message lists what was requested.
        """
        pattern = re.compile(
            "".join(
                "[^/]+" if re.fullmatch(r"\{\w+\}", part) else re.escape(part)
                for part in re.split(r"(\{\w+\})", path)
            )
        )
        entries = self.requests
        found = [
            e for e in entries if e["method"] == method.upper() and pattern.fullmatch(e["path"])
        ]
        if (count is None and found) or len(found) == count:
            return found
        raise AssertionError(_not_requested(method.upper(), path, count, len(found), entries))

    def token(self) -> str:
        """A valid bearer token, obtained through ``POST /oauth/token`` like a client would."""
        status, _, body = self.call(
            "POST",
            "https://login.mypurecloud.com/oauth/token",
            {"Content-Type": "application/x-www-form-urlencoded"},
            urlencode(
                {
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                }
            ),
        )
        if status != 200:
            raise RuntimeError(f"the mock refused its own credentials: {status} {body!r}")
        token: str = json.loads(body)["access_token"]
        return token

    def sdk_client(self, host: str = "https://api.mypurecloud.com") -> Any:
        """An official SDK ``ApiClient`` logged in with client credentials, served in-process."""
        import PureCloudPlatformClientV2 as sdk

        client = sdk.ApiClient(host=host)
        client.set_http_client(_sdk_http_client(self.call))
        return client.get_client_credentials_token(self.client_id, self.client_secret)

    def httpx_transport(self) -> Any:
        """An ``httpx.BaseTransport`` answering Genesys hosts from the app, others on the
        network (pass it as ``httpx.Client(transport=...)``)."""
        return _httpx_transport(self.call)


def _not_requested(
    method: str, path: str, count: int | None, found: int, entries: list[dict[str, Any]]
) -> str:
    wanted = "at least once" if count is None else f"{count} time{'s' * (count != 1)}"
    lines = [
        f"expected {method} {path} to be requested {wanted}, found {found} "
        f"among the {len(entries)} requests in the journal:"
    ]
    shown = entries[-JOURNAL_SHOWN:]
    if len(entries) > len(shown):
        lines.append(f"  ... {len(entries) - len(shown)} earlier requests")
    for e in shown:
        query = urlencode(e["query"], doseq=True)
        lines.append(f"  {e['method']} {e['path']}{'?' + query if query else ''} -> {e['status']}")
    if not entries:
        lines.append("  (none)")
    return "\n".join(lines)


class OrgNotifications:
    """The org's notification channels, as a test reads them."""

    def __init__(self, hub: Notifications) -> None:
        self.hub = hub

    def listen(self, topics: list[str] | str) -> Listener:
        """An iterator (and async iterator) of the messages a channel subscribed to ``topics``
        receives, from now on; close it (or use ``with``) when done."""
        from .notifications import listen

        return listen(self.hub, topics)


class GenesysMock(MockOrg):
    """A mock Genesys Cloud org served in-process (``responses`` for ``requests``)."""

    def __init__(self, config: ServerConfig | None = None, **overrides: Any) -> None:
        super().__init__(config, **overrides)
        self._responses: Any = None

    # -- requests (through responses) -------------------------------------------------------
    def _callback(self, request: Any) -> tuple[int, dict[str, str], bytes]:
        return self.call(request.method, request.url, request.headers, request.body)

    def start(self) -> None:
        """Route ``requests`` to Genesys hosts into the app until :meth:`stop`."""
        import responses

        if self._responses is not None:
            return
        mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        for method in _METHODS:
            mock.add_callback(method, GENESYS_URL, callback=self._callback)
        mock.add_passthru(_OTHER_URL)
        mock.start()
        self._responses = mock

    def stop(self) -> None:
        if self._responses is not None:
            self._responses.stop()
            self._responses.reset()
            self._responses = None

    def __enter__(self) -> GenesysMock:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __call__(self, func: F) -> F:
        """Use as a decorator: the mock is active while ``func`` runs; for a coroutine
        function, while the coroutine runs (not just while it is created)."""
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def awaiting(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return awaiting  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def _sdk_http_client(call: WsgiCaller) -> Any:
    """The SDK's ``AbstractHttpClient`` over :class:`WsgiCaller` (built lazily: the SDK's
    import takes seconds, so nothing imports it until a test asks for it)."""
    from PureCloudPlatformClientV2.abstract_http_client import AbstractHttpClient
    from PureCloudPlatformClientV2.rest import ApiException

    class _Headers(dict[str, str]):
        def get(self, key: str, default: Any = None) -> Any:
            lowered = {k.lower(): v for k, v in self.items()}
            return lowered.get(key.lower(), default)

    class _Response:
        def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.status = status
            self.reason = _REASONS.get(status, "")
            self.data = body.decode("utf-8")
            self.headers = _Headers(headers)

        def getheaders(self) -> dict[str, str]:
            return self.headers

        def getheader(self, name: str, default: Any = None) -> Any:
            return self.headers.get(name, default)

    class InProcessHttpClient(AbstractHttpClient):  # type: ignore[misc]
        def request(self, options: Any) -> _Response:
            if self.pre_hook:
                options = self.pre_hook(options)
            headers = dict(options.headers or {})
            url = options.url
            if options.query_params:
                url += "?" + urlencode(options.query_params)
            body: bytes | None = None
            if options.post_params:
                body = urlencode(options.post_params).encode()
                headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            elif options.body is not None:
                body = json.dumps(options.body).encode()
                headers.setdefault("Content-Type", "application/json")
            response = _Response(*call(options.method, url, headers, body))
            if self.post_hook:
                response = self.post_hook(response)
            if response.status not in range(200, 206):
                raise ApiException(http_resp=response)
            return response

    return InProcessHttpClient()


def _httpx_transport(call: WsgiCaller) -> Any:
    import httpx

    class GenesysTransport(httpx.BaseTransport):
        def __init__(self) -> None:
            self._network = httpx.HTTPTransport()

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            url = str(request.url)
            if not GENESYS_URL.match(url):
                return self._network.handle_request(request)
            status, headers, body = call(request.method, url, request.headers, request.read())
            return httpx.Response(status, headers=headers, content=body)

        def close(self) -> None:
            self._network.close()

    return GenesysTransport()


_REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


class LiveServer(MockOrg):
    """The app on a real socket (waitress in a daemon thread), 127.0.0.1 on a free port."""

    def __init__(
        self, config: ServerConfig | None = None, *, threads: int = 8, **overrides: Any
    ) -> None:
        from .notifications.stream import StreamServer
        from .serve import BackgroundServer

        super().__init__(config, **overrides)
        self._server = BackgroundServer(self.app, threads=threads)
        self.url = self._server.url
        """Base URL, e.g. ``http://127.0.0.1:54321``: give it to the SDK as ``host``."""
        state = self.state
        self._stream = StreamServer(state.notifications, catch_up=state.store.catch_up)
        self.stream_url = self._stream.url
        """``ws://127.0.0.1:PORT`` of the streaming listener channels' connectUri point to."""

    def sdk_client(self, host: str | None = None) -> Any:
        """An official SDK ``ApiClient`` pointed at :attr:`url` (real HTTP), logged in."""
        import PureCloudPlatformClientV2 as sdk

        client = sdk.ApiClient(host=host or self.url)
        return client.get_client_credentials_token(self.client_id, self.client_secret)

    def stop(self) -> None:
        self._stream.stop()
        self._server.stop()
