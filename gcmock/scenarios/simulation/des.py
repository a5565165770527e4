"""The discrete-event core of one simulated day: users following their shifts, queues holding
arrivals in FIFO order, the ACD offering each to the longest-idle member who is On Queue and
:func:`~..engine.agents.can_take` it, ring-outs, abandonment and the users' timelines.

It knows nothing of conversations: ``serve(arrival, user_id, at)`` (given by the caller) says
how long each user an answered arrival involves stays busy, as :class:`Booking` spans. The
full generator renders the conversation there; the queueing-theory test draws an exponential
handling time. A pure function of what it is given: events at the same time run in a fixed
order (work ending, not-responding ending, presence changes, ring-outs, arrivals, abandons).

Rules the platform follows and the core copies:

* An offer that rings out (``Arrival.ring_out``; only to an agent with no other work: one
  busy with chats is at the desk and answers) keeps the agent interacting while it alerts,
  then makes the agent NOT_RESPONDING for ``not_responding_ms`` (lognormal, median 30 s, sigma
  0.8, clipped to 5 s .. 10 min: the time an agent takes to notice and go back On Queue), then
  IDLE; the arrival goes back to the head of its queue and is offered to the next agent.
* A user leaves On Queue (break, meal, logout...) only when free: a planned change waits for
  the end of the user's work. The last member On Queue of a queue holding arrivals stays until
  it is empty, so nothing is left waiting at the end of the day.
* A secondary user (a colleague taking a transfer, a supervisor listening in) is picked by
  :meth:`DayCore.pick` among the free, and held from the moment of the pick to the start of
  their part in the conversation: nobody can route work to them meanwhile.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Callable, Iterable, Mapping

from ..engine.agents import can_take, routing_status
from ..world.presence import ON_QUEUE
from .schedule import Shift
from .state import Arrival, Booking, Span, UserState

__all__ = ["Arrival", "Booking", "DayCore", "Span", "UserState", "not_responding_ms"]

_END, _NR_END, _PRESENCE, _RING, _ARRIVE, _ABANDON = range(6)


def not_responding_ms(rng: random.Random) -> int:
    v = rng.lognormvariate(math.log(30), 0.8)
    return int(min(max(v, 5.0), 600.0) * 1000)


class DayCore:
    """One day's users and queues; :meth:`run` plays the arrivals through them."""

    def __init__(
        self,
        users: Iterable[UserState],
        members: Mapping[str, tuple[str, ...]],
        serve: Callable[[Arrival, str | None, int], list[Booking]],
        *,
        rng: random.Random,
        alert_ms: Callable[[Arrival], int] = lambda a: 8000,
    ) -> None:
        self.users = {u.id: u for u in users}
        self.members = {q: tuple(m for m in ids if m in self.users) for q, ids in members.items()}
        self.queue_order = sorted(self.members)
        self.serve = serve
        self.rng = rng
        self.alert_ms = alert_ms
        self.waiting: dict[str, deque[Arrival]] = {q: deque() for q in self.members}
        self.outbound: deque[Arrival] = deque()
        self.heap: list[tuple[int, int, int, str, object]] = []
        self.seq = 0
        self.now = 0

    # -- the event loop ------------------------------------------------------------------
    def push(self, at: int, rank: int, kind: str, data: object) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (at, rank, self.seq, kind, data))

    def run(self, arrivals: Iterable[Arrival]) -> None:
        for u in self.users.values():
            if u.shift is not None:
                self.push(u.shift.start, _PRESENCE, "login", u)
        for a in arrivals:
            self.push(a.at, _ARRIVE, "arrive", a)
        while True:
            while self.heap:
                at, _, _, kind, data = heapq.heappop(self.heap)
                self.now = at
                getattr(self, f"_on_{kind}")(data)
            if not self._call_in_stranded():
                break
        for u in self.users.values():
            self._close(u)

    # -- presence ------------------------------------------------------------------------
    def _set_presence(self, u: UserState, presence: str) -> None:
        t = self.now
        if presence != u.presence:
            since = t
            spans = u.presence_spans
            if u.presence != "Offline" and u._presence_since < t:
                spans.append((u._presence_since, t, u.presence))
            elif spans and spans[-1][1] == t and spans[-1][2] == presence:
                since = spans.pop()[0]
            u.presence, u._presence_since = presence, since
            if presence != ON_QUEUE:
                u.not_responding = False
            else:
                u.idle_since = t
        self._note(u)

    def _note(self, u: UserState) -> None:
        """Record the routing status ``u`` shows now, if it changed."""
        status = routing_status(
            u.presence, u.load, acd_load=u.acd_load, not_responding=u.not_responding
        )
        if status != u._status:
            t = self.now
            since = t
            spans = u.routing_spans
            if u._status != "OFF_QUEUE" and u._status_since < t:
                spans.append((u._status_since, t, u._status))
            elif spans and spans[-1][1] == t and spans[-1][2] == status:
                since = spans.pop()[0]  # a status held for no time: the previous one goes on
            u._status, u._status_since = status, since

    def _close(self, u: UserState) -> None:
        """End the spans still open when the day's last event has run."""
        t = self.now
        if u.presence != "Offline" and u._presence_since < t:
            u.presence_spans.append((u._presence_since, t, u.presence))
        if u._status != "OFF_QUEUE" and u._status_since < t:
            u.routing_spans.append((u._status_since, t, u._status))

    def _on_login(self, u: UserState) -> None:
        shift = u.shift
        assert shift is not None
        self._set_presence(u, "Available")
        if u.agent:
            self.push(self.now + shift.login_ms, _PRESENCE, "to_base", u)
        for k, a in enumerate(shift.activities):
            self.push(max(a.start, self.now), _PRESENCE, "want", (u, k))
        self.push(max(shift.end, self.now), _PRESENCE, "want", (u, -1))

    def _on_to_base(self, u: UserState) -> None:
        self._set_presence(u, u.base)
        self._transitions(u)
        self._feed(u)

    def _on_want(self, data: tuple[UserState, int]) -> None:
        u, k = data
        u.wants.append(("logout", 0) if k < 0 else ("activity", k))
        self._transitions(u)

    def _on_activity_end(self, u: UserState) -> None:
        self._set_presence(u, u.base)
        self._transitions(u)
        self._feed(u)

    def _transitions(self, u: UserState) -> None:
        """Apply the planned changes that are due, if ``u`` is free and at their base."""
        while u.wants and not u.busy and u.presence == u.base:
            what, k = u.wants[0]
            if what == "logout":
                if self._last_one_needed(u):
                    return
                u.wants.clear()
                self._set_presence(u, "Offline")
                return
            u.wants.popleft()
            assert u.shift is not None
            activity = u.shift.activities[k]
            self._set_presence(u, activity.presence)
            self.push(self.now + activity.duration, _PRESENCE, "activity_end", u)
            return

    def _outbound_waiting(self) -> bool:
        while self.outbound and self.outbound[0]._state != "waiting":
            self.outbound.popleft()
        return bool(self.outbound)

    def _last_one_needed(self, u: UserState) -> bool:
        """True if ``u`` is the last member On Queue of a queue still holding arrivals (or the
        last agent On Queue while outbound calls wait to be dialled)."""
        if u.queue_ids and self._outbound_waiting():
            others = (o for o in self.users.values() if o.agent and o is not u)
            if not any(o.presence == ON_QUEUE and o.queue_ids for o in others):
                return True
        for q in u.queue_ids:
            if not self._head(q):
                continue
            others = (self.users[m] for m in self.members.get(q, ()) if m != u.id)
            if not any(o.presence == ON_QUEUE for o in others):
                return True
        return False

    def _call_in_stranded(self) -> bool:
        """Arrivals left waiting with nobody to come: a member of their queue (for outbound
        calls, an agent) is called in."""
        called = False
        if self._outbound_waiting():
            dialers = [u for u in self.users.values() if u.agent and u.queue_ids]
            if dialers and all(u.presence == "Offline" for u in dialers):
                self._call_in(self._latest(dialers))
                called = True
        for q in self.queue_order:
            if not self._head(q) or not self.members[q]:
                continue
            members = [self.users[m] for m in self.members[q]]
            if any(u.presence != "Offline" for u in members):
                continue
            self._call_in(self._latest(members))
            called = True
        return called

    @staticmethod
    def _latest(users: list[UserState]) -> UserState:
        """Who left last (an evening shift, never the night crew if anyone else worked)."""
        return max(users, key=lambda u: u.shift.end if u.shift is not None else -1)

    def _call_in(self, u: UserState) -> None:
        u.shift = Shift(u.id, self.now, self.now, 0, (), on_queue=True)
        self.push(self.now, _PRESENCE, "login", u)

    # -- routing -------------------------------------------------------------------------
    def _eligible(self, u: UserState, media: str) -> bool:
        return (
            u.presence == ON_QUEUE
            and not u.not_responding
            and u.reserved == 0
            and can_take(media, u.load, u.utilization)
            and (not u.wants or (u.wants[0][0] == "logout" and self._last_one_needed(u)))
        )

    def _head(self, q: str) -> Arrival | None:
        line = self.waiting.get(q)
        while line and line[0]._state != "waiting":
            line.popleft()
        return line[0] if line else None

    def _first_for(self, u: UserState, q: str) -> Arrival | None:
        """The oldest arrival waiting in ``q`` that ``u`` can take now (a chat that does not
        fit does not keep a call waiting behind it)."""
        if self._head(q) is None:
            return None
        refused: set[str] = set()
        for a in self.waiting[q]:
            if a._state != "waiting" or a.media in refused:
                continue
            if a.rang_out is not None and a.rang_out[0] == u.id and self._others_on(q, u):
                continue  # not offered again to the agent who let it ring out, if others are
            if self._eligible(u, a.media):
                return a
            refused.add(a.media)
            if len(refused) >= len(u.utilization):
                break
        return None

    def _others_on(self, q: str, u: UserState) -> bool:
        return any(self.users[m].presence == ON_QUEUE for m in self.members[q] if m != u.id)

    def _choose_queue(self, a: Arrival) -> str:
        """A queue in proportion to its members On Queue now (or on shift later, or at all)."""
        t = self.now

        def on_queue(m: str) -> bool:
            return self.users[m].presence == ON_QUEUE

        def later(m: str) -> bool:
            s = self.users[m].shift
            return s is not None and s.start > t

        for test in (on_queue, later, None):
            weights = [
                sum(1 for m in self.members[q] if test is None or test(m)) for q in self.queue_order
            ]
            total = sum(weights)
            if total:
                x = a.u * total
                for q, w in zip(self.queue_order, weights, strict=True):
                    if x < w:
                        return q
                    x -= w
                return self.queue_order[-1]
        return self.queue_order[int(a.u * len(self.queue_order))]

    def _on_arrive(self, a: Arrival) -> None:
        if a.queue_id is None and a.kind != "outbound":
            a.queue_id = self._choose_queue(a)
        if a.kind == "direct":
            a.outcome = "direct"
            a._state = "done"
            self._book(self.serve(a, None, self.now))
            return
        a._state = "waiting"
        if a.kind == "outbound":
            self.outbound.append(a)
            candidates = [u for u in self.users.values() if u.agent]
        else:
            assert a.queue_id is not None
            self.waiting[a.queue_id].append(a)
            if a.patience_ms is not None:
                self.push(a.at + a.patience_ms, _ABANDON, "abandon", a)
            candidates = [self.users[m] for m in self.members[a.queue_id]]
        best = self._longest_idle(candidates, a.media)
        if best is not None:
            self._feed(best)

    def _longest_idle(self, users: Iterable[UserState], media: str) -> UserState | None:
        best: UserState | None = None
        best_key = (0, 0)
        for u in users:
            if self._eligible(u, media):
                key = (sum(u.load.values()), u.idle_since)
                if best is None or key < best_key:
                    best, best_key = u, key
        return best

    def _feed(self, u: UserState) -> None:
        """Offer ``u`` the oldest waiting arrival of their queues they can take, while any."""
        while u.presence == ON_QUEUE:
            best: Arrival | None = None
            for q in u.queue_ids:
                head = self._first_for(u, q)
                if head is not None and (best is None or head.at < best.at):
                    best = head
            if (
                best is None
                and self._outbound_waiting()
                and u.queue_ids
                and self._eligible(u, "call")
            ):
                best = self.outbound.popleft()
                best.queue_id = u.queue_ids[int(best.u * len(u.queue_ids))]
            if best is None:
                return
            self._offer(best, u)

    def _offer(self, a: Arrival, u: UserState) -> None:
        t = self.now
        rings_out = a.ring_out and a.rang_out is None and a.kind == "acd" and not u.busy
        u.load[a.media] = u.load.get(a.media, 0) + 1
        u.acd_load += 1
        if rings_out:
            a._state = "alerting"
            a.rang_out = (u.id, t, t + self.alert_ms(a))
            self.push(a.rang_out[2], _RING, "ring_end", (a, u))
            self._note(u)
            return
        a._state = "done"
        a.outcome, a.agent_id, a.answered_at = "answered", u.id, t
        self._note(u)
        bookings = self.serve(a, u.id, t)
        self._book(bookings, primary=u, primary_media=a.media)

    def _book(
        self,
        bookings: list[Booking],
        primary: UserState | None = None,
        primary_media: str = "",
    ) -> None:
        for b in bookings:
            u = self.users[b.user_id]
            if primary is not None and u is primary and b.media == primary_media:
                if not b.acd:  # the agent dialled out directly: communicating, not ACD work
                    u.acd_load -= 1
                    self._note(u)
                self.push(b.end, _END, "end", (u, b))
                primary = None
                continue
            self.push(b.start, _END, "start", (u, b))
            self.push(b.end, _END, "end", (u, b))
        if primary is not None:  # the serve callback gave no span: the offer ends at once
            self._on_end((primary, Booking(primary.id, primary_media, self.now, self.now)))

    def _on_start(self, data: tuple[UserState, Booking]) -> None:
        u, b = data
        if u.reserved:
            u.reserved -= 1
        u.load[b.media] = u.load.get(b.media, 0) + 1
        u.acd_load += b.acd
        self._note(u)

    def _on_end(self, data: tuple[UserState, Booking]) -> None:
        u, b = data
        u.load[b.media] -= 1
        u.acd_load -= b.acd
        if not any(u.load.values()):
            u.idle_since = self.now
        self._note(u)
        self._transitions(u)
        self._feed(u)

    def _on_ring_end(self, data: tuple[Arrival, UserState]) -> None:
        a, u = data
        u.load[a.media] -= 1
        u.acd_load -= 1
        if u.presence == ON_QUEUE:
            u.not_responding = True
            self.push(self.now + not_responding_ms(self.rng), _NR_END, "nr_end", u)
        self._note(u)
        a._state = "waiting"
        assert a.queue_id is not None
        self.waiting[a.queue_id].appendleft(a)
        if a.patience_ms is not None and a.at + a.patience_ms <= self.now:
            self._on_abandon(a)
            return
        best = self._longest_idle((self.users[m] for m in self.members[a.queue_id]), a.media)
        if best is not None:
            self._feed(best)

    def _on_nr_end(self, u: UserState) -> None:
        if not u.not_responding:
            return
        u.not_responding = False
        u.idle_since = self.now
        self._note(u)
        self._transitions(u)
        self._feed(u)

    def _on_abandon(self, a: Arrival) -> None:
        if a._state != "waiting":
            return
        a._state = "done"
        a.outcome, a.abandoned_at = "abandoned", self.now
        self._book(self.serve(a, None, self.now))
        assert a.queue_id is not None
        for m in self.members[a.queue_id]:
            self._transitions(self.users[m])

    # -- secondary users -----------------------------------------------------------------
    def pick(self, role: str, queue_id: str | None, exclude: tuple[str, ...]) -> str | None:
        """A free user for a part in a conversation being rendered now, held until it starts.

        ``agent``: the longest-idle free member of ``queue_id`` On Queue; ``supervisor``: a
        free supervisor who is Available; ``present``: anyone logged in (not held: internal
        messages take no capacity).
        """
        if role == "present":
            logged = [u for u in self.users.values() if u.presence != "Offline"]
            present = [u.id for u in logged if u.id not in exclude]
            return present[int(self.rng.random() * len(present))] if present else None
        if role == "supervisor":
            pool = [
                u
                for u in self.users.values()
                if not u.agent and u.presence == "Available" and not u.busy and not u.wants
            ]
            best = min(pool, key=lambda u: u.idle_since, default=None)
        else:
            members = self.members.get(queue_id or "", ())
            best = self._longest_idle(
                (self.users[m] for m in members if m not in exclude and not self.users[m].busy),
                "call",
            )
        if best is None or best.id in exclude:
            return None
        best.reserved += 1
        return best.id

    def release(self, user_id: str) -> None:
        """Un-hold a picked user whose part never started."""
        u = self.users[user_id]
        u.reserved -= 1
        if not u.busy:
            u.idle_since = self.now
        self._transitions(u)
        self._feed(u)
