"""Serving the app on waitress (threads, keep-alive; never Werkzeug's development server).

:func:`run` serves in the foreground until Ctrl-C; :class:`BackgroundServer` serves from a
thread and stops on demand, for tests and benchmarks. ``/__admin`` requests are served by
threads of their own, and the errors waitress sends itself are JSON ``ErrorBody``.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any

import orjson
from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask, ThreadedTaskDispatcher

from .errors import code_for, error_body
from .state import EXTENSION
from .wire import ADMIN_PREFIX

__all__ = ["ADMIN_THREADS", "BackgroundServer", "exposed", "require_admin_token", "run"]

WsgiApp = Callable[..., Any]

ADMIN_THREADS = 2
"""Threads of their own for ``/__admin`` requests: requests held by latency faults (or slow
ones) can occupy every API thread, and the admin API that would clear those faults must still
answer."""


def exposed(host: str) -> bool:
    """Whether binding ``host`` lets other machines in: anything but a loopback address
    (a name counts as loopback only if every address it resolves to is)."""
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return True
    return not infos or any(not ipaddress.ip_address(i[4][0]).is_loopback for i in infos)


def require_admin_token(app: WsgiApp, host: str) -> None:
    """Refuse to serve a mock app on a non-loopback address without an admin token: anyone
    who reaches the port could reset it, load or dump conversations, inject faults and mint
    tokens for any user."""
    extensions = getattr(app, "extensions", {})
    state = extensions.get(EXTENSION) if isinstance(extensions, dict) else None
    if state is not None and state.config.admin_token is None and exposed(host):
        raise ValueError(
            f"{host} is not a loopback address: set an admin token (ServerConfig.admin_token, "
            "gcmock serve --admin-token or GCMOCK_ADMIN_TOKEN) to serve there"
        )


class _ErrorTask(ErrorTask):
    """What waitress refuses itself (a bad request line, headers too large, bad chunking, an
    internal error) in the platform's ``ErrorBody``, like every other error."""

    def execute(self) -> None:
        request: Any = self.request
        error = request.error
        context_id = str(uuid.uuid4())
        message = f"{error.reason}: {error.body}" if error.body else error.reason
        body = orjson.dumps(error_body(error.code, code_for(error.code), message, context_id))
        self.status = f"{error.code} {error.reason}"
        headers: Any = self.response_headers
        headers.extend([("Content-Type", "application/json"), ("ININ-Correlation-Id", context_id)])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _Channel(HTTPChannel):
    error_task_class = _ErrorTask


def _server(app: WsgiApp, host: str, port: int, threads: int) -> Any:
    # "Task queue depth is N" is waitress thinking aloud under load, not a problem
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server: Any = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="gcmock",
        connection_limit=1000,
        asyncore_use_poll=True,
        clear_untrusted_proxy_headers=True,
    )
    server.channel_class = _Channel
    api = server.task_dispatcher
    admin = ThreadedTaskDispatcher()
    admin.set_thread_count(ADMIN_THREADS)

    def add_task(channel: Any) -> None:
        """Each request goes to the pool of its kind (a keep-alive connection's next request
        is dispatched again, so one connection may use both)."""
        path = getattr(channel.requests[0], "path", None) or "" if channel.requests else ""
        (admin if path.startswith(ADMIN_PREFIX) else api).add_task(channel)

    server.add_task = add_task
    server.admin_dispatcher = admin
    return server


def run(
    app: WsgiApp,
    host: str,
    port: int,
    threads: int,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until Ctrl-C; ``ready`` gets the base URL once the socket is listening
    (``port`` 0 picks a free port)."""
    require_admin_token(app, host)
    server = _server(app, host, port, threads)
    if ready is not None:
        ready(f"http://{host}:{server.effective_port}")
    try:
        server.run()  # waitress stops its workers on KeyboardInterrupt
    finally:
        server.admin_dispatcher.shutdown(cancel_pending=True, timeout=5)
        server.close()


class BackgroundServer:
    """The app served from a daemon thread on ``host`` (a free port by default)."""

    def __init__(
        self, app: WsgiApp, host: str = "127.0.0.1", port: int = 0, threads: int = 8
    ) -> None:
        require_admin_token(app, host)
        self._server = _server(app, host, port, threads)
        self.url = f"http://{host}:{self._server.effective_port}"
        self._thread = threading.Thread(target=self._server.run, name="gcmock-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting, close every connection, and wait for the loop to end."""
        server = self._server
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        server.admin_dispatcher.shutdown(cancel_pending=True, timeout=5)
        for channel in list(server._map.values()):
            channel.close()
        self._thread.join(5)

    def __enter__(self) -> BackgroundServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
