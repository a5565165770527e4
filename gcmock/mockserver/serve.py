"""Serving the app on waitress (threads, keep-alive; never Werkzeug's development server).

:func:`run` serves in the foreground until Ctrl-C; :class:`BackgroundServer` serves from a
thread and stops on demand, for tests and benchmarks.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from waitress.server import create_server

__all__ = ["BackgroundServer", "run"]

WsgiApp = Callable[..., Any]


def _server(app: WsgiApp, host: str, port: int, threads: int) -> Any:
    # "Task queue depth is N" is waitress thinking aloud under load, not a problem
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    return create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="gcmock",
        connection_limit=1000,
        asyncore_use_poll=True,
        clear_untrusted_proxy_headers=True,
    )


def run(
    app: WsgiApp,
    host: str,
    port: int,
    threads: int,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until Ctrl-C; ``ready`` gets the base URL once the socket is listening
    (``port`` 0 picks a free port)."""
    server = _server(app, host, port, threads)
    if ready is not None:
        ready(f"http://{host}:{server.effective_port}")
    try:
        server.run()  # waitress stops its workers on KeyboardInterrupt
    finally:
        server.close()


class BackgroundServer:
    """The app served from a daemon thread on ``host`` (a free port by default)."""

    def __init__(
        self, app: WsgiApp, host: str = "127.0.0.1", port: int = 0, threads: int = 8
    ) -> None:
        self._server = _server(app, host, port, threads)
        self.url = f"http://{host}:{self._server.effective_port}"
        self._thread = threading.Thread(target=self._server.run, name="gcmock-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting, close every connection, and wait for the loop to end."""
        server = self._server
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
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
