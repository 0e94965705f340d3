"""What the desk announces to the apps downstream of it (matching, later ones), by the same
mechanism as claims.events (factdesk.events): synchronous, inside the announcer's transaction.
Each event's keyword arguments are its contract."""

from factdesk.events import Event

on_review_published = Event(
    "review_published",
    """`announce(review=Review)`: an editor published this verdict. Announced inside the
    publication's transaction, after the review is saved as published.""",
)
