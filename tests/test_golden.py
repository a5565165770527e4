"""The bytes gcmock produces for fixed seeds are those recorded in ``tests/golden.json``."""

from __future__ import annotations

import json
from pathlib import Path

from .golden import digests


def test_output_is_byte_identical_to_the_recorded_release() -> None:
    recorded = json.loads((Path(__file__).parent / "golden.json").read_text())
    now = digests()
    changed = sorted(k for k in recorded.keys() | now.keys() if recorded.get(k) != now.get(k))
    assert not changed, f"{len(changed)} outputs changed, first: {changed[:5]}"
