"""What the desk announces to apps downstream of it (matching, analytics), after commit.

reviews never imports those apps: they subscribe in their AppConfig.ready() with
`subscribe("review.published", handler)`; a handler gets keyword arguments (`review_id`,
`claim_ids`) and should only enqueue work (a task), never do it in the request.
"""

from collections import defaultdict
from collections.abc import Callable

from django.db import transaction

REVIEW_PUBLISHED = "review.published"
REVIEWS_QUEUED = "reviews.queued"
EVENTS = (REVIEW_PUBLISHED, REVIEWS_QUEUED)

_subscribers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def subscribe(event: str, handler: Callable[..., None]) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}; known: {', '.join(EVENTS)}")
    if handler not in _subscribers[event]:
        _subscribers[event].append(handler)


def announce(event: str, **payload) -> None:
    """Calls each subscriber once the current transaction commits (at once outside one)."""
    for handler in list(_subscribers[event]):
        transaction.on_commit(lambda handler=handler: handler(**payload))
