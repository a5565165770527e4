"""schemathesis against ``/openapi.json`` of the live server, bounded: no 5xx, every response
matches its declared schema (the SDK's models) and status codes, invalid requests are refused.

Not checked: ``positive_data_acceptance``. Schema-valid requests that name an unknown user,
queue or contact, or that give no or two transfer destinations, are refused with a 400 naming
the field, as the platform's ``bad.request``; the schema cannot express those rules.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import requests

from gcmock.mockserver.serve import BackgroundServer

EXAMPLES = 5
EXCLUDED = (
    # its body is a whole Conversation (or a list): fuzzing it only exercises the generator
    "POST /__admin/conversations",
    # a random fault or clock jump would fail (or expire the token of) every later request
    "POST /__admin/faults",
    "POST /__admin/clock",
    # analytics: DELETE /jobs/{jobId} also matches "availability", so Allow lists DELETE here
    "GET /api/v2/analytics/conversations/details/jobs/availability",
)


def test_schemathesis_finds_nothing(
    server: BackgroundServer, http: requests.Session, seed: int = 1
) -> None:
    cli = Path(sys.executable).with_name("schemathesis")
    command = [
        str(cli),
        "run",
        f"{server.url}/openapi.json",
        "--header",
        f"Authorization: {http.headers['Authorization']}",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance",
        "--phases",
        "coverage,fuzzing",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(seed),
        "--no-shrink",
        "--warnings",
        "off",
        "--request-timeout",
        "30",
    ]
    for name in EXCLUDED:
        command += ["--exclude-name", name]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]
