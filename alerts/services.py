"""Alerts: watches on searches, speakers and stories; notifications in the admin and by e-mail.

A watched claim is announced once per watch (a unique constraint keeps it so). Watches with
daily delivery are e-mailed in one digest a day (alerts_send_digests, run by beat); everything
else is e-mailed at once through Django's e-mail backend (the console by default).
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alerts.models import Notification, Watch
from claims.models import Actor, Claim, Story
from factdesk.roles import user_is_reviewer
from reviews.errors import PermissionDenied, ValidationFailed
from reviews.models import Review

MAX_WATCHES_PER_USER = 50
MAX_MERGE_HOPS = 20


def watch_create(
    *,
    user: AbstractBaseUser,
    kind: str,
    query: str = "",
    story: Story | None = None,
    actor: Actor | None = None,
    delivery: str = Watch.Delivery.AT_ONCE,
) -> Watch:
    watch = Watch(
        user=user,
        kind=kind,
        query=" ".join(query.split()),
        story=story,
        actor=actor,
        delivery=delivery,
    )
    watch_validate(watch=watch)
    if Watch.objects.filter(user=user).count() >= MAX_WATCHES_PER_USER:
        raise ValidationFailed(f"You can keep at most {MAX_WATCHES_PER_USER} watches.")
    watch.save()
    return watch


def watch_update(*, watch: Watch) -> Watch:
    watch.query = " ".join(watch.query.split())
    watch_validate(watch=watch)
    watch.save()
    return watch


def watch_validate(*, watch: Watch) -> None:
    """Refuses a watch that would never match; normalises the one that will."""
    if not user_is_reviewer(watch.user):
        raise PermissionDenied("Only reviewers and editors keep watches.")
    if watch.kind == Watch.Kind.STORY:
        if watch.story_id is None:
            raise ValidationFailed("Choose the story to watch.")
        watch.query, watch.actor = "", None
    elif watch.kind == Watch.Kind.ACTOR:
        if watch.actor_id is None:
            raise ValidationFailed("Choose the actor to watch.")
        watch.query, watch.story = "", None
    else:
        if len(watch.query) < 2:
            raise ValidationFailed("Give the words (or the speaker's name) to watch for.")
        watch.story, watch.actor = None, None


def _claim_matches(watch: Watch, claim: Claim, surviving_actor: dict[int, int]) -> bool:
    if watch.kind == Watch.Kind.STORY:
        return claim.document.story_id == watch.story_id
    if watch.kind == Watch.Kind.ACTOR:
        return claim.actor_id is not None and claim.actor_id == surviving_actor.get(watch.actor_id)
    if watch.kind == Watch.Kind.SPEAKER:
        return watch.query.casefold() in claim.speaker.casefold()
    haystack = f"{claim.text} {claim.speaker}".casefold()
    return all(word in haystack for word in watch.query.casefold().split())


def alerts_match_claims(*, claim_ids: Collection[int]) -> int:
    """New claims on the desk: notifies each watch they match, once per claim; returns how
    many notifications were made."""
    watches = list(Watch.objects.filter(active=True).select_related("user", "story"))
    if not watches or not claim_ids:
        return 0
    claims = list(
        Claim.objects.filter(pk__in=claim_ids)
        .select_related("document")
        .only(
            "id",
            "text",
            "speaker",
            "actor_id",
            "document__id",
            "document__story_id",
            "document__outlet",
        )
    )
    surviving_actor = actors_surviving(
        actor_ids=[w.actor_id for w in watches if w.kind == Watch.Kind.ACTOR]
    )
    seen = set(
        Notification.objects.filter(
            watch__in=watches, claim_id__in=[c.pk for c in claims]
        ).values_list("watch_id", "claim_id")
    )
    new = [
        Notification(
            user=watch.user,
            kind=Notification.Kind.MATCH,
            watch=watch,
            claim=claim,
            message=_shorten(f"{watch}: {claim.text}"),
        )
        for watch in watches
        for claim in claims
        if (watch.pk, claim.pk) not in seen and _claim_matches(watch, claim, surviving_actor)
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(new, ignore_conflicts=True)
    transaction.on_commit(alerts_email_pending)
    return len(new)


def actors_surviving(*, actor_ids: Collection[int]) -> dict[int, int]:
    """Each watched actor's id mapped to the actor its claims now belong to: itself, or the
    actor an editor merged it into (following merges of merges)."""
    surviving = {}
    for actor_id in set(actor_ids):
        current, hops = actor_id, 0
        while hops < MAX_MERGE_HOPS:
            merged_into = (
                Actor.objects.filter(pk=current).values_list("merged_into_id", flat=True).first()
            )
            if merged_into is None:
                break
            current, hops = merged_into, hops + 1
        surviving[actor_id] = current
    return surviving


def alerts_notify(
    *, kind: str, user_ids: Iterable[int], review_id: int | None, actor_id: int | None
) -> int:
    """Assignment, return or a mention: a notification for each user, e-mailed at once."""
    review = (
        Review.objects.select_related("claim")
        .only("id", "claim__id", "claim__text")
        .get(pk=review_id)
        if review_id
        else None
    )
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    by = f" by {actor.get_username()}" if actor else ""
    what = {
        Notification.Kind.ASSIGNED: f"Assigned to you{by}",
        Notification.Kind.RETURNED: f"Returned to you{by}",
        Notification.Kind.MENTIONED: f"Mentioned{by} in a note",
    }[kind]
    claim_text = f": {review.claim.text}" if review else ""
    notifications = [
        Notification(
            user_id=user_id,
            kind=kind,
            review=review,
            claim_id=review.claim_id if review else None,
            message=_shorten(f"{what}{claim_text}"),
        )
        for user_id in set(user_ids)
        if user_id != actor_id
    ]
    Notification.objects.bulk_create(notifications)
    transaction.on_commit(alerts_email_pending)
    return len(notifications)


def alerts_email_pending() -> int:
    """E-mails every notification not yet sent, except those of daily-digest watches."""
    pending = Notification.objects.filter(emailed_at__isnull=True).exclude(
        watch__delivery=Watch.Delivery.DAILY
    )
    return _email(pending, subject="FactDesk: {count} new alert{s}")


def alerts_send_digests() -> int:
    """The daily digest: one e-mail per person with what their daily watches found."""
    pending = Notification.objects.filter(
        emailed_at__isnull=True, watch__delivery=Watch.Delivery.DAILY
    )
    return _email(pending, subject="FactDesk daily digest: {count} new claim{s} you watch")


def _email(pending, *, subject: str) -> int:
    """Claims the pending notifications (each is e-mailed at most once) and sends one e-mail
    per person; returns the number of e-mails sent."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            pending.select_for_update(of=("self",)).select_related("user").order_by("user_id", "id")
        )
        Notification.objects.filter(pk__in=[n.pk for n in rows], emailed_at__isnull=True).update(
            emailed_at=now
        )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in rows:
        by_user[notification.user_id].append(notification)
    sent = 0
    for notifications in by_user.values():
        user = notifications[0].user
        if not user.email:
            continue
        count = len(notifications)
        send_mail(
            subject.format(count=count, s="" if count == 1 else "s"),
            _email_body(notifications),
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        sent += 1
    return sent


def _email_body(notifications: list[Notification]) -> str:
    base = settings.FACTDESK_DESK_URL.rstrip("/")
    lines = []
    for notification in notifications:
        lines.append(f"- {notification.message}")
        if notification.review_id:
            path = reverse("admin:reviews_review_change", args=[notification.review_id])
            lines.append(f"  {base}{path}")
        elif notification.claim_id:
            lines.append(
                f"  {base}{reverse('admin:claims_claim_change', args=[notification.claim_id])}"
            )
    lines.append("")
    lines.append(f"All your alerts: {base}{reverse('admin:alerts_notification_changelist')}")
    return "\n".join(lines)


def notifications_mark_read(
    *, user: AbstractBaseUser, notification_ids: Collection[int], now: datetime | None = None
) -> int:
    return Notification.objects.filter(
        user=user, pk__in=notification_ids, read_at__isnull=True
    ).update(read_at=now or timezone.now())


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
