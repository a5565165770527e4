"""What the routes share: the conversation's participant, world entities named in a body
(unknown ones are a 400 naming the field) or in the path (a 404), the acting user, and the
paged listing response."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import Response, request

from gcmock.scenarios.engine.model import Conversation, Participant
from gcmock.scenarios.views.history import has_media
from gcmock.scenarios.views.people import USER_EXPANDS
from gcmock.scenarios.world import ExternalContact, Queue, User, World

from ..bodies import PageQuery
from ..errors import bad_request, not_found
from ..paging import page
from ..state import current
from ..wire import json_response
from .base import token

__all__ = [
    "acting_user",
    "check_expand",
    "find_contact",
    "find_queue",
    "find_user",
    "paged",
    "participant",
    "participant_of_user",
    "require_media",
    "user_by_id",
]


T = TypeVar("T")


def paged(items: Sequence[T], project: Callable[[T], Any], query: PageQuery) -> Response:
    """The page ``query`` asks for, its URIs keeping the request's other query parameters."""
    envelope = page(
        items,
        project,
        path=request.path,
        size=query.pageSize,
        number=query.pageNumber,
        extra=request.args.to_dict(),
    )
    return json_response(envelope)


def check_expand(expand: list[str] | None, field: str = "expand") -> tuple[str, ...]:
    """The user ``expand`` values; one the platform does not know is a 400 naming it."""
    values = tuple(expand or ())
    for value in values:
        if value not in USER_EXPANDS:
            raise bad_request(f"{value} is not a valid value for expand", field)
    return values


def require_media(conv: Conversation, media: str | None) -> None:
    """A per-media route needs a conversation with that media (else 404)."""
    if media is not None and not has_media(conv, media):
        raise not_found(f"conversation {conv.id} has no {media} communication")


def participant(conv: Conversation, participant_id: str, media: str | None = None) -> Participant:
    require_media(conv, media)
    return conv.participant(participant_id)


def user_by_id(user_id: str) -> User:
    """The user a path names (else 404)."""
    user = current().world.users_by_id.get(user_id)
    if user is None:
        raise not_found(f"user {user_id} not found")
    return user


def find_user(
    world: World,
    field: str,
    *,
    user_id: str | None = None,
    username: str | None = None,
    display_name: str | None = None,
) -> User | None:
    """The user named by id, username (or email) or display name; None when none is given."""
    if user_id is not None:
        user = world.users_by_id.get(user_id)
        if user is None:
            raise bad_request(f"user {user_id} not found", field)
        return user
    for value, key in ((username, "username"), (display_name, "name")):
        if value is None:
            continue
        wanted = value.lower()
        for u in world.users:
            names = (u.username, u.email) if key == "username" else (u.name,)
            if wanted in (n.lower() for n in names):
                return u
        raise bad_request(f"user {value} not found", field)
    return None


def find_queue(
    world: World, field: str, *, queue_id: str | None = None, name: str | None = None
) -> Queue | None:
    if queue_id is not None:
        queue = world.queues_by_id.get(queue_id)
        if queue is None:
            raise bad_request(f"queue {queue_id} not found", field)
        return queue
    if name is not None:
        for q in world.queues:
            if q.name.lower() == name.lower():
                return q
        raise bad_request(f"queue {name} not found", field)
    return None


def find_contact(world: World, field: str, contact_id: str) -> ExternalContact:
    contact = world.contacts_by_id.get(contact_id)
    if contact is None:
        raise bad_request(f"external contact {contact_id} not found", field)
    return contact


def acting_user(required_for: str | None = None) -> User | None:
    """The token's user; None for client credentials, or a 400 when ``required_for`` says why
    a user is needed."""
    user_id = token().user_id
    if user_id is None:
        if required_for is not None:
            raise bad_request(
                f"{required_for} requires a user context; client credentials have none "
                "(mint a user token with POST /__admin/tokens)"
            )
        return None
    return current().world.users_by_id.get(user_id)


def participant_of_user(conv: Conversation, user_id: str, field: str) -> Participant:
    """The user's live leg on the conversation (the last one: offers add new legs)."""
    for p in reversed(conv.participants):
        if p.user_id == user_id and p.active:
            return p
    raise bad_request(f"user {user_id} is not on conversation {conv.id}", field)
