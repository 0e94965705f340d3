"""One claim, many appearances: one queue item per cluster, its spread, merges and splits."""

import re
from itertools import count

import pytest
from django.test import Client

from claims.models import Claim, ClaimCluster, Story
from claims.tests.factories import ClaimFactory, DocumentFactory
from conftest import client_for, make_user
from reviews import clusters, services
from reviews.errors import InvalidTransition, ValidationFailed
from reviews.models import Review

pytestmark = pytest.mark.django_db

State = Review.State
CLAIM = "The port handled 12,400 containers in October."
OTHER = "Two more cranes will arrive at the port in spring."
_printed = count()


def carried_by(outlet: str, text: str = CLAIM, *, story: Story | None = None, **claim) -> Claim:
    """A claim as an outlet printed it, stored and queued as the worker would."""
    document = DocumentFactory(outlet=outlet, story=story, text=f"{text} ({next(_printed)})")
    stored = ClaimFactory(document=document, start=0, end=len(text), text=text, **claim)
    services.reviews_enqueue_claims(claims=[stored])
    stored.refresh_from_db()
    return stored


def test_copies_across_outlets_are_one_queue_item_whose_spread_counts_the_outlets(
    reviewer_client, django_assert_max_num_queries
):
    first = carried_by("Harbour Times")
    carried_by("Coast Post", CLAIM.upper() + "!", story=Story.objects.create(title="Elsewhere"))
    carried_by("Bay Daily")
    carried_by("Bay Daily")
    other = carried_by("Coast Post", OTHER)

    review = Review.objects.get(cluster=first.cluster)
    assert Review.objects.count() == 2
    assert (review.appearance_documents, review.appearance_outlets) == (4, 3)
    assert review.priority_spread == pytest.approx(0.2)
    cluster = ClaimCluster.objects.get(pk=first.cluster_id)
    assert (cluster.claim_count, cluster.document_count, cluster.outlet_count) == (4, 4, 3)
    assert Review.objects.get(cluster=other.cluster).appearance_outlets == 1

    with django_assert_max_num_queries(4):
        queue = reviewer_client.get("/api/v1/queue/").json()["results"]
    assert [item["id"] for item in queue].count(review.pk) == 1 and len(queue) == 2
    top = next(item for item in queue if item["id"] == review.pk)
    assert "3 outlets 0.20" in top["priority_explanation"]


def test_a_new_appearance_of_a_published_claim_does_not_return_to_the_queue(editor):
    first = carried_by("Harbour Times")
    Review.objects.filter(cluster=first.cluster).update(state=State.PUBLISHED)
    later = carried_by("Metro")
    assert later.cluster_id == first.cluster_id
    assert Review.objects.filter(cluster=first.cluster).count() == 1


def test_the_review_page_lists_every_appearance_escaped(editor):
    first = carried_by("Harbour Times", speaker="Port Authority")
    carried_by("Coast <b>Post</b>", speaker="Ines <i>Vo</i>")
    carried_by("Metro", OTHER)
    review = Review.objects.get(cluster=first.cluster)
    editor.is_staff = True
    editor.save()
    client = Client()
    client.force_login(editor)

    page = client.get(f"/admin/reviews/review/{review.pk}/change/").content.decode()

    assert "(this claim)" in page and "Port Authority" in page
    assert "Coast &lt;b&gt;Post&lt;/b&gt;" in page and "Ines &lt;i&gt;Vo&lt;/i&gt;" in page
    assert page.count(f">{CLAIM}</mark>") >= 2
    assert "Metro" not in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "an element id is used twice on the review page"
    cluster_page = client.get(f"/admin/claims/claimcluster/{first.cluster_id}/change/")
    assert cluster_page.status_code == 200
    assert "Coast &lt;b&gt;Post&lt;/b&gt;" in cluster_page.content.decode()


def test_merge_keeps_the_review_furthest_along_and_records_it(reviewer, editor):
    port = carried_by("Harbour Times")
    cranes = carried_by("Coast Post", OTHER)
    queued = Review.objects.get(cluster=port.cluster)
    held = Review.objects.get(cluster=cranes.cluster)
    held = services.review_assign(review_id=held.pk, actor=reviewer, version=held.version)

    merged = clusters.cluster_merge(
        cluster_id=port.cluster_id, into_id=cranes.cluster_id, actor=editor
    )

    assert merged.pk == cranes.cluster_id and merged.claim_count == 2 and merged.outlet_count == 2
    assert not ClaimCluster.objects.filter(pk=port.cluster_id).exists()
    assert set(Claim.objects.values_list("cluster_id", flat=True)) == {merged.pk}
    queued.refresh_from_db()
    held.refresh_from_db()
    assert (held.state, held.cluster_id, held.appearance_outlets) == (
        State.IN_REVIEW,
        merged.pk,
        2,
    )
    assert (
        queued.state == State.DISMISSED and f"merged into review {held.pk}" in queued.dismiss_reason
    )
    assert queued.history.latest("history_date").history_user == editor
    assert merged.history.latest("history_date").history_change_reason == (
        f"cluster {port.cluster_id} merged into this one"
    )
    assert "merged into this review's cluster" in (
        held.history.latest("history_date").history_change_reason
    )


def test_merge_refuses_itself_and_clusters_held_by_two_reviewers(reviewer, second_reviewer):
    port = carried_by("Harbour Times")
    cranes = carried_by("Coast Post", OTHER)
    with pytest.raises(InvalidTransition, match="into itself"):
        clusters.cluster_merge(cluster_id=port.cluster_id, into_id=port.cluster_id, actor=reviewer)
    for claim, who in ((port, reviewer), (cranes, second_reviewer)):
        review = Review.objects.get(cluster=claim.cluster)
        services.review_assign(review_id=review.pk, actor=who, version=review.version)
    with pytest.raises(InvalidTransition, match=r"rita .* ravi|ravi .* rita"):
        clusters.cluster_merge(
            cluster_id=port.cluster_id, into_id=cranes.cluster_id, actor=reviewer
        )
    assert ClaimCluster.objects.count() == 2


def test_split_takes_a_wrong_member_out_into_its_own_queue_item(reviewer):
    port = carried_by("Harbour Times", score=0.7)
    wrong = carried_by("Coast Post", score=0.9)
    review = Review.objects.get(cluster=port.cluster)
    assert review.claim_id == port.pk

    new = clusters.cluster_split(cluster_id=port.cluster_id, claim_id=wrong.pk, actor=reviewer)

    wrong.refresh_from_db()
    assert wrong.cluster_id == new.pk != port.cluster_id
    assert new.claim_count == 1 and ClaimCluster.objects.get(pk=port.cluster_id).claim_count == 1
    assert Review.objects.get(cluster=new).claim_id == wrong.pk
    review.refresh_from_db()
    assert (review.cluster_id, review.claim_id) == (port.cluster_id, port.pk)
    assert review.history.latest("history_date").history_change_reason == (
        f"claim {wrong.pk} split out into cluster {new.pk}"
    )
    assert new.history.earliest("history_date").history_user == reviewer
    with pytest.raises(InvalidTransition, match="only claim"):
        clusters.cluster_split(cluster_id=new.pk, claim_id=wrong.pk, actor=reviewer)
    with pytest.raises(ValidationFailed, match="not in cluster"):
        clusters.cluster_split(cluster_id=port.cluster_id, claim_id=wrong.pk, actor=reviewer)


def test_split_of_the_shown_claim_leaves_the_review_showing_another(reviewer):
    shown = carried_by("Harbour Times", score=0.9)
    other = carried_by("Coast Post", score=0.7)
    review = Review.objects.get(cluster=shown.cluster)
    assert review.claim_id == shown.pk

    new = clusters.cluster_split(cluster_id=shown.cluster_id, claim_id=shown.pk, actor=reviewer)

    review.refresh_from_db()
    assert (review.cluster_id, review.claim_id) == (other.cluster_id, other.pk)
    assert Review.objects.get(cluster=new).claim_id == shown.pk


def test_merge_and_split_over_the_api(reviewer, second_reviewer):
    port = carried_by("Harbour Times")
    cranes = carried_by("Coast Post", OTHER)
    api = client_for(reviewer)
    outsider = client_for(make_user("olga"))
    merge = f"/api/v1/clusters/{port.cluster_id}/merge/"

    assert outsider.post(merge, {"into": cranes.cluster_id}, format="json").status_code == 403
    assert api.post(merge, {"into": "x"}, format="json").status_code == 400
    assert api.post(merge, {"into": 999999}, format="json").status_code == 404
    itself = api.post(merge, {"into": port.cluster_id}, format="json")
    assert itself.status_code == 409 and "itself" in itself.json()["detail"]
    for claim, who in ((port, reviewer), (cranes, second_reviewer)):
        review = Review.objects.get(cluster=claim.cluster)
        services.review_assign(review_id=review.pk, actor=who, version=review.version)
    held = api.post(merge, {"into": cranes.cluster_id}, format="json")
    assert held.status_code == 409 and "release" in held.json()["detail"]

    Review.objects.filter(cluster=cranes.cluster).update(assignee=reviewer)
    merged = api.post(merge, {"into": cranes.cluster_id}, format="json")
    assert merged.status_code == 200
    body = merged.json()
    assert body["id"] == cranes.cluster_id
    assert {a["claim"] for a in body["appearances"]} == {port.pk, cranes.pk}

    split = api.post(
        f"/api/v1/clusters/{cranes.cluster_id}/split/", {"claim": port.pk}, format="json"
    )
    assert split.status_code == 201
    assert [a["claim"] for a in split.json()["appearances"]] == [port.pk]
    again = api.post(
        f"/api/v1/clusters/{split.json()['id']}/split/", {"claim": port.pk}, format="json"
    )
    assert again.status_code == 409


def test_the_cluster_endpoint_lists_appearances_in_a_fixed_number_of_queries(
    reviewer_client, django_assert_num_queries
):
    first = carried_by("Harbour Times", speaker="Port Authority")
    path = f"/api/v1/clusters/{first.cluster_id}/"
    # The same number whatever the number of appearances: the token's user with its roles (one
    # query since factdesk.authentication; it was two), the cluster, its claims and the archive's
    # matches.
    with django_assert_num_queries(4):
        one = reviewer_client.get(path).json()
    for outlet in ("Coast Post", "Bay Daily", "Metro", "Metro"):
        carried_by(outlet)
    with django_assert_num_queries(4):
        five = reviewer_client.get(path).json()
    assert len(one["appearances"]) == 1 and len(five["appearances"]) == 5
    appearance = five["appearances"][0]
    assert set(appearance) == {
        "claim", "document", "document_title", "outlet", "speaker", "date", "text"
    }  # fmt: skip
    assert (appearance["claim"], appearance["speaker"], appearance["text"]) == (
        first.pk,
        "Port Authority",
        CLAIM,
    )
    assert five["matches"] == [] and five["outlet_count"] == 4
    claim = reviewer_client.get(f"/api/v1/claims/{first.pk}/").json()
    assert claim["cluster"] == first.cluster_id
    assert reviewer_client.get("/api/v1/clusters/999999/").status_code == 404


def test_the_admin_merges_selected_clusters_and_splits_selected_claims(reviewer):
    reviewer.is_staff = True
    reviewer.save()
    client = Client()
    client.force_login(reviewer)
    port = carried_by("Harbour Times")
    also = carried_by("Coast Post")
    cranes = carried_by("Metro", OTHER)
    assert also.cluster_id == port.cluster_id

    client.post(
        "/admin/claims/claimcluster/",
        {"action": "merge_selected", "_selected_action": [port.cluster_id, cranes.cluster_id]},
    )
    assert set(Claim.objects.values_list("cluster_id", flat=True)) == {port.cluster_id}

    client.post(
        "/admin/claims/claim/", {"action": "split_selected", "_selected_action": [cranes.pk]}
    )
    cranes.refresh_from_db()
    assert cranes.cluster_id != port.cluster_id
    assert Review.objects.filter(cluster_id=cranes.cluster_id, state=State.QUEUED).exists()
