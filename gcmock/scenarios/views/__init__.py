"""Pure functions of one conversation: its API shapes (``projection`` nested, ``flattened`` per
media, both built on ``conversation_parts`` and ``timestamps``), call history, the analytics
details record (``analytics`` with ``analytics_facts``, ``analytics_metrics`` and
``analytics_values``), notification bodies, the timeline, and the loader that reads the nested
shape back into engine state; and the directory JSON of the world's entities (``directory``)."""
