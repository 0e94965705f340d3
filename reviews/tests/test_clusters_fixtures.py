"""Clusters on the team's fixture articles, through the real engine: syndicated copies and a
paraphrase across outlets become one cluster and one queue item; different figures stay apart."""

from pathlib import Path

import pytest

from claims.clusters import claims_cluster
from claims.ingest.files import read_file
from claims.models import Claim, ClaimCluster
from claims.services import document_extract, document_ingest
from reviews.models import Review

pytestmark = pytest.mark.django_db

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"
USED = ("02", "03", "11", "13", "15", "16", "17")


def ingest_fixtures() -> None:
    for path in sorted(ARTICLES.iterdir()):
        if path.name[:2] not in USED:
            continue
        (article,) = read_file(path)
        document = document_ingest(
            text=article.text,
            title=article.title,
            url=article.url,
            outlet=article.outlet,
            published_at=article.published_at,
            extract=False,
        ).document
        document_extract(document_id=document.pk)


def claim_containing(words: str, outlet: str) -> Claim:
    return Claim.objects.select_related("document").get(
        text__contains=words, document__outlet=outlet
    )


def test_copies_and_a_paraphrase_form_one_cluster_and_one_queue_item(reviewer_client):
    ingest_fixtures()

    agency = claim_containing("tried to impede Veltrian aviation", "Valmont Wire")
    syndicated = claim_containing("tried to impede Veltrian aviation", "Eastbank Herald")
    paraphrase = claim_containing("created obstacles for Veltrian aircraft", "Radio Valmont")
    assert agency.cluster_id == syndicated.cluster_id == paraphrase.cluster_id
    cluster = ClaimCluster.objects.get(pk=agency.cluster_id)
    assert (cluster.claim_count, cluster.outlet_count) == (3, 3)
    (review,) = Review.objects.filter(cluster=cluster)
    assert review.appearance_outlets == 3 and review.priority_spread == pytest.approx(0.2)
    queue = [
        item["id"] for item in reviewer_client.get("/api/v1/queue/?page_size=200").json()["results"]
    ]
    assert queue.count(review.pk) == 1
    body = reviewer_client.get(f"/api/v1/clusters/{cluster.pk}/").json()
    assert sorted(a["outlet"] for a in body["appearances"]) == [
        "Eastbank Herald",
        "Radio Valmont",
        "Valmont Wire",
    ]

    # The agency copy run by another paper: the same claims, one cluster each.
    northvale = claim_containing("4,200 households were still", "Valmont Wire")
    assert claim_containing("4,200 households were still", "Eastbank Herald").cluster_id == (
        northvale.cluster_id
    )
    council = claim_containing("about 3,900", "Valmont Wire")
    assert council.cluster_id != northvale.cluster_id

    # Same forecast, different figures: two claims.
    jobs = claim_containing("3,400 permanent jobs", "Saltmere Gazette")
    misquoted = claim_containing("4,300 permanent jobs", "The Coastline Post")
    assert jobs.cluster_id != misquoted.cluster_id
    # Three flights diverted is not eleven delayed.
    diverted = claim_containing("Three civilian flights were diverted", "Valmont Wire")
    delayed = claim_containing("eleven civilian flights", "Radio Valmont")
    assert diverted.cluster_id != delayed.cluster_id

    # Deterministic and idempotent: clustering the stored claims again changes nothing.
    before = dict(Claim.objects.values_list("pk", "cluster_id"))
    assert claims_cluster(claims=list(Claim.objects.all())) == []
    assert dict(Claim.objects.values_list("pk", "cluster_id")) == before
    assert all(claim.cluster_id for claim in Claim.objects.all())
