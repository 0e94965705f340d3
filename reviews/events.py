"""What happened on the desk, announced to the apps downstream of reviews (alerts).

`reviews` never imports them: an app that wants to hear connects a receiver to `desk_event`
in its AppConfig.ready(). Receivers run at once, inside the announcer's transaction (work that
must wait for the commit, like e-mail, they put on `transaction.on_commit`), with keyword
arguments `event` (a name below), `review_id`, `actor_id` and, per event, `user_ids` (whom it
concerns) or `claim_ids`.
"""

from collections.abc import Collection

from django.dispatch import Signal

REVIEW_ASSIGNED = "review.assigned"
REVIEW_RETURNED = "review.returned"
NOTE_MENTIONED = "note.mentioned"
CLAIMS_QUEUED = "claims.queued"

desk_event = Signal()


def desk_event_announce(
    *,
    event: str,
    review_id: int | None = None,
    actor_id: int | None = None,
    user_ids: Collection[int] = (),
    claim_ids: Collection[int] = (),
) -> None:
    desk_event.send(
        sender=None,
        event=event,
        review_id=review_id,
        actor_id=actor_id,
        user_ids=list(user_ids),
        claim_ids=list(claim_ids),
    )
