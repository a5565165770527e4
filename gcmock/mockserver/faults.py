"""Injected faults: per method and path glob, latency and/or an error status, fired with a
seeded probability or a fixed number of times, so flaky-network tests are reproducible."""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import dataclass
from typing import Any

from .bodies import FaultSpec

__all__ = ["Fault", "Faults", "Firing"]


@dataclass(frozen=True, slots=True)
class Firing:
    """What a fault does to one request."""

    latency_ms: int
    status: int | None
    code: str | None
    message: str | None
    retry_after: int | None


@dataclass(slots=True)
class Fault:
    id: str
    spec: FaultSpec
    rng: random.Random
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        m = self.spec.method.upper()
        return (m == "*" or m == method) and fnmatch.fnmatchcase(path, self.spec.path)

    def to_json(self) -> dict[str, Any]:
        data = self.spec.model_dump(exclude_none=True)
        return {"id": self.id, **data, "fired": self.fired}


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._next = 1

    def add(self, spec: FaultSpec) -> Fault:
        with self._lock:
            fault = Fault(f"fault-{self._next}", spec, random.Random(spec.seed))
            self._next += 1
            self._faults.append(fault)
            return fault

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.to_json() for f in self._faults]

    def remove(self, fault_id: str) -> bool:
        with self._lock:
            kept = [f for f in self._faults if f.id != fault_id]
            found = len(kept) != len(self._faults)
            self._faults = kept
            return found

    def clear(self) -> None:
        with self._lock:
            self._faults = []

    def fire(self, method: str, path: str) -> Firing | None:
        """The first matching fault whose draw fires, consuming one of its ``count``."""
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults:
                if not fault.matches(method, path):
                    continue
                spec = fault.spec
                if fault.rng.random() >= spec.probability:
                    continue
                fault.fired += 1
                if spec.count is not None and fault.fired >= spec.count:
                    self._faults.remove(fault)
                latency = spec.latencyMs
                if spec.latencyMaxMs is not None and spec.latencyMaxMs > latency:
                    latency = fault.rng.randint(latency, spec.latencyMaxMs)
                retry = spec.retryAfter
                if spec.status == 429 and "retryAfter" not in spec.model_fields_set:
                    retry = 1
                return Firing(latency, spec.status, spec.code, spec.message, retry)
        return None
