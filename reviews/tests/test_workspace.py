import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client, override_settings
from django.utils import timezone

from claims.models import Claim
from claims.tests.factories import ClaimFactory, DocumentFactory
from conftest import client_for
from reviews import services, workspace
from reviews.errors import HoldLimitReached, NotHolder, StaleVersion, ValidationFailed
from reviews.models import ChecklistMark, ChecklistStep, EvidenceLink, Rating, Review, ReviewNote
from reviews.tests.factories import EvidenceLinkFactory, ReviewFactory

pytestmark = pytest.mark.django_db
State = Review.State
CHANGELIST = "/admin/reviews/review/"


def desk_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def held(by, **kwargs) -> Review:
    return ReviewFactory(
        state=State.IN_REVIEW,
        assignee=by,
        locked_until=timezone.now() + timedelta(minutes=30),
        **kwargs,
    )


# The hold limit


def test_a_reviewer_holds_three_claims_at_most_by_default(reviewer):
    ReviewFactory.create_batch(5)
    for _ in range(3):
        assert services.review_claim_next(actor=reviewer) is not None
    with pytest.raises(HoldLimitReached, match="hold 3 reviews already"):
        services.review_claim_next(actor=reviewer)
    assert Review.objects.filter(assignee=reviewer).count() == 3


@override_settings(FACTDESK_MAX_HELD_REVIEWS=1)
def test_a_verdict_returned_to_an_author_at_the_limit_waits_in_the_queue(reviewer, editor):
    rating = Rating.objects.order_by("value").first()
    submitted = ReviewFactory(
        state=State.SUBMITTED, submitted_by=reviewer, rating=rating, summary="Draft kept."
    )
    held(reviewer)

    returned = services.review_return(
        review_id=submitted.pk, actor=editor, version=submitted.version, comment="Cite the table."
    )

    assert returned.state == State.QUEUED and returned.assignee is None
    assert (returned.rating, returned.summary) == (rating, "Draft kept.")
    assert returned.editor_comment == "Cite the table."
    assert "the author holds the most reviews" in returned.history.first().history_change_reason
    Review.objects.filter(assignee=reviewer, state=State.IN_REVIEW).update(
        state=State.QUEUED, assignee=None, locked_until=None
    )
    again = ReviewFactory(state=State.SUBMITTED, submitted_by=reviewer)
    back = services.review_return(
        review_id=again.pk, actor=editor, version=again.version, comment="One more source."
    )
    assert back.state == State.IN_REVIEW and back.assignee == reviewer


def test_the_fourth_claim_next_over_rest_is_a_409(reviewer, reviewer_client):
    ReviewFactory.create_batch(5)
    codes = [reviewer_client.post("/api/v1/queue/claim-next/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 409]


@override_settings(FACTDESK_MAX_HELD_REVIEWS=1)
def test_an_editor_cannot_assign_past_the_limit_and_lapsed_locks_do_not_count(reviewer, editor):
    held(reviewer)
    lapsed = held(reviewer)
    Review.objects.filter(pk=lapsed.pk).update(locked_until=timezone.now() - timedelta(minutes=1))
    queued = ReviewFactory()
    with pytest.raises(HoldLimitReached, match="rita holds 1 reviews"):
        services.review_assign(
            review_id=queued.pk, actor=editor, version=queued.version, assignee=reviewer
        )
    Review.objects.filter(assignee=reviewer).exclude(pk=lapsed.pk).update(
        state=State.QUEUED, assignee=None, locked_until=None
    )
    assigned = services.review_assign(
        review_id=queued.pk, actor=editor, version=queued.version, assignee=reviewer
    )
    assert assigned.assignee == reviewer


# The rating has no default


def test_the_rating_select_has_no_preselected_verdict(reviewer):
    review = held(reviewer)
    html = desk_client(reviewer).get(f"{CHANGELIST}{review.pk}/change/").content.decode()
    select = re.search(r'<select name="rating"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert "selected" not in select
    assert re.search(r'<option value="">Choose a rating', select)
    assert 'name="rating" id="verdict-rating" required' in html


def test_submitting_without_a_rating_is_refused(reviewer):
    review = held(reviewer)
    EvidenceLinkFactory(claim=review.claim)
    response = desk_client(reviewer).post(
        f"{CHANGELIST}{review.pk}/desk/submit/", {"summary": "Wrong.", "version": review.version}
    )
    assert messages_of(response) == ["Choose a rating for the verdict."]
    assert Review.objects.get(pk=review.pk).state == State.IN_REVIEW


# Work needs the holder and the current version


def test_a_stale_tab_adds_no_evidence_to_a_released_review(reviewer):
    review = held(reviewer)
    client = desk_client(reviewer)
    services.review_release(review_id=review.pk, actor=reviewer, version=review.version)

    response = client.post(
        f"{CHANGELIST}{review.pk}/desk/evidence/",
        {"url": "https://stats.example/t1", "stance": "refutes", "version": review.version},
    )

    shown = messages_of(response)
    assert "Evidence added." not in shown
    assert any("changed since you loaded it" in text for text in shown)
    assert not EvidenceLink.objects.exists()


def test_evidence_needs_the_holder_even_at_the_current_version(reviewer, second_reviewer):
    review = held(second_reviewer)
    with pytest.raises(NotHolder):
        workspace.review_evidence_add(
            review_id=review.pk, actor=reviewer, version=review.version, url="https://a.example/"
        )
    assert not EvidenceLink.objects.exists()


def test_an_editor_may_add_evidence_to_a_review_someone_holds(editor, reviewer):
    review = held(reviewer)
    workspace.review_evidence_add(
        review_id=review.pk, actor=editor, version=review.version, url="https://a.example/"
    )
    assert Review.objects.get(pk=review.pk).version == review.version + 1


def test_a_stale_version_saves_no_note(reviewer):
    review = held(reviewer)
    with pytest.raises(StaleVersion):
        workspace.review_note_add(
            review_id=review.pk, actor=reviewer, version=review.version - 1, body="Hello"
        )
    assert not ReviewNote.objects.exists()


def test_notes_record_who_when_and_mentions(reviewer, editor, second_reviewer):
    review = held(reviewer)
    note = workspace.review_note_add(
        review_id=review.pk,
        actor=reviewer,
        version=review.version,
        body="@edna can you check the table? cc @ravi and @nobody",
    )
    assert note.author == reviewer and note.created_at is not None
    assert {user.username for user in note.mentions.all()} == {"edna", "ravi"}

    html = desk_client(editor).get(f"{CHANGELIST}{review.pk}/change/").content.decode()
    assert "can you check the table?" in html and "mentions @edna, @ravi" in html


def test_tags_are_set_and_cleaned(reviewer):
    review = held(reviewer)
    tags = workspace.review_tags_set(
        review_id=review.pk,
        actor=reviewer,
        version=review.version,
        names=["Health ", "health", "NHS"],
    )
    assert [tag.name for tag in tags] == ["health", "nhs"]
    with pytest.raises(ValidationFailed):
        workspace.review_tags_set(
            review_id=review.pk, actor=reviewer, version=review.version, names=["<b>"]
        )


# The checklist


def test_a_required_step_blocks_submit_and_approve_until_it_is_done(
    reviewer, editor, second_editor
):
    rating = Rating.objects.first()
    step = ChecklistStep.objects.get(name="Right of reply")
    step.required = True
    step.save()
    review = held(reviewer)
    EvidenceLinkFactory(claim=review.claim)
    with pytest.raises(ValidationFailed, match="Right of reply"):
        services.review_submit(
            review_id=review.pk,
            actor=reviewer,
            version=review.version,
            rating_id=rating.pk,
            summary="Wrong.",
        )
    workspace.review_checklist_mark(
        review_id=review.pk, actor=reviewer, version=review.version, step_id=step.pk, done=True
    )
    submitted = services.review_submit(
        review_id=review.pk,
        actor=reviewer,
        version=review.version,
        rating_id=rating.pk,
        summary="W.",
    )
    ChecklistMark.objects.all().delete()
    with pytest.raises(ValidationFailed, match="Right of reply"):
        services.review_approve(review_id=review.pk, actor=editor, version=submitted.version)
    workspace.review_checklist_mark(
        review_id=review.pk, actor=editor, version=submitted.version, step_id=step.pk, done=True
    )
    approved = services.review_approve(review_id=review.pk, actor=editor, version=submitted.version)
    assert approved.state == State.APPROVED


# Readable values on the review page


def test_the_review_page_reads_like_prose(reviewer, editor):
    text = "Valmont Wire counted at least 12 people at the depot last week."
    document = DocumentFactory(outlet="Valmont Wire", text=text)
    claim = ClaimFactory(
        document=document,
        speaker="",
        speaker_kind=Claim.SpeakerKind.OUTLET,
        figures=[
            {
                "text": "at least 12",
                "start": 21,
                "end": 32,
                "kind": "count",
                "value": 12,
                "low": 12,
                "high": None,
                "comparator": ">=",
                "approximate": False,
                "qualifier": "at least",
                "unit": "",
                "counted": "people",
            }
        ],
        dates=[{"text": "last week", "start": 50, "end": 59, "resolved": "2026-11-09",
                "granularity": "week"}],
    )  # fmt: skip
    review = held(reviewer, claim=claim)

    html = desk_client(editor).get(f"{CHANGELIST}{review.pk}/change/").content.decode()

    assert "at least 12 people" in html
    assert "the week of 9 November 2026" in html
    assert "Valmont Wire (the outlet; no one named)" in html
    for internal in ("Version:", "comparator", "approximate", "kind: count", "(nobody named))"):
        assert internal not in html
    assert "/admin/auth/user/" not in html
    assert ">Close<" not in html
    assert html.index('id="ws-claim"') < html.index('id="ws-work"') < html.index('id="ws-notes"')
    assert html.index('id="ws-notes"') < html.index('id="ws-history"')


def test_reassign_and_release_sit_in_the_action_bar_for_an_editor(editor, reviewer):
    review = held(reviewer)
    html = desk_client(editor).get(f"{CHANGELIST}{review.pk}/change/").content.decode()
    bar = html[html.index('id="desk-panel"') : html.index('id="ws-claim"')]
    assert 'id="release-review"' in bar and 'id="reassign-to"' in bar
    assert 'id="approve-review"' not in bar


def test_a_reviewer_sees_no_work_forms_on_a_review_someone_else_holds(reviewer, second_reviewer):
    review = held(second_reviewer)
    html = desk_client(reviewer).get(f"{CHANGELIST}{review.pk}/change/").content.decode()
    assert 'id="evidence-form"' not in html and 'id="note-add-form"' not in html


# Pinned query counts at 1,000 reviews


@pytest.fixture
def thousand_reviews(reviewer):
    document = DocumentFactory()
    claims = Claim.objects.bulk_create(
        [
            Claim(
                document=document,
                text=f"Claim {i} says {i} ships docked.",
                start=i,
                end=i + 1,
                score=0.8,
                extractor_version="test",
            )
            for i in range(1000)
        ]
    )
    Review.objects.bulk_create(
        [Review(claim=claim, priority=claim.score, fingerprint=f"f{claim.pk}") for claim in claims]
    )
    return Review.objects.order_by("id")


def test_queue_changelist_query_count_at_1000_reviews(
    thousand_reviews, editor, django_assert_max_num_queries
):
    client = desk_client(editor)
    # session, user, groups, permissions, the count, the page of rows with their claims,
    # documents and holders, the filters' ratings, the action form's desk members
    with django_assert_max_num_queries(10):
        response = client.get(f"{CHANGELIST}?desk=unassigned")
    assert response.status_code == 200
    assert response.content.decode().count('class="action-select"') == 100


def test_review_page_query_count_at_1000_reviews(
    thousand_reviews, reviewer, editor, django_assert_max_num_queries
):
    review = thousand_reviews.first()
    review = services.review_assign(review_id=review.pk, actor=reviewer, version=review.version)
    for i in range(5):
        EvidenceLinkFactory(claim=review.claim, url=f"https://a.example/{i}")
        ReviewNote.objects.create(review=review, author=reviewer, body=f"note {i}")
    client = desk_client(editor)
    # Whatever the number of reviews, evidence or notes: 19 queries.
    with django_assert_max_num_queries(19):
        response = client.get(f"{CHANGELIST}{review.pk}/change/")
    assert response.status_code == 200


def test_assignee_and_submitter_are_not_links_a_reviewer_cannot_open(reviewer, rating):
    review = held(reviewer)
    EvidenceLinkFactory(claim=review.claim)
    services.review_submit(
        review_id=review.pk,
        actor=reviewer,
        version=review.version,
        rating_id=rating.pk,
        summary="W",
    )
    client = desk_client(reviewer)
    for url in (f"{CHANGELIST}{review.pk}/change/", f"{CHANGELIST}?desk=awaiting"):
        html = client.get(url).content.decode()
        assert "/admin/auth/user/" not in html
        assert "rita" in html


def test_the_api_reports_the_hold_limit_as_json(reviewer):
    ReviewFactory.create_batch(4)
    client = client_for(reviewer)
    for _ in range(3):
        client.post("/api/v1/queue/claim-next/")
    response = client.post("/api/v1/queue/claim-next/")
    assert response.status_code == 409
    assert response.json()["error"] == "hold_limit_reached"


def test_the_review_page_links_evidence_through_the_desk_and_names_no_other_host(reviewer):
    review = held(reviewer)
    link = EvidenceLinkFactory(claim=review.claim, url="https://stats.example.org/t7")
    client = desk_client(reviewer)

    html = client.get(f"{CHANGELIST}{review.pk}/change/").content.decode()
    assert not re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert "https://stats.example.org/t7" in html

    opened = client.get(f"{CHANGELIST}evidence/{link.pk}/open/")
    assert opened.status_code == 302 and opened["Location"] == "https://stats.example.org/t7"
    assert Client().get(f"{CHANGELIST}evidence/{link.pk}/open/").status_code == 302
    assert "login" in Client().get(f"{CHANGELIST}evidence/{link.pk}/open/")["Location"]
