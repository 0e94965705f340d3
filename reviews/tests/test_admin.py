import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from claims.models import Story
from claims.tests.factories import ClaimFactory, DocumentFactory
from reviews import services
from reviews.models import Review
from reviews.tests.factories import EvidenceLinkFactory, ReviewFactory

pytestmark = pytest.mark.django_db
State = Review.State
CHANGELIST = "/admin/reviews/review/"


def staff_client(user) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_changelist_query_count_does_not_grow_with_rows(editor, django_assert_max_num_queries):
    client = staff_client(editor)
    ReviewFactory.create_batch(3)
    with django_assert_max_num_queries(12) as few:
        assert client.get(CHANGELIST).status_code == 200
    ReviewFactory.create_batch(20)
    with django_assert_max_num_queries(12) as many:
        assert client.get(CHANGELIST).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_desk_lists(reviewer, editor):
    client = staff_client(reviewer)
    mine = ReviewFactory(
        state=State.IN_REVIEW,
        assignee=reviewer,
        claim=ClaimFactory(text="Mine mine mine", document=DocumentFactory()),
    )
    queued = ReviewFactory()
    awaiting = ReviewFactory(state=State.SUBMITTED)
    published = ReviewFactory(state=State.PUBLISHED)

    def listed(desk: str) -> set[int]:
        response = client.get(f"{CHANGELIST}?desk={desk}")
        return {review.pk for review in response.context["cl"].result_list}

    assert listed("mine") == {mine.pk}
    assert listed("unassigned") == {queued.pk}
    assert listed("awaiting") == {awaiting.pk}
    assert listed("published") == {published.pk}
    page = client.get(CHANGELIST).content.decode()
    for label in ("My reviews", "Unassigned", "Awaiting sign-off", "Published", "score 0.80"):
        assert label in page
    assert "release_selected" in page and "approve_selected" not in page


def test_take_next_add_evidence_submit_and_see_everything_escaped(reviewer, rating):
    client = staff_client(reviewer)
    story = Story.objects.create(title="Port figures")
    review = ReviewFactory(claim__document__story=story)
    copy = ClaimFactory(
        text=review.claim.text,
        document=DocumentFactory(title="Copy in the <i>Post</i>", story=story),
    )
    services.reviews_enqueue_claims(claims=[copy])

    taken = client.post(f"{CHANGELIST}claim-next/")
    assert taken.status_code == 302
    page_url = taken["Location"]
    held = Review.objects.get(assignee=reviewer)
    action = f"{CHANGELIST}{held.pk}/desk"
    bad = client.post(f"{action}/evidence/", {"url": "javascript:alert(1)", "version": 2})
    assert "Enter a valid URL." in " ".join(texts(bad))
    client.post(
        f"{action}/evidence/",
        {"url": "https://stats.example/t7", "stance": "refutes", "version": 2},
    )
    # Evidence is a change to the review's work: a new version.
    done = client.post(
        f"{action}/submit/",
        {"rating": rating.pk, "summary": "<script>alert('x')</script> wrong", "version": 3},
    )
    assert texts(done)[-1] == "Verdict submitted for sign-off."

    page = client.get(page_url).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; wrong" in page
    assert "<script>alert(" not in page
    assert '<mark id="claim-' in page
    assert "Copy in the &lt;i&gt;Post&lt;/i&gt;" in page
    assert "https://stats.example/t7" in page
    assert "submitted with rating" in page and "taken from the queue" in page


def test_admin_actions_go_through_the_services(editor, reviewer, rating):
    review = ReviewFactory(
        state=State.IN_REVIEW,
        assignee=editor,
        locked_until=timezone.now() + timezone.timedelta(minutes=5),
    )
    EvidenceLinkFactory(claim=review.claim)
    own = services.review_submit(
        review_id=review.pk, actor=editor, version=1, rating_id=rating.pk, summary="Mine."
    )
    client = staff_client(editor)
    refused = client.post(
        CHANGELIST, {"action": "approve_selected", "_selected_action": [own.pk]}, follow=True
    )
    assert any("Four eyes" in text for text in texts(refused))
    no_comment = client.post(
        CHANGELIST, {"action": "return_selected", "_selected_action": [own.pk], "note": ""}
    )
    assert any("needs a comment" in text for text in texts(no_comment))

    queued = ReviewFactory.create_batch(2)
    client.post(
        CHANGELIST,
        {
            "action": "assign_selected",
            "_selected_action": [r.pk for r in queued],
            "assignee": reviewer.pk,
        },
    )
    assert set(Review.objects.filter(assignee=reviewer).values_list("pk", flat=True)) == {
        r.pk for r in queued
    }
    assert Review.objects.get(pk=own.pk).state == State.SUBMITTED
