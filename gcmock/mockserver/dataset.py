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
from gcmock.scenarios.views.flattened import FLAT_MEDIA
from gcmock.scenarios.views.history import has_media
from gcmock.scenarios.views.loader import LoadError, from_conversation_json

from .errors import bad_request

__all__ = ["DatasetError", "from_documents", "read_dataset"]


class DatasetError(ValueError):
    """A dataset line that is not a conversation gcmock can serve."""


def _servable(data: Any) -> tuple[Conversation, list[dict[str, Any]]]:
    """The engine conversation of ``data`` and every view the server offers of it.

    The loader does not check every field's JSON type, and a conversation that cannot be
    projected would turn each later request for it into a 500: it is refused here instead.
    """
    try:
        conv = from_conversation_json(data)
        views = [to_conversation_json(conv)]
        views += [to_media_json(conv, media) for media in FLAT_MEDIA if has_media(conv, media)]
    except LoadError:
        raise
    except Exception as err:  # any failure of engine code on foreign input
        raise LoadError(f"cannot be served: {type(err).__name__}: {err}") from None
    return conv, views


def read_dataset(path: str) -> Iterator[Conversation]:
    """Every conversation of an NDJSON/JSON file (optionally .gz), in file order."""
    for n, item in enumerate(iter_conversations(path), 1):
        if isinstance(item, Violation):
            raise DatasetError(f"{path}: {item}")
        try:
            yield _servable(item)[0]
        except LoadError as err:
            raise DatasetError(f"{path}: conversation {n}: {err}") from None


def from_documents(data: Any) -> list[Conversation]:
    """A posted conversation or list of them; a bad one is a 400 naming its index.

    One that breaks a rule of ``validate``, as given or as it would be served (the loader
    reads some fields leniently: ``held: 1`` is held), is refused naming the first rule broken:
    loading it would break the promise that every conversation served is valid.
    """
    items = data if isinstance(data, list) else [data]
    out = []
    for i, item in enumerate(items):
        broken, how = _first_violation([item]), ""
        if broken is None:
            try:
                conv, views = _servable(item)
            except LoadError as err:
                raise bad_request(f"conversation [{i}]: {err}", f"[{i}]") from None
            broken, how = _first_violation(views), "as served, "
        if broken is not None:
            raise bad_request(f"conversation [{i}]: {how}{broken}", f"[{i}]", broken.rule)
        out.append(conv)
    return out


def _first_violation(docs: list[Any]) -> Violation | None:
    for doc in docs:
        found = validate(doc)
        if found:
            return found[0]
    return None
