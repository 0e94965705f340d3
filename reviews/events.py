"""What the desk announces to the apps downstream of it (matching, alerts), through the project's one
mechanism (factdesk.events): `reviews` never imports them; each subscribes in its
AppConfig.ready(). Subscribers run at once, inside the announcer's transaction; work that must
wait for the commit (e-mail, tasks) they put on `transaction.on_commit` themselves.
"""

from collections.abc import Collection

from factdesk.events import Event

REVIEW_ASSIGNED = "review.assigned"
REVIEW_RETURNED = "review.returned"
NOTE_MENTIONED = "note.mentioned"
CLAIMS_QUEUED = "claims.queued"

on_desk_event = Event(
    "desk_event",
    """`announce(event, review_id, actor_id, user_ids, claim_ids)`: `event` is one of
    REVIEW_ASSIGNED (an editor gave `review_id` to `user_ids`), REVIEW_RETURNED (the verdict went
    back to its author in `user_ids`), NOTE_MENTIONED (a note on `review_id` names `user_ids`)
    and CLAIMS_QUEUED (`claim_ids` entered the queue).""",
)


def desk_event_announce(
    *,
    event: str,
    review_id: int | None = None,
    actor_id: int | None = None,
    user_ids: Collection[int] = (),
    claim_ids: Collection[int] = (),
) -> None:
    on_desk_event.announce(
        event=event,
        review_id=review_id,
        actor_id=actor_id,
        user_ids=list(user_ids),
        claim_ids=list(claim_ids),
    )


on_review_published = Event(
    "review_published",
    """`announce(review=Review)`: an editor published this verdict. Announced inside the
    publication's transaction, after the review is saved as published.""",
)
