"""The conversation state machine: engine state (``model``) and the operations that are the only
code that changes it (``routing``, ``outbound``, ``control``, ``transfer``, ``supervision``,
``wrapup``; shared rules in ``legs``), plus ``autopilot``, what happens to a live conversation as
time passes."""
