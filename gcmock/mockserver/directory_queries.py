"""Query strings and bodies of the org directory's routes, with each family's page-size limit
(a larger ``pageSize`` is a 400 naming it)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .bodies import Body as _Body
from .bodies import PageQuery, QId, QText, SortOrder

__all__ = [
    "CONTACTS_MAX",
    "CONTACTS_REACH",
    "CURSOR_MAX",
    "PAGE_MAX",
    "SEARCH_MAX",
    "AssessmentsQuery",
    "ContactsQuery",
    "CursorQuery",
    "DidsQuery",
    "DirectoryPage",
    "DivisionsQuery",
    "EdgesQuery",
    "ExtensionsQuery",
    "FlowsQuery",
    "GroupsQuery",
    "IdsQuery",
    "IvrsQuery",
    "LinesQuery",
    "MembersQuery",
    "NamedQuery",
    "OutboundRoutesQuery",
    "PhonesQuery",
    "SearchCriterion",
    "SitesQuery",
    "StationsQuery",
    "TeamsQuery",
    "TrunksQuery",
    "UserSearchRequest",
]

PAGE_MAX = 500
"""Largest ``pageSize`` of the page-number directory lists."""
CURSOR_MAX = 100
"""Largest ``pageSize`` of the cursor lists (teams, team members, assessments)."""
CONTACTS_MAX = 100
CONTACTS_REACH = 1000
"""External contacts and organizations: ``pageNumber * pageSize`` stays within this."""
SEARCH_MAX = 100
"""Largest ``pageSize`` of a user search."""

Ids = list[QId] | None


class DirectoryPage(PageQuery):
    pageSize: int = Field(25, ge=1, le=PAGE_MAX)
    pageNumber: int = Field(1, ge=1, le=1_000_000)
    sortOrder: SortOrder = "ascending"


class IdsQuery(DirectoryPage):
    id: Ids = None


class NamedQuery(IdsQuery):
    name: QText | None = None
    """Exact, or ``*`` wildcards at either end (case-insensitive)."""


class MembersQuery(DirectoryPage):
    expand: list[QText] | None = None


class GroupsQuery(IdsQuery):
    jabberId: list[QText] | None = None


class DivisionsQuery(NamedQuery):
    objectCount: bool = False
    """Accepted; the mock reports no object counts."""


class CursorQuery(_Body):
    pageSize: int = Field(25, ge=1, le=CURSOR_MAX)
    after: QText | None = None
    before: QText | None = None


class TeamsQuery(CursorQuery):
    name: QText | None = None
    """A name prefix (case-insensitive)."""
    expand: list[QText] | None = None


class AssessmentsQuery(CursorQuery):
    queueId: Ids = None
    limit: QText | None = None


class StationsQuery(IdsQuery):
    name: QText | None = None
    webRtcUserId: QId | None = None
    lineAppearanceId: QId | None = None
    userSelectable: QText | None = None
    sortBy: QText | None = None


class EdgesQuery(DirectoryPage):
    name: QText | None = None
    site_id: QId | None = Field(None, alias="site.id")
    sortBy: QText | None = None


class SitesQuery(DirectoryPage):
    name: QText | None = None
    location_id: QId | None = Field(None, alias="location.id")
    sortBy: QText | None = None


class PhonesQuery(DirectoryPage):
    name: QText | None = None
    site_id: QId | None = Field(None, alias="site.id")
    web_rtc_user_id: QId | None = Field(None, alias="webRtcUser.id")
    logged_in_user_id: QId | None = Field(None, alias="lines.loggedInUser.id")
    default_for_user_id: QId | None = Field(None, alias="lines.defaultForUser.id")
    line_id: QId | None = Field(None, alias="lines.id")
    sortBy: QText | None = None


class LinesQuery(DirectoryPage):
    name: QText | None = None
    sortBy: QText | None = None


class DidsQuery(IdsQuery):
    phoneNumber: QText | None = None
    owner_id: QId | None = Field(None, alias="owner.id")
    pool_id: QId | None = Field(None, alias="didPool.id")
    sortBy: QText | None = None


class ExtensionsQuery(DirectoryPage):
    number: QText | None = None
    sortBy: QText | None = None


class OutboundRoutesQuery(DirectoryPage):
    name: QText | None = None
    site_id: QId | None = Field(None, alias="site.id")
    sortBy: QText | None = None


class TrunksQuery(DirectoryPage):
    edge_id: QId | None = Field(None, alias="edge.id")
    trunk_base_id: QId | None = Field(None, alias="trunkBase.id")
    trunkType: Literal["EXTERNAL", "PHONE", "EDGE"] | None = None
    sortBy: QText | None = None


class ContactsQuery(PageQuery):
    pageSize: int = Field(20, ge=1, le=CONTACTS_MAX)
    pageNumber: int = Field(1, ge=1, le=CONTACTS_REACH)
    q: QText | None = None
    """Free text matched against names, numbers and e-mail addresses (case-insensitive)."""
    sortOrder: QText | None = None
    expand: list[QText] | None = None
    divisionIds: Ids = None


class IvrsQuery(DirectoryPage):
    name: QText | None = None
    dnis: QText | None = None
    sortBy: QText | None = None


class FlowsQuery(IdsQuery):
    name: QText | None = None
    type: list[QText] | None = None
    divisionId: Ids = None
    sortBy: QText | None = None


SearchType = Literal["EXACT", "CONTAINS", "STARTS_WITH", "TERM", "MATCH_ALL"]
Text = Annotated[str, StringConstraints(max_length=4096)]


class SearchCriterion(_Body):
    type: SearchType
    fields: list[Text] | None = None
    value: Text | None = None
    values: list[Text] | None = None
    operator: Literal["AND", "OR", "NOT"] | None = None


class UserSearchRequest(_Body):
    """The basic user search: criteria AND-ed, a criterion's fields OR-ed."""

    pageSize: int = Field(25, ge=1, le=SEARCH_MAX)
    pageNumber: int = Field(1, ge=1, le=1_000_000)
    sortOrder: Literal["ASC", "DESC", "SCORE"] = "ASC"
    sortBy: Text | None = None
    expand: list[Text] | None = None
    query: list[SearchCriterion] = Field(default_factory=list, max_length=20)
