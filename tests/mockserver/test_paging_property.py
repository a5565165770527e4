"""Paging as a property: for any list length and page size, following ``nextUri`` from the
first page visits every item exactly once, page-number and cursor envelopes alike."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from gcmock.mockserver.paging import cursor_page, page


def _query(uri: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(uri).query).items()}


@given(st.integers(0, 300), st.integers(1, 500))
def test_page_numbers_visit_every_item_once(total: int, size: int) -> None:
    items = list(range(total))
    seen: list[int] = []
    number = 1
    while True:
        env = page(items, lambda x: x, path="/p", size=size, number=number, extra={"q": "a"})
        seen += env["entities"]
        assert env["pageCount"] == -(-total // size) and env["total"] == total
        if "nextUri" not in env:
            break
        args = _query(env["nextUri"])
        assert args["q"] == "a" and int(args["pageSize"]) == size
        number = int(args["pageNumber"])
    assert seen == items


@given(st.integers(0, 300), st.integers(1, 100))
def test_cursors_visit_every_item_once_and_lead_back(total: int, size: int) -> None:
    items = list(range(total))
    seen: list[int] = []
    after: str | None = None
    pages = []
    while True:
        env = cursor_page(items, lambda x: x, path="/p", size=size, after=after, before=None)
        pages.append(env["entities"])
        seen += env["entities"]
        if "nextUri" not in env:
            break
        after = _query(env["nextUri"])["after"]
    assert seen == items
    if len(pages) > 1:
        before = _query(env["previousUri"])["before"]
        back = cursor_page(items, lambda x: x, path="/p", size=size, after=None, before=before)
        assert back["entities"] == pages[-2]
