import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from alerts import services
from alerts.models import Notification, Watch
from claims import actors
from claims.models import Actor, Story
from claims.tests.factories import ClaimFactory, DocumentFactory
from conftest import make_user
from reviews import services as desk
from reviews import workspace
from reviews.errors import ValidationFailed
from reviews.models import Rating, Review
from reviews.tests.factories import EvidenceLinkFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def watcher(db):
    user = make_user("wanda", "reviewer")
    user.email = "wanda@desk.example"
    user.save()
    return user


def queue(*claims) -> None:
    """Claims reach the desk as ingestion queues them (the service announces them)."""
    desk.reviews_enqueue_claims(claims=list(claims))


def test_a_search_watch_is_notified_once_per_claim_in_the_admin_and_by_email(
    watcher, django_capture_on_commit_callbacks
):
    services.watch_create(user=watcher, kind=Watch.Kind.SEARCH, query="Hospital  waiting")
    matching = ClaimFactory(text="Hospital waiting lists grew by 4,000.", score=0.9)
    other = ClaimFactory(text="The port handled 12,000 containers.", score=0.9)

    with django_capture_on_commit_callbacks(execute=True):
        queue(matching, other)
    with django_capture_on_commit_callbacks(execute=True):
        services.alerts_match_claims(claim_ids=[matching.pk, other.pk])

    notification = Notification.objects.get(user=watcher)
    assert notification.claim == matching and notification.kind == Notification.Kind.MATCH
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wanda@desk.example"]
    assert "Hospital waiting lists" in mail.outbox[0].body
    assert f"/admin/claims/claim/{matching.pk}/change/" in mail.outbox[0].body


def test_story_and_speaker_watches(watcher, django_capture_on_commit_callbacks):
    story = Story.objects.create(title="Storm")
    services.watch_create(user=watcher, kind=Watch.Kind.STORY, story=story)
    services.watch_create(user=watcher, kind=Watch.Kind.SPEAKER, query="okafor")
    in_story = ClaimFactory(document=DocumentFactory(story=story), score=0.9, speaker="")
    by_speaker = ClaimFactory(score=0.9, speaker="Lena Okafor")
    neither = ClaimFactory(score=0.9, speaker="Someone else")

    with django_capture_on_commit_callbacks(execute=True):
        queue(in_story, by_speaker, neither)

    assert set(Notification.objects.values_list("claim_id", flat=True)) == {
        in_story.pk,
        by_speaker.pk,
    }


def test_an_actor_watch_follows_the_actor_under_any_name_and_through_a_merge(
    watcher, editor, django_capture_on_commit_callbacks
):
    ministry = Actor.objects.create(name="Ministry of Industry", kind=Actor.Kind.ORGANIZATION)
    duplicate = Actor.objects.create(name="Industry Ministry", kind=Actor.Kind.ORGANIZATION)
    company = Actor.objects.create(name="Corlan Chemicals", kind=Actor.Kind.ORGANIZATION)
    watch = services.watch_create(user=watcher, kind=Watch.Kind.ACTOR, actor=duplicate)
    actors.actor_merge(actor=duplicate, into=ministry, by=editor)
    # Named differently in the text, but resolved to the watched actor (now merged).
    by_ministry = ClaimFactory(score=0.9, speaker="the industry ministry", actor=ministry)
    by_company = ClaimFactory(score=0.9, speaker="Corlan Chemicals", actor=company)
    unresolved = ClaimFactory(score=0.9, speaker="Ministry of Industry", actor=None)

    with django_capture_on_commit_callbacks(execute=True):
        queue(by_ministry, by_company, unresolved)

    assert list(Notification.objects.values_list("watch_id", "claim_id")) == [
        (watch.pk, by_ministry.pk)
    ]
    assert str(watch) == "Actor: Industry Ministry"


def test_an_actor_watch_needs_its_actor(watcher):
    with pytest.raises(ValidationFailed, match="Choose the actor"):
        services.watch_create(user=watcher, kind=Watch.Kind.ACTOR)


def test_a_daily_watch_waits_for_the_digest(watcher, django_capture_on_commit_callbacks):
    services.watch_create(
        user=watcher, kind=Watch.Kind.SEARCH, query="ships", delivery=Watch.Delivery.DAILY
    )
    with django_capture_on_commit_callbacks(execute=True):
        queue(ClaimFactory(score=0.9), ClaimFactory(score=0.9))
    assert Notification.objects.filter(user=watcher).count() == 2
    assert mail.outbox == []

    assert services.alerts_send_digests() == 1
    assert services.alerts_send_digests() == 0
    assert len(mail.outbox) == 1 and "daily digest: 2 new claims" in mail.outbox[0].subject


def test_watches_that_never_match_are_refused(watcher):
    with pytest.raises(ValidationFailed):
        services.watch_create(user=watcher, kind=Watch.Kind.SEARCH, query=" ")
    with pytest.raises(ValidationFailed):
        services.watch_create(user=watcher, kind=Watch.Kind.STORY)


def test_assignment_and_return_notify_the_assignee(
    watcher, editor, django_capture_on_commit_callbacks
):
    rating = Rating.objects.first()
    review = ReviewFactory()
    with django_capture_on_commit_callbacks(execute=True):
        review = desk.review_assign(
            review_id=review.pk, actor=editor, version=review.version, assignee=watcher
        )
    assigned = Notification.objects.get(user=watcher)
    assert assigned.kind == Notification.Kind.ASSIGNED and assigned.review == review
    assert "Assigned to you by edna" in assigned.message
    assert len(mail.outbox) == 1

    EvidenceLinkFactory(claim=review.claim)
    review = desk.review_submit(
        review_id=review.pk, actor=watcher, version=review.version, rating_id=rating.pk, summary="S"
    )
    with django_capture_on_commit_callbacks(execute=True):
        desk.review_return(
            review_id=review.pk, actor=editor, version=review.version, comment="Second source?"
        )
    returned = Notification.objects.filter(user=watcher, kind=Notification.Kind.RETURNED).get()
    assert returned.review_id == review.pk
    assert len(mail.outbox) == 2


def test_a_reviewer_taking_a_claim_is_not_notified(watcher, django_capture_on_commit_callbacks):
    ReviewFactory()
    with django_capture_on_commit_callbacks(execute=True):
        desk.review_claim_next(actor=watcher)
    assert not Notification.objects.exists()


def test_the_admin_lists_only_ones_own_alerts_and_marks_them_read(watcher, editor):
    mine = Notification.objects.create(user=watcher, kind="match", message="Mine")
    Notification.objects.create(user=editor, kind="match", message="Not mine")
    client = Client()
    client.force_login(watcher)

    page = client.get("/admin/alerts/notification/").content.decode()
    assert "Mine" in page and "Not mine" not in page
    index = client.get("/admin/").content.decode()
    assert "Alerts (1 new)" in index

    client.post(
        "/admin/alerts/notification/", {"action": "mark_read", "_selected_action": [mine.pk]}
    )
    mine.refresh_from_db()
    assert mine.read_at is not None and mine.read_at <= timezone.now()


def test_a_reviewer_adds_a_watch_in_the_admin(watcher):
    client = Client()
    client.force_login(watcher)
    response = client.post(
        "/admin/alerts/watch/add/",
        {"kind": "search", "query": "waiting lists", "delivery": "at_once", "active": "on"},
    )
    assert response.status_code == 302
    assert Watch.objects.get().user == watcher
    refused = client.post(
        "/admin/alerts/watch/add/", {"kind": "story", "delivery": "at_once", "active": "on"}
    )
    assert "Choose the story to watch." in refused.content.decode()


def test_the_daily_digest_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["alerts-daily-digest"]
    assert entry["task"] == "alerts.tasks.alerts_send_digests"
    assert entry["schedule"] == 24 * 60 * 60.0 == 60.0 * settings.FACTDESK_DIGEST_MINUTES


def test_mentions_notify_the_people_named(watcher, editor, django_capture_on_commit_callbacks):
    review = ReviewFactory(
        state=Review.State.IN_REVIEW,
        assignee=editor,
        locked_until=timezone.now() + timezone.timedelta(minutes=5),
    )
    with django_capture_on_commit_callbacks(execute=True):
        workspace.review_note_add(
            review_id=review.pk, actor=editor, version=review.version, body="@wanda look"
        )
    assert Notification.objects.get(user=watcher).kind == Notification.Kind.MENTIONED
