import pytest

from claims.actors import Speaker, actors_resolve
from claims.disputes import story_disputes_find
from claims.extraction.figures import find_figures
from claims.models import Claim, Dispute, Document, Story
from claims.services import content_hash_of
from claims.tests.factories import ClaimFactory, DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sides():
    return actors_resolve(
        speakers=[
            Speaker("Defence Ministry", "organization"),
            Speaker("The coalition", "organization"),
            Speaker("Ada Smith", "person", role="spokesman", affiliation="The coalition"),
        ]
    )


def say(story: Story, actor, text: str, outlet: str = "Harbour Times") -> Claim:
    document = DocumentFactory(story=story, outlet=outlet, text=text)
    return ClaimFactory(
        document=document,
        actor=actor,
        speaker=actor.name if actor else "",
        figures=find_figures(text),
    )


@pytest.fixture
def story(sides) -> Story:
    ministry, _, spokesman = sides
    story = Story.objects.create(title="Strike on the dam")
    say(story, ministry, "Only 12 people were confirmed dead after the strike.", "Valmont Wire")
    say(story, spokesman, "At least 40 people were killed in the strike.", "Eastbank Herald")
    say(story, None, "He said the convoy had turned back.", "Eastbank Herald")
    story_disputes_find(story=story)
    return story


def test_the_story_carries_its_documents_actors_by_side_and_disputes(reviewer_client, story):
    body = reviewer_client.get(f"/api/v1/stories/{story.pk}/").json()

    assert {d["outlet"] for d in body["documents"]} == {"Valmont Wire", "Eastbank Herald"}
    by_name = {actor["name"]: actor for actor in body["actors"]}
    assert by_name["Ada Smith"]["affiliation"] == "The coalition"
    assert by_name["Ada Smith"]["side"] != by_name["Defence Ministry"]["side"]
    assert 0 not in {by_name["Ada Smith"]["side"], by_name["Defence Ministry"]["side"]}
    (dispute,) = body["disputes"]
    assert set(dispute) == {"id", "kind", "claims", "detail", "state"}
    assert dispute["kind"] == "figures" and dispute["state"] == "proposed"
    claims = Claim.objects.filter(document__story=story)
    assert set(dispute["claims"]) == set(claims.exclude(actor=None).values_list("id", flat=True))
    assert body["unresolved_claims"] == list(claims.filter(actor=None).values_list("id", flat=True))
    assert {(row["said_by"], row["figure"]) for row in body["figures"]} == {
        ("Defence Ministry", "Only 12"),
        ("Ada Smith", "At least 40"),
    }


def test_the_story_list_counts_documents_and_outlets(reviewer_client, story):
    (listed,) = reviewer_client.get("/api/v1/stories/").json()["results"]

    assert (listed["id"], listed["document_count"], listed["outlet_count"]) == (story.pk, 3, 2)


def test_a_claim_carries_its_actor_and_disputes_and_claims_filter_by_actor(
    reviewer_client, story, sides
):
    _, _, spokesman = sides
    claim = Claim.objects.get(actor=spokesman)

    body = reviewer_client.get(f"/api/v1/claims/{claim.pk}/").json()
    filtered = reviewer_client.get(f"/api/v1/claims/?actor={spokesman.pk}").json()

    assert body["actor"] == {"id": spokesman.pk, "name": "Ada Smith", "kind": "person"}
    assert [d["kind"] for d in body["disputes"]] == ["figures"]
    assert claim.pk in body["disputes"][0]["claims"]
    assert [c["id"] for c in filtered["results"]] == [claim.pk]


def test_merging_an_actor_into_itself_or_another_kind_answers_400_with_the_reason(
    editor_client, reviewer_client, sides
):
    ministry, coalition, spokesman = sides

    itself = editor_client.post(
        f"/api/v1/actors/{ministry.pk}/merge/", {"into": ministry.pk}, format="json"
    )
    other_kind = editor_client.post(
        f"/api/v1/actors/{spokesman.pk}/merge/", {"into": coalition.pk}, format="json"
    )
    not_editor = reviewer_client.post(
        f"/api/v1/actors/{ministry.pk}/merge/", {"into": coalition.pk}, format="json"
    )
    merged = editor_client.post(
        f"/api/v1/actors/{ministry.pk}/merge/", {"into": coalition.pk}, format="json"
    )

    assert itself.status_code == 400
    assert "cannot be merged into itself" in itself.json()["detail"]
    assert other_kind.status_code == 400
    assert "only actors of the same kind" in other_kind.json()["detail"]
    assert not_editor.status_code == 403
    assert merged.status_code == 200
    assert sorted(merged.json()["aliases"]) == ["Defence Ministry", "The coalition"]


def test_a_reviewer_confirms_a_dispute_over_the_api(reviewer_client, client, story):
    dispute = Dispute.objects.get(story=story)

    anonymous = client.post(f"/api/v1/disputes/{dispute.pk}/confirm/")
    confirmed = reviewer_client.post(f"/api/v1/disputes/{dispute.pk}/confirm/")
    again = reviewer_client.post(f"/api/v1/disputes/{dispute.pk}/confirm/")

    assert anonymous.status_code in (401, 403)
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "confirmed"
    assert again.status_code == 400 and "already confirmed" in again.json()["detail"]


STORY_DETAIL_QUERIES = 8  # the session, the user and their token, then the five of story_detail


def test_a_story_of_thousands_of_claims_stays_within_the_pinned_queries(
    reviewer_client, sides, django_assert_max_num_queries
):
    ministry, _, spokesman = sides
    story = Story.objects.create(title="A long war")
    documents = Document.objects.bulk_create(
        Document(
            story=story,
            outlet=f"Outlet {n % 9}",
            title=f"Report {n}",
            text=f"Report {n}",
            content_hash=content_hash_of(f"Report {n}"),
        )
        for n in range(60)
    )
    texts = [
        f"At least {n % 50 + 1} people were killed in raid {n}."
        if n % 2
        else f"Only {n % 7 + 1} people died in raid {n}."
        for n in range(3000)
    ]
    Claim.objects.bulk_create(
        Claim(
            document=documents[n % 60],
            actor=ministry if n % 2 else spokesman,
            text=text,
            start=n,
            end=n + len(text),
            figures=find_figures(text),
            extractor_version="test",
        )
        for n, text in enumerate(texts)
    )
    story_disputes_find(story=story)

    with django_assert_max_num_queries(STORY_DETAIL_QUERIES):
        detail = reviewer_client.get(f"/api/v1/stories/{story.pk}/")
    with django_assert_max_num_queries(STORY_DETAIL_QUERIES):
        listed = reviewer_client.get("/api/v1/stories/")

    assert detail.json()["claim_count"] == 3000
    assert detail.json()["disputes"]
    assert listed.json()["results"][0]["document_count"] == 60
