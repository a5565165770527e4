"""Wrap-up rules: a completed wrap-up has its ACW times, lasts what they say, and its code is a
UUID or a system ININ- code with one name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .rules_document import DocumentRules
from .vocabulary import time_of


class WrapupRules(DocumentRules):
    """The wrap-up of a participant (and of a communication, in the nested shape)."""

    def wrapup(self, p: Mapping[str, Any], pid: str | None, wrapup: Mapping[str, Any]) -> None:
        self.wrapup_code(pid, wrapup)
        start_acw, end_acw = time_of(p, "startAcwTime"), time_of(p, "endAcwTime")
        duration = wrapup.get("durationSeconds")
        if isinstance(duration, int) and start_acw is not None and end_acw is not None:
            expected = (end_acw - start_acw) // 1000
            if abs(duration - expected) > 1:
                self.add(
                    pid,
                    "wrapup.duration",
                    f"durationSeconds {duration} but ACW lasted {expected} s",
                )
        wrapup_end = time_of(wrapup, "endTime")
        if wrapup_end is not None and end_acw is not None and wrapup_end != end_acw:
            self.add(
                pid,
                "wrapup.endTime",
                f"wrapup.endTime {wrapup['endTime']} is not endAcwTime {p['endAcwTime']}",
            )
        complete = "endTime" in wrapup or "durationSeconds" in wrapup
        if complete and not ("startAcwTime" in p and "endAcwTime" in p):
            self.add(pid, "wrapup.acw", "a completed wrap-up without startAcwTime and endAcwTime")
        elif "endTime" in p and "startAcwTime" not in p:
            self.add(pid, "wrapup.acw", "an ended participant has a wrap-up but no startAcwTime")

    def wrapup_code(self, pid: str | None, wrapup: Mapping[str, Any]) -> None:
        code = wrapup.get("code")
        if code is None:
            return
        if not (isinstance(code, str) and code.startswith("ININ-")):
            self.check_id(pid, "wrapup.code", code)
        self.note_name(pid, "wrap-up code", code, wrapup.get("name"))
