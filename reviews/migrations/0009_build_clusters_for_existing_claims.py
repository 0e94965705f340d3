"""Every existing claim gets a cluster and every review its claim's cluster, without loss.

The clusters are the copies the desk already counted as one claim: the same normalised text in
the same story (a document in no story on its own), per engine version. New claims join them
incrementally (claims.clusters). Where one cluster now holds several open reviews, the one
furthest along stays open and the others are dismissed as merged into it, with a history record
each; published and dismissed reviews stay as they were.
"""

from collections import defaultdict

from django.db import migrations
from django.utils import timezone

from reviews.priority import normalised_claim_text, spread_part

OPEN = ("queued", "in_review", "submitted", "approved")
PROGRESS = {"queued": 1, "in_review": 2, "submitted": 3, "approved": 4}
BATCH = 1000


def build_clusters(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    ClaimCluster = apps.get_model("claims", "ClaimCluster")
    groups: dict[tuple, list[tuple[int, int, str, str]]] = defaultdict(list)
    rows = (
        Claim.objects.filter(cluster__isnull=True)
        .order_by("id")
        .values_list(
            "id",
            "text",
            "extractor_version",
            "document_id",
            "document__story_id",
            "document__outlet",
        )
    )
    for claim_id, text, version, document_id, story_id, outlet in rows.iterator(chunk_size=BATCH):
        where = ("story", story_id) if story_id is not None else ("document", document_id)
        groups[(version, normalised_claim_text(text), where)].append(
            (claim_id, document_id, (outlet or "").casefold(), text)
        )
    keys = list(groups)
    for start in range(0, len(keys), BATCH):
        chunk = keys[start : start + BATCH]
        clusters = ClaimCluster.objects.bulk_create(
            [
                ClaimCluster(
                    canonical_text=groups[key][0][3],
                    embedding_version=key[0],
                    claim_count=len(groups[key]),
                    document_count=len({member[1] for member in groups[key]}),
                    outlet_count=len({member[2] for member in groups[key]}),
                )
                for key in chunk
            ]
        )
        for key, cluster in zip(chunk, clusters, strict=True):
            Claim.objects.filter(pk__in=[member[0] for member in groups[key]]).update(
                cluster_id=cluster.pk
            )


def attach_reviews(apps, schema_editor):
    Review = apps.get_model("reviews", "Review")
    HistoricalReview = apps.get_model("reviews", "HistoricalReview")
    ClaimCluster = apps.get_model("claims", "ClaimCluster")
    by_cluster: dict[int, list] = defaultdict(list)
    for review in Review.objects.select_related("claim").order_by("id").iterator(chunk_size=BATCH):
        review.cluster_id = review.claim.cluster_id
        by_cluster[review.cluster_id].append(review)
    counts = {
        pk: (documents, outlets)
        for pk, documents, outlets in ClaimCluster.objects.filter(
            pk__in=list(by_cluster)
        ).values_list("pk", "document_count", "outlet_count")
    }
    now = timezone.now()
    changed, history = [], []
    for cluster_id, reviews in by_cluster.items():
        documents, outlets = counts.get(cluster_id, (1, 1))
        open_reviews = [review for review in reviews if review.state in OPEN]
        kept = max(open_reviews, key=lambda r: (PROGRESS[r.state], -r.pk), default=None)
        for review in reviews:
            review.appearance_documents = max(documents, 1)
            review.appearance_outlets = max(outlets, 1)
            review.priority_spread = spread_part(outlets=review.appearance_outlets)
            review.priority = round(
                review.priority_score
                + review.priority_spread
                + review.priority_recency
                + review.priority_boost,
                4,
            )
            if review.state in OPEN and review is not kept:
                review.state = "dismissed"
                review.dismiss_reason = (
                    f"merged into review {kept.pk}: the same claim (cluster {cluster_id})"
                )
                review.assignee_id = None
                review.locked_until = None
                review.version += 1
                history.append(_history(HistoricalReview, Review, review, now))
            changed.append(review)
    Review.objects.bulk_update(
        changed,
        [
            "cluster",
            "state",
            "dismiss_reason",
            "assignee",
            "locked_until",
            "version",
            "appearance_documents",
            "appearance_outlets",
            "priority_spread",
            "priority",
        ],
        batch_size=BATCH,
    )
    HistoricalReview.objects.bulk_create(history, batch_size=BATCH)


def _history(HistoricalReview, Review, review, now):
    record = HistoricalReview(
        history_date=now,
        history_type="~",
        history_change_reason=f"dismissed: {review.dismiss_reason}"[:100],
        history_user=None,
    )
    for field in Review._meta.concrete_fields:
        setattr(record, field.attname, getattr(review, field.attname))
    return record


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0008_review_cluster"),
        ("claims", "0007_claim_clusters"),
    ]

    operations = [
        migrations.RunPython(build_clusters, migrations.RunPython.noop),
        migrations.RunPython(attach_reviews, migrations.RunPython.noop),
    ]
