import csv
import datetime
import io

import pytest
from django.utils import timezone
from rest_framework import serializers

from claims.models import Document, Story
from claims.tests.factories import ClaimFactory, DocumentFactory
from conftest import client_for, make_user
from reviews import selectors, services
from reviews.api.serializers import QueueItemSerializer, ReviewSerializer, datetime_formatter
from reviews.models import Rating, Review
from reviews.tests.factories import EvidenceLinkFactory, ReviewFactory

pytestmark = pytest.mark.django_db
State = Review.State


def post(client, path, data=None):
    return client.post(path, data or {}, format="json")


def test_claim_next_hands_out_the_top_item_then_204(reviewer_client):
    top = ReviewFactory(priority=0.9)

    response = post(reviewer_client, "/api/v1/queue/claim-next/")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["state"], body["claim"], body["assignee"]) == (
        top.pk,
        "in_review",
        top.claim_id,
        "rita",
    )
    assert body["claim_text"] == top.claim.text and body["version"] == 2
    assert post(reviewer_client, "/api/v1/queue/claim-next/").status_code == 204


def test_the_desk_is_closed_to_users_without_a_role(anonymous_client):
    outsider = client_for(make_user("otto"))
    assert post(anonymous_client, "/api/v1/queue/claim-next/").status_code == 401
    response = outsider.get("/api/v1/queue/")
    assert response.status_code == 403
    assert "reviewers and editors" in response.json()["detail"]


def test_the_whole_path_over_rest(reviewer_client, editor_client, held_review, rating):
    path = f"/api/v1/reviews/{held_review.pk}"
    submitted = post(
        reviewer_client,
        f"{path}/submit/",
        {"rating": rating.pk, "summary": "The figure is wrong.", "version": 1},
    )
    assert submitted.status_code == 200, submitted.json()
    version = submitted.json()["version"]

    own = post(reviewer_client, f"{path}/approve/", {"version": version})
    assert own.status_code == 403
    assert own.json()["error"] == "permission_denied"

    stale = post(editor_client, f"{path}/approve/", {"version": version - 1})
    assert stale.status_code == 409
    assert stale.json()["error"] == "stale_version"

    approved = post(editor_client, f"{path}/approve/", {"version": version})
    assert approved.status_code == 200
    early = post(reviewer_client, f"{path}/publish/", {"version": approved.json()["version"]})
    assert early.status_code == 403
    published = post(editor_client, f"{path}/publish/", {"version": approved.json()["version"]})
    assert published.json()["state"] == "published"
    assert reviewer_client.get(f"{path}/").json()["state"] == "published"


def test_refusals_say_why(reviewer_client, editor_client, second_reviewer, held_review, rating):
    path = f"/api/v1/reviews/{held_review.pk}"
    not_holder = post(
        client_for(second_reviewer),
        f"{path}/submit/",
        {"rating": rating.pk, "summary": "Mine.", "version": 1},
    )
    assert not_holder.status_code == 403
    assert "do not hold this review" in not_holder.json()["detail"]

    no_rating = post(
        reviewer_client, f"{path}/submit/", {"rating": 999, "summary": "x", "version": 1}
    )
    assert no_rating.status_code == 400
    assert "no rating with id 999" in no_rating.json()["detail"]

    impossible = post(editor_client, f"{path}/publish/", {"version": 1})
    assert impossible.status_code == 409
    assert impossible.json().pop("request_id") == impossible["X-Request-ID"]
    assert {k: v for k, v in impossible.json().items() if k != "request_id"} == {
        "error": "invalid_transition",
        "detail": "Cannot publish a review that is in review; it must be approved.",
    }
    assert post(reviewer_client, f"{path}/submit/", {"rating": rating.pk}).status_code == 400
    assert post(editor_client, "/api/v1/reviews/999999/approve/", {"version": 1}).status_code == 404
    assert post(editor_client, "/api/v1/reviews/abc/approve/", {"version": 1}).status_code == 404
    assert Review.objects.get(pk=held_review.pk).state == State.IN_REVIEW


def test_an_expired_lock_is_refused_with_409(reviewer_client, held_review, rating):
    Review.objects.filter(pk=held_review.pk).update(locked_until=timezone.now())
    response = post(
        reviewer_client,
        f"/api/v1/reviews/{held_review.pk}/submit/",
        {"rating": rating.pk, "summary": "Late.", "version": 1},
    )
    assert response.status_code == 409
    assert response.json()["error"] == "lock_expired"
    assert Review.objects.get(pk=held_review.pk).state == State.QUEUED


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example/t.csv", "file:///etc"])
def test_evidence_urls_must_be_http(reviewer_client, held_review, url):
    response = post(
        reviewer_client, f"/api/v1/claims/{held_review.claim_id}/evidence/", {"url": url}
    )
    assert response.status_code == 400
    assert not held_review.claim.evidence.exclude(url__startswith="https://stats").exists()


def test_release_assign_return_dismiss_and_boost(
    reviewer_client, editor_client, approved_review, reviewer
):
    path = f"/api/v1/reviews/{approved_review.pk}"
    v = approved_review.version
    assert post(editor_client, f"{path}/return/", {"version": v, "comment": ""}).status_code == 400
    returned = post(editor_client, f"{path}/return/", {"version": v, "comment": "Add the table."})
    assert (returned.json()["state"], returned.json()["assignee"]) == ("in_review", "rita")
    released = post(reviewer_client, f"{path}/release/", {"version": returned.json()["version"]})
    assert released.json()["state"] == "queued"
    v = released.json()["version"]
    assigned = post(editor_client, f"{path}/assign/", {"version": v, "assignee": reviewer.pk})
    assert assigned.json()["assignee"] == "rita"
    v = assigned.json()["version"]
    boosted = post(editor_client, f"{path}/boost/", {"version": v, "boost": 0.5})
    assert "boost 0.50" in boosted.json()["priority_explanation"]
    v = boosted.json()["version"]
    assert (
        post(reviewer_client, f"{path}/dismiss/", {"version": v, "reason": "x"}).status_code == 403
    )
    dismissed = post(editor_client, f"{path}/dismiss/", {"version": v, "reason": "Opinion."})
    assert dismissed.json()["state"] == "dismissed"


def test_editors_promote_claims_below_the_threshold(editor_client, reviewer_client):
    claim = ClaimFactory(score=0.1)
    assert post(reviewer_client, "/api/v1/queue/promote/", {"claim": claim.pk}).status_code == 403
    response = post(editor_client, "/api/v1/queue/promote/", {"claim": claim.pk})
    assert response.status_code == 201
    assert response.json()["state"] == "queued"
    assert post(editor_client, "/api/v1/queue/promote/", {"claim": claim.pk}).status_code == 409
    assert post(editor_client, "/api/v1/queue/promote/", {"claim": 999999}).status_code == 400


def test_queue_filters_and_explains_its_order(reviewer_client, reviewer):
    quote = ReviewFactory(
        claim=ClaimFactory(claim_type="quote", document=DocumentFactory(outlet="Coast Post")),
        priority=0.7,
    )
    stat = ReviewFactory(priority=0.9, priority_boost=0.1, priority_score=0.8)
    mine = ReviewFactory(state=State.IN_REVIEW, assignee=reviewer)

    def ids(query=""):
        response = reviewer_client.get(f"/api/v1/queue/{query}")
        assert response.status_code == 200, response.json()
        return [item["id"] for item in response.json()["results"]]

    assert ids() == [stat.pk, quote.pk]
    assert ids("?type=quote") == [quote.pk]
    assert ids("?outlet=coast%20post") == [quote.pk]
    assert ids("?mine=true") == [mine.pk]
    assert ids(f"?assignee={reviewer.pk}&state=in_review") == [mine.pk]
    assert ids("?min_score=0.85") == []
    first = reviewer_client.get("/api/v1/queue/").json()["results"][0]
    assert first["priority_explanation"] == "score 0.80 + boost 0.10 = 0.90"
    assert reviewer_client.get("/api/v1/queue/?type=nonsense").status_code == 400
    assert reviewer_client.get("/api/v1/queue/?page=0").status_code == 400


def test_queue_pages_with_a_constant_number_of_queries(reviewer_client, django_assert_num_queries):
    for _ in range(12):
        ReviewFactory(claim=ClaimFactory(document=DocumentFactory(outlet="Bay Daily")))

    # 2 (was 3): the token with its user and role groups in one query (factdesk.authentication),
    # then the page.
    with django_assert_num_queries(2) as small:
        page = reviewer_client.get("/api/v1/queue/?page_size=2").json()
    with django_assert_num_queries(2) as large:
        full = reviewer_client.get("/api/v1/queue/?page_size=10&page=1").json()
    assert len(page["results"]) == 2 and len(full["results"]) == 10
    assert "page=2&" in full["next"] and full["previous"] is None
    assert len(small.captured_queries) == len(large.captured_queries)


def test_ratings_list_the_scale(reviewer_client):
    names = [r["name"] for r in reviewer_client.get("/api/v1/ratings/").json()]
    assert names == list(Rating.objects.order_by("value").values_list("name", flat=True))


def publish(review: Review, editor) -> Review:
    approved = services.review_approve(review_id=review.pk, actor=editor, version=review.version)
    return services.review_publish(review_id=review.pk, actor=editor, version=approved.version)


def test_claimreview_is_public_once_published(anonymous_client, submitted_review, editor, settings):
    settings.FACTDESK_PUBLIC_URL_TEMPLATE = "https://desk.example/checks/{id}"
    path = f"/api/v1/reviews/{submitted_review.pk}/claimreview/"
    assert anonymous_client.get(path).status_code == 404
    document = submitted_review.claim.document
    story = Story.objects.create(title="Port figures")
    Document.objects.filter(pk=document.pk).update(story=story)
    services.reviews_refresh_story(document_ids=[document.pk])
    copy = ClaimFactory(
        text=submitted_review.claim.text,
        document=DocumentFactory(outlet="Coast Post", title="Port <b>boom</b>", story=story),
    )
    elsewhere = ClaimFactory(text=copy.text, document=DocumentFactory(outlet="Metro"))
    services.reviews_enqueue_claims(claims=[copy, elsewhere])
    assert Review.objects.filter(cluster=submitted_review.cluster).count() == 1
    published = publish(submitted_review, editor)

    body = anonymous_client.get(path).json()
    assert body["@type"] == "ClaimReview"
    assert body["url"] == f"https://desk.example/checks/{published.pk}"
    assert body["claimReviewed"] == published.claim.text
    assert body["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
    }
    assert body["author"]["@type"] == "Organization"
    assert body["itemReviewed"]["author"] == {"@type": "Organization", "name": "Officials"}
    assert [a["publisher"]["name"] for a in body["itemReviewed"]["appearance"]] == [
        document.outlet,
        "Coast Post",
        "Metro",
    ]
    assert body["datePublished"] == published.published_at.date().isoformat()


def test_claimreview_list_has_a_constant_number_of_queries(
    anonymous_client, editor, reviewer, rating, django_assert_num_queries
):
    for _ in range(4):
        review = ReviewFactory(
            state=State.SUBMITTED, submitted_by=reviewer, rating=rating, summary="No."
        )
        publish(review, editor)

    with django_assert_num_queries(3):
        two = anonymous_client.get("/api/v1/claimreviews/?page_size=2").json()
    with django_assert_num_queries(3):
        four = anonymous_client.get("/api/v1/claimreviews/").json()
    assert len(two["results"]) == 2 and len(four["results"]) == 4


def test_verdict_export_is_for_editors_and_defuses_formulas(
    editor_client, reviewer_client, held_review, reviewer, rating
):
    services.review_submit(
        review_id=held_review.pk,
        actor=reviewer,
        version=1,
        rating_id=rating.pk,
        summary='=HYPERLINK("http://evil.example","click")',
    )
    assert reviewer_client.get("/api/v1/reviews/export.csv").status_code == 403

    response = editor_client.get("/api/v1/reviews/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert rows[0]["summary"] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[0]["rating"] == rating.name


def test_evidence_then_submit_on_one_claim_with_html(reviewer_client, reviewer, rating):
    review = ReviewFactory(
        state=State.IN_REVIEW,
        assignee=reviewer,
        locked_until=timezone.now() + timezone.timedelta(minutes=5),
    )
    EvidenceLinkFactory(claim=review.claim)
    summary = "<script>alert(1)</script> & wrong"
    response = post(
        reviewer_client,
        f"/api/v1/reviews/{review.pk}/submit/",
        {"rating": rating.pk, "summary": summary, "version": 1},
    )
    assert response.status_code == 200
    assert response.json()["summary"] == summary
    assert response["Content-Type"] == "application/json"


def test_queue_items_match_their_declared_fields(reviewer_client, reviewer, rating):
    review = ReviewFactory(
        state=State.IN_REVIEW,
        assignee=reviewer,
        rating=rating,
        locked_until=timezone.now() + timezone.timedelta(minutes=5),
    )
    [item] = reviewer_client.get("/api/v1/queue/?mine=true").json()["results"]
    declared = QueueItemSerializer.Meta.fields
    assert list(item) == declared
    assert (item["assignee"], item["rating_name"], item["claim"]) == (
        "rita",
        rating.name,
        review.claim_id,
    )
    assert item["locked_until"].endswith("Z")

    [loaded] = selectors.queue_page_named([selectors.review_queue(user=reviewer, mine=True).get()])
    generic = serializers.Serializer.to_representation(QueueItemSerializer(), loaded)
    assert QueueItemSerializer(loaded).data == dict(generic)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/St_Johns"])
def test_the_queue_formats_times_as_drf_does_in_any_time_zone(zone):
    summer = datetime.datetime(2026, 7, 1, 12, 30, 5, 123456, tzinfo=datetime.UTC)
    winter = datetime.datetime(2026, 1, 15, 23, 59, tzinfo=datetime.UTC)
    with timezone.override(zone):
        formatted = datetime_formatter()
        for value in (summer, winter):
            assert formatted(value) == serializers.DateTimeField().to_representation(value)


def test_the_review_answer_matches_its_declared_fields_in_every_state(
    reviewer_client, reviewer, editor, rating
):
    """ReviewSerializer builds its answer by hand (the desk's hot path); it must stay what the
    declared fields would give, for a queued review and for one with every relation set."""
    queued = ReviewFactory(claim=ClaimFactory(figures=[{"value": 3, "unit": "ships"}]))
    full = ReviewFactory(
        state=State.APPROVED,
        assignee=reviewer,
        rating=rating,
        summary="No.",
        submitted_by=reviewer,
        submitted_at=timezone.now(),
        approved_by=editor,
        approved_at=timezone.now(),
        locked_until=timezone.now(),
        editor_comment="Fine.",
    )
    for review in (queued, full):
        loaded = selectors.review_get(review_id=review.pk)
        generic = serializers.Serializer.to_representation(ReviewSerializer(), loaded)
        built = ReviewSerializer(loaded).data
        assert built == generic
        assert list(built) == ReviewSerializer.Meta.fields
        assert reviewer_client.get(f"/api/v1/reviews/{review.pk}/").json() == built


@pytest.mark.parametrize(
    "query",
    [
        "",
        "page_size=10",
        "type=statistic",
        "type=nonsense",
        "outlet=Coast%20Post&min_score=0.5",
        "min_score=2",
        "min_score=x&assignee=0&state=bad",
        "mine=true&state=in_review",
        "mine=maybe",
        "assignee=7",
        "outlet=" + "x" * 201,
    ],
)
def test_the_queue_validates_its_filters_as_the_filter_serializer(query):
    """The queue's filters are validated with QueueFilterSerializer's fields bound once; the
    values and the errors are the serializer's own."""
    from django.http import QueryDict
    from rest_framework.exceptions import ValidationError

    from reviews.api.serializers import QueueFilterSerializer
    from reviews.api.views import queue_filters

    params = QueryDict(query)
    serializer = QueueFilterSerializer(data=params)
    if serializer.is_valid():
        assert queue_filters(params) == dict(serializer.validated_data)
    else:
        with pytest.raises(ValidationError) as raised:
            queue_filters(params)
        assert raised.value.detail == serializer.errors
