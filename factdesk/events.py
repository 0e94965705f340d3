"""Announcements from an upstream app to the apps downstream of it, without importing them.

An upstream app (`claims`) declares each thing it announces as an `Event` in its own
`events.py`; a downstream app (`reviews`, later ones) subscribes to it in its
`AppConfig.ready()`. `announce` calls the subscribers synchronously, in the order they
subscribed, on the caller's thread and inside the caller's transaction: an effect is committed
or rolled back with the write that caused it, and an error in a subscriber propagates to the
announcer like any other call would. It is a plain list of functions, not Django signals:
nothing is hidden in `save()`, and `grep subscribe` finds every listener.
"""

from collections.abc import Callable
from typing import Any


class Event:
    """Something an app announces; `announce(**data)` returns each subscriber's answer, in order."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc
        self._subscribers: list[Callable[..., Any]] = []

    def subscribe(self, subscriber: Callable[..., Any]) -> Callable[..., Any]:
        """Adds a function called with the announced keyword arguments; subscribing the same
        function twice (e.g. ready() running again in tests) keeps one subscription."""
        if subscriber not in self._subscribers:
            self._subscribers.append(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Callable[..., Any]) -> None:
        if subscriber in self._subscribers:
            self._subscribers.remove(subscriber)

    @property
    def subscribers(self) -> tuple[Callable[..., Any], ...]:
        return tuple(self._subscribers)

    def announce(self, **data: Any) -> list[Any]:
        return [subscriber(**data) for subscriber in self._subscribers]

    def __repr__(self) -> str:
        return f"<Event {self.name}: {len(self._subscribers)} subscriber(s)>"
