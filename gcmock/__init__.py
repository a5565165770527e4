"""gcmock: realistic Genesys Cloud conversation data and a local mock of its REST API.

``gcmock.mock(**config)`` is the in-process mock org (a context manager, a decorator, or
``start()``/``stop()``); it is imported on first use, so ``import gcmock`` stays cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "mock"]


def __getattr__(name: str) -> Any:
    if name == "mock":
        from .mockserver.inprocess import GenesysMock

        return GenesysMock
    raise AttributeError(f"module 'gcmock' has no attribute {name!r}")
