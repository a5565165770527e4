"""Pure functions of one conversation: its API shapes (``projection``), call history, the analytics
details record, and the loader that reads those shapes back into engine state; and the directory
JSON of the world's entities (``directory``)."""
