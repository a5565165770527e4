"""The test-side check: ``assert_valid`` takes an engine conversation or its JSON, so it sits
above both the projection and the checker (which judges JSON only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..engine.model import Conversation
from ..validate.checker import validate
from ..validate.rules import CLOCK_SKEW_MS
from .projection import to_conversation_json

__all__ = ["assert_valid"]


def assert_valid(
    conversation: Conversation | Mapping[str, Any], *, skew_ms: int = CLOCK_SKEW_MS
) -> None:
    """Fail a test the way a reader needs: one line per violation, each naming the
    conversation, the participant and the rule. Takes JSON or an engine conversation."""
    data = (
        to_conversation_json(conversation)
        if isinstance(conversation, Conversation)
        else conversation
    )
    problems = validate(data, skew_ms=skew_ms)
    if problems:
        lines = "\n".join(f"  {v}" for v in problems)
        raise AssertionError(f"{len(problems)} invariant violation(s):\n{lines}")
