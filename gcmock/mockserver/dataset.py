"""Conversations from JSON: a dataset file written by ``gcmock generate`` (for ``--data``) or a
document posted to ``/__admin/conversations``, rebuilt into engine state by the engine's loader."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gcmock.scenarios import (
    Conversation,
    Violation,
    to_conversation_json,
    to_media_json,
    validate,
)
from gcmock.scenarios.validate.dataset import iter_conversations
from gcmock.scenarios.views.history import has_media
from gcmock.scenarios.views.loader import LoadError, from_conversation_json
from gcmock.scenarios.views.projection import FLAT_MEDIA

from .errors import bad_request

__all__ = ["DatasetError", "from_documents", "read_dataset"]


class DatasetError(ValueError):
    """A dataset line that is not a conversation gcmock can serve."""


def _servable(data: Any) -> Conversation:
    """The engine conversation of ``data``, once every view the server offers of it projects.

    The loader does not check every field's JSON type, and a conversation that cannot be
    projected would turn each later request for it into a 500: it is refused here instead.
    """
    try:
        conv = from_conversation_json(data)
        to_conversation_json(conv)
        for media in FLAT_MEDIA:
            if has_media(conv, media):
                to_media_json(conv, media)
    except LoadError:
        raise
    except Exception as err:  # any failure of engine code on foreign input
        raise LoadError(f"cannot be served: {type(err).__name__}: {err}") from None
    return conv


def read_dataset(path: str) -> Iterator[Conversation]:
    """Every conversation of an NDJSON/JSON file (optionally .gz), in file order."""
    for n, item in enumerate(iter_conversations(path), 1):
        if isinstance(item, Violation):
            raise DatasetError(f"{path}: {item}")
        try:
            yield _servable(item)
        except LoadError as err:
            raise DatasetError(f"{path}: conversation {n}: {err}") from None


def from_documents(data: Any) -> list[Conversation]:
    """A posted conversation or list of them; a bad one is a 400 naming its index, and for one
    that breaks a rule of ``validate`` the first rule broken (loading it would break the
    promise that every conversation served is valid)."""
    items = data if isinstance(data, list) else [data]
    out = []
    for i, item in enumerate(items):
        found = validate(item)
        if found:
            raise bad_request(f"conversation [{i}]: {found[0]}", f"[{i}]", found[0].rule)
        try:
            out.append(_servable(item))
        except LoadError as err:
            raise bad_request(f"conversation [{i}]: {err}", f"[{i}]") from None
    return out
