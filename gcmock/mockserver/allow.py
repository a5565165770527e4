"""The ``Allow`` header of ``OPTIONS`` and 405 answers: the methods routed for the URL template
a path resolves to.

Werkzeug's own answer is the union over every rule the path matches, so
``/api/v2/analytics/conversations/details/jobs/availability`` would advertise the ``DELETE`` of
``.../jobs/{jobId}``; here only the rules of the most specific template (the fewest path
parameters) count, as the router itself prefers it.
"""

from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

__all__ = ["allowed_methods"]

_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods() -> list[str]:
    """The methods of the current request's path, sorted, ``OPTIONS`` included; empty for a
    path nothing serves."""
    adapter = current_app.create_url_adapter(request)
    if adapter is None:
        return []
    rules: list[Rule] = []
    for method in _METHODS:
        try:
            rule, _ = adapter.match(request.path, method=method, return_rule=True)
        except HTTPException:
            continue
        rules.append(rule)
    if not rules:
        return []
    best = min(rules, key=lambda r: len(r.arguments)).rule
    return sorted({m for r in rules if r.rule == best for m in r.methods or ()} | {"OPTIONS"})
