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
anything is due and applies exactly the steps due by now. The ACD offers a queued conversation
only to an agent the engine's roster (:mod:`.agents`) finds free: On Queue, responding, with room
under the utilization over every live conversation they are on (wrap-up included).
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
from gcmock.scenarios.engine.roster import AgentStatus, Work
from gcmock.scenarios.world import Queue

from .agents import AgentChange, Agents
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


def _owners(conv: Conversation) -> frozenset[str]:
    """Users for whom ``conv`` is one of "my active conversations": on it or in its ACW."""
    return frozenset(p.user_id for p in conv.participants if p.user_id and (p.active or p.in_acw))


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
        shift_start: Callable[[], int] | None = None,
    ) -> None:
        self.world = world
        self.clock = clock
        self.seed = seed
        self.auto = auto
        """Run the autopilot (offers, answers, timeouts) as time passes."""
        self._initial = initial
        self._shift_start = shift_start or clock.now
        """When the agents' day began (they are On Queue or Available since), on each reset."""
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
        self._agents = Agents(world, self._shift_start())
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
        self.agent_listeners: list[Callable[[AgentStatus | None, AgentStatus], None]] = []
        """Told ``(before, after)`` of every user whose presence or routing status changed
        (``before`` None the first time), after the change is published."""
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
                autopilot.advance(conv, self.world, now, self.offerable)
            yield conv, now
            self._publish(slot, conv)
        self._tell_agents()

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
        self._tell_agents()
        return conv

    def catch_up(self) -> int:
        """Apply every automatic step due by now, cheap when nothing is due.

        One step at a time, the earliest first across every conversation: an offer looks at
        who is free at its own time, so a call answered at 10:00:01 in one conversation keeps
        its agent from being offered another at 10:00:12 in the next, whichever comes first in
        the store. Returns how many conversations changed.
        """
        if not self.auto:
            return 0
        now = self.clock.now()
        if now < self._earliest():
            return 0
        with self._lock:
            woken = self._agents.woken(now)
            if woken:
                self._agents.observe(woken, self._status_now)
                self._reschedule_waiting()
        changed: set[str] = set()
        steps: dict[str, int] = {}
        while True:
            with self._lock:
                due = min(((at, cid) for cid, at in self._due.items() if at <= now), default=None)
            if due is None:
                break
            cid = due[1]
            steps[cid] = steps.get(cid, 0) + 1
            if self._step(cid, now, last=steps[cid] > autopilot.MAX_STEPS):
                changed.add(cid)
            self._tell_agents()
        return len(changed)

    def _step(self, cid: str, now: int, *, last: bool) -> bool:
        """Apply ``cid``'s next automatic step (due by ``now``); False when it applied none."""
        slot = self._slots.get(cid)
        if slot is None:
            with self._lock:
                self._due.pop(cid, None)
                self._next_due = None
            return False
        with slot.lock:
            conv = _copy(slot.snap.conv)
            try:
                applied = 0 if last else autopilot.advance(conv, self.world, now, self.offerable, 1)
            except Exception:  # a bad loaded conversation must not fail every request
                log.exception("autopilot step failed on conversation %s", cid)
                applied = 0
            if applied:
                self._publish(slot, conv)
                return True
            self._settle_schedule(slot, now)
            with self._lock:
                if self._due.get(cid, NEVER) <= now:
                    self._due[cid] = NEVER
                    self._next_due = None
        return False

    def reset(self) -> None:
        """Back to the served conversations.

        The first call builds them; later calls reuse those objects, which is safe because a
        published conversation is never mutated (writers publish a copy), and it keeps a reset
        per test down to re-indexing.
        """
        with collector_paused():
            if self._pristine is None:
                self._pristine = list(self._initial())
            with self._lock:
                self._agents = Agents(self.world, self._shift_start())
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
                self._agents.forget_conversations()
                self._due = {}
                self._waiting = set()
                self._next_due = NEVER
            for conv in conversations:
                self._add(conv, announce=not replace, bulk=True)
                count += 1
            self._sort_start_order()
            self._reschedule_waiting()
            if replace:
                self._agents.settle((u.id for u in self.world.users), self._status_now)
        self._tell_agents()
        self.catch_up()
        return count

    # -- indexes -------------------------------------------------------------------------------
    # -- agents --------------------------------------------------------------------------------
    def _work(self, user_id: str) -> Work:
        """The user's work over every live conversation they are on (store lock held)."""
        convs = [
            self._slots[c].snap.conv for c in self._by_user.get(user_id, ()) if c in self._slots
        ]
        return self._agents.work(user_id, convs)

    def _status_now(self, user_id: str) -> AgentStatus:
        return self._agents.roster.status(user_id, self._work(user_id), self.clock.now())

    def offerable(self, queue: Queue, media: str) -> list[tuple[int, str]]:
        """Who the ACD may offer ``media`` to now, longest idle first (``autopilot.Staffing``)."""
        with self._lock:
            return self._agents.roster.offerable(
                queue.member_ids, media, self._work, self.clock.now()
            )

    def agent_status(self, user_id: str) -> AgentStatus:
        """The user's presence and routing status now (``EngineError`` 404 for an unknown one)."""
        with self._lock:
            self._agents.roster.presence(user_id)
            return self._status_now(user_id)

    def agent_statuses(self, user_ids: Iterable[str]) -> dict[str, AgentStatus]:
        """Several users' state at one instant (a listing is consistent with itself)."""
        with self._lock:
            return {u: self._status_now(u) for u in user_ids}

    def set_presence(self, user_id: str, definition_id: str, message: str | None = None) -> None:
        """Set the user's presence now; the ACD follows (an invalid id changes nothing)."""
        self._agent_write(
            lambda now: self._agents.roster.set_presence(user_id, definition_id, now, message),
            user_id,
        )

    def set_routing_status(self, user_id: str, status: str) -> None:
        self._agent_write(
            lambda now: self._agents.roster.set_routing_status(user_id, status, now), user_id
        )

    def _agent_write(self, write: Callable[[int], None], user_id: str) -> None:
        self.catch_up()
        with self._lock:
            write(self.clock.now())
            self._agents.observe((user_id,), self._status_now)
            self._reschedule_waiting()
        self._tell_agents()

    def _tell_agents(self) -> None:
        """Tell the agent listeners what changed, outside the store's lock."""
        with self._lock:
            changes: list[AgentChange] = self._agents.drain()
        for before, after in changes:
            for listener in self.agent_listeners:
                listener(before, after)

    def _reschedule_waiting(self) -> None:
        """Someone may have become free: conversations waiting for an agent look again."""
        for other in list(self._waiting):
            slot = self._slots.get(other)
            if slot is not None:
                self._schedule(slot.snap.conv)

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
        wake = self._agents.next_wake
        return self._next_due if wake is None else min(wake, self._next_due)

    def _add(self, conv: Conversation, *, announce: bool = False, bulk: bool = False) -> None:
        old = self._slots.get(conv.id)
        if old is None or old.snap.conv.start != conv.start:
            self._start_order.append((conv.start, conv.id))
            self._start_order_sorted = False
        # a new slot even for a known id: waiting here for the old slot's lock (held by a
        # writer that then wants the store lock) would deadlock; that writer's publish is
        # refused instead, as if it ran before this load
        self._slots[conv.id] = _Slot(conv)
        self._by_start = None
        self._index(conv, announce=announce, bulk=bulk)
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

    def _index(self, conv: Conversation, *, announce: bool = True, bulk: bool = False) -> None:
        """Index a published ``conv``; ``announce`` tells agent listeners what it changed, and
        outside a ``bulk`` load (which does it once at its end) waiting conversations look for
        an agent again when someone may have become free."""
        cid = conv.id
        if conv.settled:
            self._live.discard(cid)
        else:
            self._live.add(cid)
        before = self._owners.get(cid, frozenset())
        owners = _owners(conv)
        freed = _reindex(self._owners, self._by_user, cid, owners)
        moved = self._agents.record(conv)
        if announce:
            self._agents.observe(before | owners | moved, self._status_now)
        self._schedule(conv)
        if (freed or moved) and not bulk:
            self._reschedule_waiting()

    def _schedule(self, conv: Conversation) -> None:
        """Record when ``conv``'s next automatic step is due. One that only waits for a free
        agent is parked in ``_waiting`` and rescheduled when some user frees up."""
        cid = conv.id
        step = None
        self._waiting.discard(cid)
        try:
            if self.auto and cid in self._live and autopilot.next_due(conv, self.world):
                step = autopilot.next_due(conv, self.world, self.offerable)
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
