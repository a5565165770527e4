"""The conversation state machine: engine state (``model``) and the operations that are the only
code that changes it (``routing``, ``outbound``, ``control``, ``transfer``, ``supervision``,
``wrapup``; shared rules in ``legs``), plus ``autopilot``, what happens to a live conversation as
time passes, and the org's people and queues: ``agents`` (who can take what), ``roster``
(presence and the routing status derived from it) and ``queues`` (who waits, the estimated
wait)."""
