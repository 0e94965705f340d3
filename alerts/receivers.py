"""The desk's events (reviews.events) as alerts; connected in AlertsConfig.ready()."""

from alerts import tasks
from alerts.models import Notification, Watch
from reviews import events

NOTIFIED = {
    events.REVIEW_ASSIGNED: Notification.Kind.ASSIGNED,
    events.REVIEW_RETURNED: Notification.Kind.RETURNED,
    events.NOTE_MENTIONED: Notification.Kind.MENTIONED,
}


def on_desk_event(*, event: str, **payload) -> None:
    """Runs inside the desk's transaction; the alerts' own work waits for its commit."""
    if event == events.CLAIMS_QUEUED:
        if Watch.objects.filter(active=True).exists():
            tasks.alerts_match_claims.delay_on_commit(claim_ids=payload["claim_ids"])
    elif event in NOTIFIED:
        tasks.alerts_notify.delay_on_commit(
            kind=NOTIFIED[event],
            user_ids=payload["user_ids"],
            review_id=payload["review_id"],
            actor_id=payload["actor_id"],
        )
