"""External contacts and organizations: the customers the conversations name, searchable by
``q``; paging reaches the first 1,000 records, as on the platform."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import Response, request

from gcmock.scenarios.views.directory import external_contact_json, external_organization_json
from gcmock.scenarios.world import ExternalContact, ExternalOrganization

from ..bodies import Body as _Body
from ..bodies import QText
from ..directory_queries import CONTACTS_REACH, ContactsQuery
from ..errors import bad_request
from ..paging import page
from ..wire import json_response
from .base import RouteTable
from .listing import by_name, one, world

__all__ = ["TABLE"]

TABLE = RouteTable("contacts", "External Contacts")
T = TypeVar("T")


def _reach(query: ContactsQuery) -> None:
    if query.pageNumber * query.pageSize > CONTACTS_REACH:
        raise bad_request(
            f"pageNumber * pageSize must be at most {CONTACTS_REACH}; use q to narrow the search",
            "pageNumber",
        )


def _reachable(items: Sequence[T], project: Callable[[T], Any], query: ContactsQuery) -> Response:
    """The page, with no ``nextUri`` or ``lastUri`` past the first 1,000 records (those are
    found with ``q``)."""
    envelope = page(
        items,
        project,
        path=request.path,
        size=query.pageSize,
        number=query.pageNumber,
        extra=request.args.to_dict(),
    )
    reach = CONTACTS_REACH // query.pageSize
    if query.pageNumber >= reach:
        envelope.pop("nextUri", None)
    if envelope["pageCount"] > reach:
        envelope["lastUri"] = envelope["lastUri"].replace(
            f"pageNumber={envelope['pageCount']}", f"pageNumber={reach}"
        )
    return json_response(envelope)


def _contact_text(c: ExternalContact) -> str:
    return f"{c.first_name} {c.last_name}\n{c.phone}\n{c.email}".lower()


@TABLE.route(
    "GET",
    "/api/v2/externalcontacts/contacts",
    "Search for external contacts",
    query=ContactsQuery,
    response="ContactListing",
    errors=(400,),
)
def get_contacts(query: ContactsQuery) -> Response:
    _reach(query)
    w = world()
    contacts = by_name(
        "contacts", w.contacts, lambda c: f"{c.last_name} {c.first_name}", query.sortOrder
    )
    if query.divisionIds:
        divisions = set(query.divisionIds)
        contacts = tuple(c for c in contacts if c.division_id in divisions)
    if query.q:
        needle = query.q.lower()
        contacts = tuple(c for c in contacts if needle in _contact_text(c))
    return _reachable(contacts, lambda c: external_contact_json(w, c), query)


class _ExpandQuery(_Body):
    expand: list[QText] | None = None


@TABLE.route(
    "GET",
    "/api/v2/externalcontacts/contacts/{contactId}",
    "Fetch an external contact",
    query=_ExpandQuery,
    response="ExternalContact",
    errors=(404,),
)
def get_contact(contactId: str, query: _ExpandQuery) -> Response:
    w = world()
    contact = one(w.contacts_by_id, contactId, "external contact", ExternalContact)
    return json_response(external_contact_json(w, contact))


@TABLE.route(
    "GET",
    "/api/v2/externalcontacts/organizations",
    "Search for external organizations",
    query=ContactsQuery,
    response="ExternalOrganizationListing",
    errors=(400,),
)
def get_organizations(query: ContactsQuery) -> Response:
    _reach(query)
    w = world()
    orgs = by_name("organizations", w.organizations, lambda o: o.name, query.sortOrder)
    if query.q:
        needle = query.q.lower()
        orgs = tuple(o for o in orgs if needle in o.name.lower())
    return _reachable(orgs, lambda o: external_organization_json(w, o), query)


@TABLE.route(
    "GET",
    "/api/v2/externalcontacts/organizations/{externalOrganizationId}",
    "Fetch an external organization",
    query=_ExpandQuery,
    response="ExternalOrganization",
    errors=(404,),
)
def get_organization(externalOrganizationId: str, query: _ExpandQuery) -> Response:
    w = world()
    org = one(
        w.organizations_by_id, externalOrganizationId, "external organization", ExternalOrganization
    )
    return json_response(external_organization_json(w, org))
