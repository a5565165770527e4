"""Conversations from JSON: a dataset file written by ``gcmock generate`` (for ``--data``) or a
document posted to ``/__admin/conversations``, rebuilt into engine state by the engine's loader."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gcmock.scenarios import Conversation, Violation
from gcmock.scenarios.loader import LoadError, from_conversation_json
from gcmock.scenarios.validate import iter_conversations

from .errors import bad_request

__all__ = ["DatasetError", "from_documents", "read_dataset"]


class DatasetError(ValueError):
    """A dataset line that is not a conversation gcmock can serve."""


def read_dataset(path: str) -> Iterator[Conversation]:
    """Every conversation of an NDJSON/JSON file (optionally .gz), in file order."""
    for n, item in enumerate(iter_conversations(path), 1):
        if isinstance(item, Violation):
            raise DatasetError(f"{path}: {item}")
        try:
            yield from_conversation_json(item)
        except LoadError as err:
            raise DatasetError(f"{path}: conversation {n}: {err}") from None


def from_documents(data: Any) -> list[Conversation]:
    """A posted conversation or list of them; a bad one is a 400 naming its index."""
    items = data if isinstance(data, list) else [data]
    out = []
    for i, item in enumerate(items):
        try:
            out.append(from_conversation_json(item))
        except (LoadError, KeyError, TypeError, ValueError, AttributeError) as err:
            raise bad_request(f"conversation [{i}]: {err}", f"[{i}]") from None
    return out
