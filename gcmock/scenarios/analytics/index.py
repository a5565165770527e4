"""An index that answers details and aggregates queries without scanning.

Records are sorted by start time (bisect), with posting sets for the dimensions users filter by
most; only filters the postings cannot answer exactly are evaluated, on the few candidates left.
Following a store's conversations, it reads one only when a query's interval first reaches it,
and projects its record only when a query needs it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from ..collector import collector_paused
from ..engine.model import Conversation
from ..views.analytics import analytics_end, conversation_header, to_analytics
from ..views.analytics_values import (
    INDEXED_CONVERSATION_DIMENSIONS,
    INDEXED_SEGMENT_DIMENSIONS,
    indexed_values,
)
from ..world import World
from .aggregates import AggregateQuery
from .contributions import (
    Contribution,
    Shape,
    ShapeTable,
    contributions,
    shape_of,
)
from .details import DetailQuery
from .filters import Filter, Predicate, as_text
from .rows import conversation_row, matches, record_ms, segment_rows
from .vocabulary import CONVERSATION_DIMENSIONS

__all__ = [
    "AnalyticsIndex",
    "record_values",
]

_SEGMENT_INDEXED = INDEXED_SEGMENT_DIMENSIONS
_CONVERSATION_INDEXED = INDEXED_CONVERSATION_DIMENSIONS
_Posting = tuple[str, str]
"""(dimension, value as text): the segment and conversation dimensions indexed are disjoint."""
_BATCH = 32
_SHAPES = 4
"""Aggregates query shapes whose contributions an entry keeps."""
"""Entries added at once beyond this are merged into the start order by one sort."""


@dataclass(slots=True)
class _Entry:
    id: str
    start: int
    end: int | None
    values: tuple[_Posting, ...]
    """Every indexed (dimension, value) of the record; the postings hold those of the
    dimensions queries have asked for."""
    conv: dict[str, Any] | None
    """The conversation-level dimensions, to test conversation filters without decoding (for
    a conversation, read when a query first needs them)."""
    blob: bytes | None
    """The record as JSON (a fraction of the memory of the decoded dict); for a conversation,
    projected when a query first needs it."""
    source: Conversation | None = None
    """The conversation state the entry reflects (None for an entry added as a record)."""
    parts: dict[Shape, Contribution] | None = None
    """What the record adds to aggregates queries, by the shapes queried lately (at most
    :data:`_SHAPES`, the oldest dropped first)."""


def record_values(record: Mapping[str, Any]) -> set[_Posting]:
    """The indexed dimensions of a record's segment rows and of its conversation: what
    :func:`~gcmock.scenarios.views.analytics_values.indexed_values` reads off the engine state."""
    out = {
        (dim, as_text(v))
        for row in segment_rows(record, durations=False)
        for dim in _SEGMENT_INDEXED
        if (v := row.get(dim)) is not None
    }
    conv = conversation_row(record, metrics=False)
    for dim in _CONVERSATION_INDEXED:
        v = conv.get(dim)
        out.update(
            (dim, as_text(x)) for x in (v if isinstance(v, list) else () if v is None else (v,))
        )
    return out


class AnalyticsIndex:
    """Analytics records kept for queries: sorted by start, with posting sets per dimension.

    Fed either records (:meth:`add`, :meth:`replace`) or, as the server does, the conversations
    of a store, which ``source`` looks up by id (:meth:`follow`, :meth:`track`). A followed
    conversation costs nothing until a query's interval reaches its start: then its end and
    indexed values are read off the engine state
    (:func:`~gcmock.scenarios.views.analytics_values.indexed_values`, a tenth of a record's
    cost); its record (``to_analytics(conv, with_attributes=True, world=world)``) is projected
    only when a query
    returns it or a filter the postings cannot answer needs it. Postings are kept only for the
    dimensions queries have filtered by, so reading a conversation touches a few of them. The
    first query over a large store thus costs what its interval holds, not what the store
    holds. Records are kept as JSON bytes; :meth:`query` pages return the sync shape (no
    participant ``attributes``), :meth:`records` either shape.
    """

    def __init__(
        self,
        world: World | None = None,
        source: Callable[[str], Conversation | None] | None = None,
    ) -> None:
        self._world = world
        self._source = source
        self._entries: dict[str, _Entry] = {}
        self._starts: list[tuple[int, str]] = []
        self._postings: dict[_Posting, set[str]] = {}
        self._posted: set[str] = set()
        """The dimensions whose postings are kept (those some query has filtered by)."""
        self._keys: dict[_Posting, _Posting] = {}
        """One shared tuple per distinct (dimension, value): entries hold these, not copies."""
        self._live: set[str] = set()
        self._max_span = 0
        self._generation = 0
        """Bumped whenever an entry comes or goes: the shape tables hold for one generation."""
        self._tables: dict[Shape, ShapeTable] = {}
        self._table_generation = 0
        self._unread: list[tuple[int, str]] = []
        """(start, id) of followed conversations no query has read in their current state,
        sorted; one whose current state does not start there, or is indexed, is skipped."""

    def __len__(self) -> int:
        """The conversations indexed so far (followed ones count once a query has read them)."""
        return len(self._entries)

    def __contains__(self, conversation_id: object) -> bool:
        return conversation_id in self._entries

    def add(self, record: Mapping[str, Any]) -> None:
        """Add a new conversation's record; an id already present is an error."""
        cid = record["conversationId"]
        if cid in self._entries:
            raise ValueError(f"conversation {cid} is already indexed; use replace")
        start = record_ms(record["conversationStart"])
        end = record_ms(record["conversationEnd"]) if "conversationEnd" in record else None
        values = self._shared(record_values(record))
        row = conversation_row(record, metrics=False)
        self._insert([_Entry(cid, start, end, values, row, orjson.dumps(record))])

    def replace(self, record: Mapping[str, Any]) -> None:
        """Add or update a conversation's record."""
        self.remove(record["conversationId"])
        self.add(record)

    def remove(self, conversation_id: str) -> None:
        """Forget a conversation (no error if it is unknown)."""
        entry = self._entries.pop(conversation_id, None)
        if entry is None:
            return
        self._generation += 1
        i = bisect.bisect_left(self._starts, (entry.start, entry.id))
        if i < len(self._starts) and self._starts[i] == (entry.start, entry.id):
            del self._starts[i]
        for key in entry.values:
            if key[0] in self._posted:
                ids = self._postings[key]
                ids.discard(entry.id)
                if not ids:
                    del self._postings[key]
        self._live.discard(entry.id)

    def follow(self, order: list[tuple[int, str]]) -> None:
        """Follow a whole store afresh: ``order`` is the (start, id) of every conversation in
        it, sorted (the index keeps the list). Entries whose conversation is gone or changed
        are dropped, to be read again when needed; the others stay, so following the same
        conversations again (a reset to the served state) costs a look-up per entry."""
        source = self._require_source()
        for cid, entry in list(self._entries.items()):
            if source(cid) is not entry.source:
                self.remove(cid)
        self._unread = order

    def track(self, conversation_ids: Iterable[str]) -> None:
        """Conversations published since (new or changed): each is read again when needed."""
        source = self._require_source()
        fresh = []
        for cid in conversation_ids:
            conv = source(cid)
            entry = self._entries.get(cid)
            if entry is not None:
                if entry.source is conv:
                    continue
                self.remove(cid)
            if conv is None:
                continue
            key = (conv.start, cid)  # a conversation's start never changes
            k = bisect.bisect_left(self._unread, key)
            if k == len(self._unread) or self._unread[k] != key:
                fresh.append(key)
        _merge(self._unread, sorted(set(fresh)))

    def records(self, ids: Iterable[str], *, with_attributes: bool = False) -> list[dict[str, Any]]:
        """The records of ``ids`` (unknown ids skipped), in the sync or the async shape."""
        out = []
        for cid in ids:
            entry = self._entries.get(cid)
            if entry is None and self._source is not None:
                conv = self._source(cid)
                if conv is not None:
                    entry = self._entry(conv)
                    self._insert([entry])
            if entry is None:
                continue
            record: dict[str, Any] = orjson.loads(self._blob(entry))
            if not with_attributes:
                for p in record["participants"]:
                    p.pop("attributes", None)
            out.append(record)
        return out

    # -- entries -----------------------------------------------------------------------------
    def _require_source(self) -> Callable[[str], Conversation | None]:
        if self._source is None:
            raise TypeError("this index holds records: it has no conversations to follow")
        return self._source

    def _shared(self, values: Iterable[_Posting]) -> tuple[_Posting, ...]:
        keys = self._keys
        return tuple([keys.setdefault(key, key) for key in values])

    def _entry(self, conv: Conversation) -> _Entry:
        values = self._shared(indexed_values(conv))
        return _Entry(conv.id, conv.start, analytics_end(conv), values, None, None, conv)

    def _blob(self, entry: _Entry) -> bytes:
        if entry.blob is None:
            assert entry.source is not None
            record = to_analytics(entry.source, with_attributes=True, world=self._world)
            entry.blob = orjson.dumps(record)
        return entry.blob

    def _row(self, entry: _Entry) -> dict[str, Any]:
        if entry.conv is None:
            assert entry.source is not None
            header = conversation_header(entry.source, entry.end)
            entry.conv = conversation_row(header, metrics=False)
        return entry.conv

    def _insert(self, entries: list[_Entry]) -> None:
        postings, posted = self._postings, self._posted
        self._generation += bool(entries)
        for entry in entries:
            cid = entry.id
            self.remove(cid)  # an entry read again replaces the one it had
            self._entries[cid] = entry
            if posted:
                for key in entry.values:
                    if key[0] in posted:
                        ids = postings.get(key)
                        if ids is None:
                            ids = postings[key] = set()
                        ids.add(cid)
            if entry.end is None:
                self._live.add(cid)
            else:
                self._max_span = max(self._max_span, entry.end - entry.start)
        _merge(self._starts, [(e.start, e.id) for e in entries])

    def _post(self, dimension: str) -> None:
        """Keep postings for ``dimension`` from now on (those of every entry, the first time)."""
        if dimension in self._posted:
            return
        self._posted.add(dimension)
        postings = self._postings
        for cid, entry in self._entries.items():
            for key in entry.values:
                if key[0] == dimension:
                    ids = postings.get(key)
                    if ids is None:
                        ids = postings[key] = set()
                    ids.add(cid)

    def _read(self, q: DetailQuery) -> None:
        """Read the followed conversations ``q`` can select: those starting in its bisect
        window, or, for a job that keeps conversations live since long before, every earlier
        one (their spans are unknown until read). The collector is paused meanwhile: reading
        thousands of conversations allocates long-lived objects by the ten thousand, and each
        collection on the way would traverse all of them again."""
        unread = self._unread
        if not unread:
            return
        assert self._source is not None
        lo = None if q.job and not q.start_of_day else q.start_bounds(0)[0]
        i = 0 if lo is None else bisect.bisect_left(unread, (lo, ""))
        j = bisect.bisect_left(unread, (q.end, ""))
        if i == j:
            return
        due = unread[i:j]
        del unread[i:j]
        source, entries = self._source, self._entries
        fresh = []
        seen: set[str] = set()
        with collector_paused():
            for start, cid in due:
                conv = source(cid)
                if conv is None or conv.start != start or cid in seen:
                    continue
                seen.add(cid)
                entry = entries.get(cid)
                if entry is not None and entry.source is conv:
                    continue
                fresh.append(self._entry(conv))
            self._insert(fresh)

    # -- details ---------------------------------------------------------------------------
    def search(self, q: DetailQuery) -> list[str]:
        """The ids of every matching conversation, in the query's order."""
        self._read(q)
        candidates, residual = self._plan(q.filters)
        entries = self._select(q, candidates)
        if residual:
            entries = [e for e in entries if self._passes(e, residual)]
        if q.order_by in ("conversationEnd", "segmentEnd"):
            inf = float("inf")
            entries.sort(key=lambda e: (inf if e.end is None else e.end, e.id))
        else:
            entries.sort(key=lambda e: (e.start, e.id))
        if q.order == "desc":
            entries.reverse()
        ids = [e.id for e in entries]
        return ids[: q.limit] if q.limit is not None else ids

    def query(self, q: DetailQuery) -> dict[str, Any]:
        """One page of ``AnalyticsConversationQueryResponse``: ``conversations``, ``totalHits``."""
        ids = self.search(q)
        first = (q.page_number - 1) * q.page_size
        page = self.records(ids[first : first + q.page_size])
        out: dict[str, Any] = {"conversations": page} if page else {}
        out["totalHits"] = len(ids)
        return out

    def _select(self, q: DetailQuery, candidates: set[str] | None) -> list[_Entry]:
        lo, hi = q.start_bounds(self._max_span)
        i = bisect.bisect_left(self._starts, (lo, ""))
        j = bisect.bisect_left(self._starts, (hi, ""))
        entries = self._entries
        if candidates is not None and len(candidates) < j - i:
            picked = (entries[c] for c in candidates if c in entries)
            return [e for e in picked if q.in_interval(e.start, e.end)]
        out = []
        for _, cid in self._starts[i:j]:
            if candidates is None or cid in candidates:
                e = entries[cid]
                if q.in_interval(e.start, e.end):
                    out.append(e)
        if q.job and not q.start_of_day:  # live conversations started before the bisect window
            for cid in self._live:
                e = entries[cid]
                if e.start < lo and (candidates is None or cid in candidates):
                    out.append(e)
        return out

    def _plan(self, filters: Sequence[Filter]) -> tuple[set[str] | None, list[Filter]]:
        """Candidate ids from the postings (None: no restriction) and the filters they do not
        answer exactly, to test on each candidate."""
        candidates: set[str] | None = None
        residual = []
        for f in filters:
            ids, exact = self._plan_filter(f)
            if ids is not None:
                candidates = ids if candidates is None else candidates & ids
            if not exact:
                residual.append(f)
        return candidates, residual

    def _plan_filter(self, f: Filter) -> tuple[set[str] | None, bool]:
        parts = [self._plan_predicate(f.kind, p) for p in f.predicates]
        parts += [self._plan_filter(c) for c in f.clauses]
        if f.any_of:
            if any(ids is None for ids, _ in parts):
                return None, False
            union: set[str] = set()
            for ids, _ in parts:
                union |= ids or set()
            return union, all(exact for _, exact in parts)
        known = sorted((ids for ids, _ in parts if ids is not None), key=len)
        result = set(known[0]).intersection(*known[1:]) if known else None
        # rows of one filter must match together: exact only when there is one row per record
        single_row = f.kind == "conversation" or len(parts) == 1
        return result, single_row and all(exact for _, exact in parts)

    def _plan_predicate(self, kind: str, p: Predicate) -> tuple[set[str] | None, bool]:
        if kind == "conversation" and p.key == "conversationId" and p.value is not None:
            return ({p.value} if p.value in self._entries else set()), True
        if kind == "conversation" and p.key == "conversationEnd" and p.operator != "matches":
            live = set(self._live)
            if p.operator == "notExists":
                return live, True
            return None, False
        if p.operator == "matches" and p.value is not None:
            dims = _SEGMENT_INDEXED if kind == "segment" else _CONVERSATION_INDEXED
            if kind in ("segment", "conversation") and p.key in dims:
                self._post(p.key)
                return self._postings.get((p.key, p.value), set()), True
        return None, False

    def _passes(self, e: _Entry, filters: Sequence[Filter]) -> bool:
        light = [f for f in filters if f.kind == "conversation" and _no_metrics(f)]
        if any(not f.test(self._row(e)) for f in light):
            return False
        heavy = [f for f in filters if f not in light]
        return not heavy or matches(orjson.loads(self._blob(e)), heavy)

    # -- aggregates ------------------------------------------------------------------------
    def aggregate(self, q: AggregateQuery) -> dict[str, Any]:
        """``ConversationAggregateQueryResponse`` over every record active in the interval.

        Each record's contributions to queries of one shape are kept on its entry, and those
        of the entries read so far in a :class:`~.contributions.ShapeTable` per shape until
        an entry changes: a later query of the same shape (any interval inside those already
        asked, granularity or metrics) reads no record and visits no entry."""
        window = DetailQuery(q.start, q.end, job=True)
        self._read(window)
        shape = shape_of(q)
        if self._table_generation != self._generation:
            self._tables.clear()
            self._table_generation = self._generation
        table = self._tables.pop(shape, None)
        if table is None:
            table = ShapeTable()
            if len(self._tables) >= _SHAPES:
                del self._tables[next(iter(self._tables))]
        self._tables[shape] = table  # the most recent last
        if not table.covers(q.start, q.end):
            with collector_paused():
                for e in self._select(window, None):
                    if e.id not in table:
                        table.add(e.id, e.start, e.end, self._parts(e, shape))
            table.cover(q.start, q.end)
        return table.response(q)

    def _parts(self, entry: _Entry, shape: Shape) -> Contribution:
        kept = entry.parts
        if kept is None:
            kept = entry.parts = {}
        found = kept.get(shape)
        if found is None:
            if len(kept) >= _SHAPES:
                del kept[next(iter(kept))]
            found = kept[shape] = contributions(orjson.loads(self._blob(entry)), shape)
        return found


def _merge(order: list[tuple[int, str]], items: list[tuple[int, str]]) -> None:
    """Insert ``items`` into the sorted list ``order``: one by one when few, else by one sort
    (two sorted runs, which the sort merges in linear time)."""
    if len(items) <= _BATCH:
        for item in items:
            bisect.insort(order, item)
    else:
        items.sort()
        order += items
        order.sort()


def _no_metrics(f: Filter) -> bool:
    return all(p.key in CONVERSATION_DIMENSIONS for p in f.predicates) and all(
        _no_metrics(c) for c in f.clauses
    )
