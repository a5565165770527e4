"""Rules over the whole document: no nulls, well-formed timestamps and ids, ids unique in the
conversation, one name per id; the base of every rule family."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .rules import Violation
from .vocabulary import (
    EXTRA_TIME_KEYS,
    TIMESTAMP_NO_MILLIS,
    UUID,
    JsonPath,
    one_of,
    parse_ms,
    render,
)


class DocumentRules:
    """The checks of one conversation: its state (the violations, and the ids and names the
    dataset rules need) and the document-wide rules: nulls, timestamp formats, ids, enums,
    names."""

    def __init__(self, conversation: Mapping[str, Any], skew_ms: int) -> None:
        self.conv = conversation
        self.skew = skew_ms
        raw_id = conversation.get("id")
        self.cid = raw_id if isinstance(raw_id, str) else ""
        self.out: list[Violation] = []
        self.ids: set[str] = set()
        self.names: dict[tuple[str, str], tuple[str, str | None]] = {}
        self.peers: list[tuple[str | None, str]] = []

    def add(self, pid: str | None, rule: str, message: str) -> None:
        self.out.append(Violation(self.cid, pid, rule, message))

    # -- whole-document walk: nulls and timestamp formats ---------------------------------------

    def walk(self, node: Any, path: JsonPath, pid: str | None, times: bool) -> None:
        """Report nulls and malformed timestamps under ``node`` (``attributes`` are free text)."""
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    if value:
                        self.walk(value, (path, key), pid, times and key != "attributes")
                elif value is None:
                    self.add(pid, "json.null", f"{render((path, key))} is null")
                elif times and (key.endswith("Time") or key in EXTRA_TIME_KEYS):
                    self.check_time_format(key, value, (path, key), pid)
        else:
            for index, value in enumerate(node):
                if isinstance(value, (dict, list)):
                    if value:
                        self.walk(value, (path, index), pid, times)
                elif value is None:
                    self.add(pid, "json.null", f"{render((path, index))} is null")

    def check_time_format(self, key: str, value: Any, path: JsonPath, pid: str | None) -> None:
        if isinstance(value, str) and (
            parse_ms(value) is not None
            or (key == "callbackScheduledTime" and TIMESTAMP_NO_MILLIS.fullmatch(value))
        ):
            return
        self.add(pid, "time.format", f"{render(path)} {value!r} is not yyyy-MM-ddTHH:mm:ss.SSSZ")

    # -- small helpers --------------------------------------------------------------------------

    def check_id(self, pid: str | None, what: str, value: Any) -> None:
        if not (isinstance(value, str) and UUID.fullmatch(value)):
            self.add(pid, "id.format", f"{what} {value!r} is not a lowercase UUID")

    def check_enum(
        self, pid: str | None, rule: str, what: str, value: Any, allowed: frozenset[str]
    ) -> None:
        if not one_of(value, allowed):
            self.add(pid, rule, f"{what} {value!r} is not one of {', '.join(sorted(allowed))}")

    def note_name(self, pid: str | None, kind: str, ident: Any, name: Any) -> None:
        """Remember ``ident``'s name; a second, different name breaks name.consistent."""
        if not (isinstance(ident, str) and isinstance(name, str)):
            return
        seen = self.names.setdefault((kind, ident), (name, pid))
        if seen[0] != name:
            self.add(
                pid,
                "name.consistent",
                f"{kind} {ident} is named {name!r} here and "
                f"{seen[0]!r} elsewhere in the conversation",
            )

    def note_id(self, pid: str | None, what: str, value: Any) -> None:
        """Check a participant or communication id and that it is unique in the conversation."""
        if value is None:
            self.add(pid, "field.required", f"{what} has no id")
            return
        self.check_id(pid, what, value)
        if isinstance(value, str):
            if value in self.ids:
                self.add(pid, "id.unique", f"{what} id {value} is used twice")
            self.ids.add(value)
