"""The Notifications API: channels, subscriptions, the fan-out of every conversation change, and
the streaming WebSocket listener (:mod:`.stream`)."""

from .channel import Channel
from .hub import Notifications
from .listen import Listener, listen

__all__ = ["Channel", "Listener", "Notifications", "listen"]
