"""Queueing theory to check the simulation against: Erlang C (M/M/N, callers wait forever) and
Erlang A (M/M/N+M, callers abandon after an exponential patience).

``a`` is the offered load in Erlangs (arrival rate x mean handling time), ``n`` the agents.
Erlang A has no closed form worth the name: it is solved here as the birth-death chain it is
(births at rate ``lam``, deaths ``min(k, n) mu + max(k - n, 0) theta`` with ``k`` in the
system), truncated where the stationary probabilities vanish.
"""

from __future__ import annotations

import math

__all__ = ["erlang_a", "erlang_c", "erlang_c_asa", "erlang_c_service_level"]


def erlang_c(n: int, a: float) -> float:
    """The probability that an arrival waits (``a < n``)."""
    if a >= n:
        return 1.0
    term, total = 1.0, 1.0
    for k in range(1, n):
        term *= a / k
        total += term
    top = term * a / n * n / (n - a)
    return top / (total + top)


def erlang_c_service_level(n: int, a: float, aht_s: float, threshold_s: float) -> float:
    """The share answered within ``threshold_s``: ``1 - C e^{-(n - a) t / aht}``."""
    return 1.0 - erlang_c(n, a) * math.exp(-(n - a) * threshold_s / aht_s)


def erlang_c_asa(n: int, a: float, aht_s: float) -> float:
    """The average speed of answer in seconds: ``C aht / (n - a)``."""
    return erlang_c(n, a) * aht_s / (n - a)


def erlang_a(n: int, lam: float, aht_s: float, patience_s: float) -> dict[str, float]:
    """M/M/N+M: ``abandoned`` (the share of arrivals who abandon) and ``mean_wait`` (seconds in
    queue over all arrivals, answered or not: the queue length over ``lam``, Little's law)."""
    mu, theta = 1.0 / aht_s, 1.0 / patience_s
    weights = [1.0]
    k = 0
    while True:
        k += 1
        death = min(k, n) * mu + max(k - n, 0) * theta
        weights.append(weights[-1] * lam / death)
        if k > n and weights[-1] < 1e-14 * sum(weights):
            break
    total = sum(weights)
    p = [w / total for w in weights]
    abandon_rate = sum(pk * max(k - n, 0) * theta for k, pk in enumerate(p))
    queued = sum(pk * max(k - n, 0) for k, pk in enumerate(p))
    return {"abandoned": abandon_rate / lam, "mean_wait": queued / lam}
