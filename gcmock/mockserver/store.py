"""The server's state: conversations by id, copy-on-write, with the indexes listings need.

Readers take a :class:`Snapshot` without locking: a published conversation is never mutated.
A writer takes the conversation's lock, changes a private copy through engine operations and
publishes it only if every operation succeeded, so a request is all-or-nothing and two writers
to one conversation never lose an update. Projections are cached on the snapshot.

Locks are always taken in one order: a conversation's lock, then the store's; never a
conversation's lock while holding the store's (a load or reset that replaces a conversation
being written gives it a new slot, and the writer's publish is then refused).

Time passing is the engine's autopilot: the store keeps, per conversation, when its next
automatic step is due (``autopilot.next_due``), so :meth:`Store.catch_up` knows in O(1) whether
anything is due and applies exactly the steps due by now.
"""

from __future__ import annotations

import io
import logging
import pickle
import random
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from gcmock.scenarios import Conversation, World, conversation_rng
from gcmock.scenarios.collector import collector_paused
from gcmock.scenarios.engine import autopilot
from gcmock.scenarios.engine.model import Event

from .clock import Clock
from .errors import not_found

__all__ = ["Snapshot", "Store"]

log = logging.getLogger(__name__)

NEVER = 2**62


@dataclass(frozen=True, slots=True)
class Snapshot:
    conv: Conversation
    cache: dict[str, Any] = field(default_factory=dict)

    def cached(self, key: str, make: Callable[[Conversation], Any]) -> Any:
        """``make(conv)`` computed once per snapshot (racing readers compute the same value)."""
        value = self.cache.get(key)
        if value is None:
            value = self.cache[key] = make(self.conv)
        return value


class _Slot:
    __slots__ = ("lock", "snap")

    def __init__(self, conv: Conversation) -> None:
        self.lock = threading.Lock()
        self.snap = Snapshot(conv)


class _CopyPickler(pickle.Pickler):
    """Pickles a conversation but its event log, which stays out of the copy's bytes."""

    def __init__(self, file: io.BytesIO, events: list[Event]) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self._events = events

    def persistent_id(self, obj: Any) -> str | None:
        return "events" if obj is self._events else None


class _CopyUnpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, events: list[Event]) -> None:
        super().__init__(file)
        self._events = events

    def persistent_load(self, pid: Any) -> list[Event]:
        return list(self._events)


def _copy(conv: Conversation) -> Conversation:
    """A private copy for a writer. Events are append-only and never changed once logged, so
    the copy gets a new list of the same Event objects: a write does not re-copy the history
    (10,000 events cost a pointer copy, not 10,000 objects)."""
    buffer = io.BytesIO()
    _CopyPickler(buffer, conv.events).dump(conv)
    buffer.seek(0)
    copy: Conversation = _CopyUnpickler(buffer, conv.events).load()
    return copy


def _owners(conv: Conversation, since: int = -NEVER) -> frozenset[str]:
    """Users for whom ``conv`` is one of "my active conversations": on it or in its ACW
    (with ``since``, only through legs that started then or later)."""
    return frozenset(
        p.user_id
        for p in conv.participants
        if p.user_id and (p.active or p.in_acw) and p.start >= since
    )


def _reindex(
    by_conv: dict[str, frozenset[str]],
    by_user: dict[str, set[str]],
    cid: str,
    users: frozenset[str],
) -> frozenset[str]:
    """Record that ``users`` are on ``cid``; returns the users who left it."""
    before = by_conv.get(cid, frozenset())
    if users == before:
        return frozenset()
    for user in before - users:
        by_user.get(user, set()).discard(cid)
    for user in users - before:
        by_user.setdefault(user, set()).add(cid)
    by_conv[cid] = users
    return before - users


def _start_key(snap: Snapshot) -> tuple[int, str]:
    return snap.conv.start, snap.conv.id


class Store:
    """Thread-safe conversations of one served world."""

    def __init__(
        self,
        world: World,
        clock: Clock,
        initial: Callable[[], Iterable[Conversation]],
        *,
        seed: int = 0,
        auto: bool = True,
    ) -> None:
        self.world = world
        self.clock = clock
        self.seed = seed
        self.auto = auto
        """Run the autopilot (offers, answers, timeouts) as time passes."""
        self._initial = initial
        self._pristine: list[Conversation] | None = None
        self.epoch = 0
        """Bumped whenever the whole set is replaced (reset, load with ``replace``)."""
        self._changes: list[str] = []
        self._lock = threading.RLock()
        self._created = 0
        self._slots: dict[str, _Slot] = {}
        self._live: set[str] = set()
        self._by_user: dict[str, set[str]] = {}
        self._owners: dict[str, frozenset[str]] = {}
        self._since = clock.now()
        self._by_occupant: dict[str, set[str]] = {}
        self._occupants: dict[str, frozenset[str]] = {}
        self._due: dict[str, int] = {}
        self._waiting: set[str] = set()
        self._next_due: int | None = NEVER
        self._by_start: list[Snapshot] | None = None
        self._start_order: list[tuple[int, str]] = []
        self._start_order_sorted = True
        self.listeners: list[Callable[[Conversation | None, Conversation], None]] = []
        """Told ``(before, after)`` of every publish, under the conversation's lock (so in the
        order of its changes): the notifications fan-out. ``before`` is None for a new one;
        whole-set replacements (reset, load with ``replace``) are not told."""
        self.reset()

    # -- reading -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._slots)

    @property
    def live_count(self) -> int:
        return len(self._live)

    def snapshot(self, conversation_id: str) -> Snapshot:
        slot = self._slots.get(conversation_id)
        if slot is None:
            raise not_found(f"conversation {conversation_id} not found")
        return slot.snap

    def live(self, user_id: str | None = None) -> list[Snapshot]:
        """Conversations not yet settled (someone on it or in ACW), oldest first; with
        ``user_id`` only that user's."""
        with self._lock:
            ids = set(self._by_user.get(user_id, ())) if user_id else set(self._live)
            slots = [self._slots[i] for i in ids if i in self._slots]
        return sorted((s.snap for s in slots), key=_start_key)

    def by_start(self) -> list[Snapshot]:
        """Every conversation, newest first (call history order)."""
        with self._lock:
            if self._by_start is None:
                snaps = [s.snap for s in self._slots.values()]
                self._by_start = sorted(snaps, key=_start_key, reverse=True)
            order = self._by_start
            slots = self._slots
        # the cached order holds old snapshots: read each slot for its current state
        return [slots[s.conv.id].snap for s in order if s.conv.id in slots]

    def start_order(self) -> list[tuple[int, str]]:
        """(start, id) of every conversation, oldest first, as a new list: the order a follower
        that reads conversations by time (the analytics index) needs, without a pass over the
        conversations. A conversation replaced by a load with another start is listed at both;
        the one its current state does not start at is stale."""
        with self._lock:
            self._sort_start_order()
            return list(self._start_order)

    def _sort_start_order(self) -> None:
        """After a load (sorting 100,000 takes 0.1 s: not a query's business) or a creation."""
        if not self._start_order_sorted:
            self._start_order.sort()
            self._start_order_sorted = True

    def dump(self) -> list[Snapshot]:
        """Every conversation, oldest first."""
        with self._lock:
            snaps = [s.snap for s in self._slots.values()]
        return sorted(snaps, key=_start_key)

    # -- writing -----------------------------------------------------------------------------
    @contextmanager
    def edit(self, conversation_id: str) -> Iterator[tuple[Conversation, int]]:
        """A private copy of the conversation, brought up to now, and now; published on exit
        unless the block raised."""
        slot = self._slots.get(conversation_id)
        if slot is None:
            raise not_found(f"conversation {conversation_id} not found")
        with slot.lock:
            conv = _copy(slot.snap.conv)
            now = self.clock.now()
            if self.auto:
                autopilot.advance(conv, self.world, now, self._busy(conv.id))
            yield conv, now
            self._publish(slot, conv)

    def new_rng(self) -> random.Random:
        """The random stream of the next conversation the server creates: the n-th since the
        last reset, so a replayed session creates the same ids."""
        with self._lock:
            index = self._created
            self._created += 1
        return conversation_rng(self.seed, index, salt="gcmock-server")

    def create(self, make: Callable[[int], Conversation]) -> Conversation:
        """Add the conversation ``make(now)`` builds (an outbound call...)."""
        conv = make(self.clock.now())
        with self._lock:
            self._add(conv, announce=True)
        return conv

    def catch_up(self) -> int:
        """Apply every automatic step due by now; cheap when nothing is due."""
        if not self.auto:
            return 0
        now = self.clock.now()
        if now < self._earliest():
            return 0
        with self._lock:
            due = [cid for cid, at in self._due.items() if at <= now]
        changed = 0
        for cid in due:
            slot = self._slots.get(cid)
            if slot is None:
                continue
            with slot.lock:
                conv = _copy(slot.snap.conv)
                try:
                    steps = autopilot.advance(conv, self.world, now, self._busy(cid))
                except Exception:  # a bad loaded conversation must not fail every request
                    log.exception("autopilot step failed on conversation %s", cid)
                    with self._lock:
                        self._due[cid] = NEVER
                        self._next_due = None
                    continue
                if steps:
                    self._publish(slot, conv)
                    changed += 1
                else:
                    self._settle_schedule(slot, now)
        return changed

    def reset(self) -> None:
        """Back to the served conversations.

        The first call builds them; later calls reuse those objects, which is safe because a
        published conversation is never mutated (writers publish a copy), and it keeps a reset
        per test down to re-indexing.
        """
        with collector_paused():
            if self._pristine is None:
                self._pristine = list(self._initial())
            self.load(self._pristine, replace=True, owned=True)

    def load(
        self, conversations: Iterable[Conversation], *, replace: bool = False, owned: bool = False
    ) -> int:
        """Add or replace conversations by id; ``replace`` drops every other one first.

        The store keeps copies, so a caller changing its objects afterwards changes nothing
        served; ``owned`` says the store already owns them (its pristine set) and skips that.
        """
        if not owned:
            conversations = [_copy(c) for c in conversations]
        count = 0
        with self._lock:
            if replace:
                self.epoch += 1
                self._changes = []
                self._created = 0
                self._slots = {}
                self._start_order = []
                self._live = set()
                self._by_user = {}
                self._owners = {}
                self._by_occupant = {}
                self._occupants = {}
                self._due = {}
                self._waiting = set()
                self._next_due = NEVER
            for conv in conversations:
                self._add(conv, announce=not replace)
                count += 1
            self._sort_start_order()
        self.catch_up()
        return count

    # -- indexes -------------------------------------------------------------------------------
    def _busy(self, conversation_id: str) -> frozenset[str]:
        """Users on (or wrapping up) another conversation through a leg that started since the
        server started: they are not offered this one. Generated and loaded history does not
        count: the generator draws each conversation's agents independently, so one agent can
        sit on several of them at once, which would leave no agent free to route to."""
        with self._lock:
            return frozenset(
                u for u, cids in self._by_occupant.items() if cids and cids != {conversation_id}
            )

    def _settle_schedule(self, slot: _Slot, now: int) -> None:
        """A due step that applied nothing: reschedule, and never spin on it."""
        conv = slot.snap.conv
        with self._lock:
            if self._slots.get(conv.id) is not slot:
                return
            self._schedule(conv)
            if self._due.get(conv.id, NEVER) <= now:
                log.warning("autopilot step of %s is due but applies nothing", conv.id)
                self._due[conv.id] = NEVER
                self._next_due = None

    def _earliest(self) -> int:
        if self._next_due is None:
            with self._lock:
                self._next_due = min(self._due.values(), default=NEVER)
        return self._next_due

    def _add(self, conv: Conversation, *, announce: bool = False) -> None:
        old = self._slots.get(conv.id)
        if old is None or old.snap.conv.start != conv.start:
            self._start_order.append((conv.start, conv.id))
            self._start_order_sorted = False
        # a new slot even for a known id: waiting here for the old slot's lock (held by a
        # writer that then wants the store lock) would deadlock; that writer's publish is
        # refused instead, as if it ran before this load
        self._slots[conv.id] = _Slot(conv)
        self._by_start = None
        self._index(conv)
        self._changed(conv.id)
        if announce:
            for listener in self.listeners:
                listener(None, conv)

    def _publish(self, slot: _Slot, conv: Conversation) -> None:
        """Make ``conv`` the slot's state, unless a reset or a load replaced the slot while
        the writer held it: then the write is superseded (it happened before the replacement)
        and must not reach the new indexes."""
        before = slot.snap.conv
        with self._lock:
            if self._slots.get(conv.id) is not slot:
                return
            slot.snap = Snapshot(conv)
            self._index(conv)
            self._changed(conv.id)
        for listener in self.listeners:
            listener(before, conv)

    def _changed(self, conversation_id: str) -> None:
        """Log a publish for :meth:`changes_since`; a log much longer than the store is
        dropped (a new epoch), which makes followers resynchronise in full once."""
        self._changes.append(conversation_id)
        if len(self._changes) > 4 * len(self._slots) + 10_000:
            self.epoch += 1
            self._changes = []

    def changes_since(self, epoch: int, position: int) -> tuple[int, int, list[str] | None]:
        """Conversation ids published since (``epoch``, ``position``), for a follower such as
        the analytics index: ``(epoch, position, ids)`` now, with ``ids`` None when the epoch
        changed and everything must be read again."""
        with self._lock:
            if epoch != self.epoch:
                return self.epoch, len(self._changes), None
            return epoch, len(self._changes), self._changes[position:]

    def _index(self, conv: Conversation) -> None:
        cid = conv.id
        if conv.settled:
            self._live.discard(cid)
        else:
            self._live.add(cid)
        _reindex(self._owners, self._by_user, cid, _owners(conv))
        freed = _reindex(self._occupants, self._by_occupant, cid, _owners(conv, self._since))
        self._schedule(conv)
        if freed and self._waiting:
            for other in list(self._waiting - {cid}):
                slot = self._slots.get(other)
                if slot is not None:
                    self._schedule(slot.snap.conv)

    def _schedule(self, conv: Conversation) -> None:
        """Record when ``conv``'s next automatic step is due. One that only waits for a free
        agent is parked in ``_waiting`` and rescheduled when some user frees up."""
        cid = conv.id
        step = None
        self._waiting.discard(cid)
        try:
            if self.auto and cid in self._live and autopilot.next_due(conv, self.world):
                step = autopilot.next_due(conv, self.world, self._busy(cid))
                if step is None:
                    self._waiting.add(cid)
        except Exception:  # as in catch_up: never schedule what cannot be computed
            log.exception("cannot schedule conversation %s", cid)
        old = self._due.pop(cid, None)
        if step is not None:
            self._due[cid] = step[0]
            if self._next_due is not None and step[0] < self._next_due:
                self._next_due = step[0]
        if old is not None and old == self._next_due:
            self._next_due = None
