"""The desk's events (reviews.events) as alerts; connected in AlertsConfig.ready()."""

from alerts import tasks
from alerts.models import Notification
from reviews import events

NOTIFIED = {
    events.REVIEW_ASSIGNED: Notification.Kind.ASSIGNED,
    events.REVIEW_RETURNED: Notification.Kind.RETURNED,
    events.NOTE_MENTIONED: Notification.Kind.MENTIONED,
}


def on_desk_event(sender, *, event: str, **payload) -> None:
    if event == events.CLAIMS_QUEUED:
        tasks.alerts_match_claims.delay(claim_ids=payload["claim_ids"])
    elif event in NOTIFIED:
        tasks.alerts_notify.delay(
            kind=NOTIFIED[event],
            user_ids=payload["user_ids"],
            review_id=payload["review_id"],
            actor_id=payload["actor_id"],
        )
