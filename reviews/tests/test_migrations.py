import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reviews", "0003_queue_priority"), ("claims", "0003_backfill_stories")]
AFTER = [("reviews", "0005_count_spread_by_story")]


def test_reviews_learn_their_story_and_the_spread_is_counted_again(committed_desk):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Story = apps.get_model("claims", "Story")
    Document = apps.get_model("claims", "Document")
    Claim = apps.get_model("claims", "Claim")
    Review = apps.get_model("reviews", "Review")
    story, other = Story.objects.create(title="Port"), Story.objects.create(title="Other")
    placed = [(story, "Harbour Times"), (story, "Coast Post"), (other, "Metro"), (None, "Bay")]
    for n, (home, outlet) in enumerate(placed):
        document = Document.objects.create(
            text=f"Port claim {n}", content_hash=f"hash-{n}", outlet=outlet, story=home
        )
        claim = Claim.objects.create(
            document=document, text="Port claim", start=0, end=10, extractor_version="t"
        )
        Review.objects.create(
            claim=claim,
            fingerprint="same",
            appearance_documents=4,
            appearance_outlets=4,
            priority_score=0.5,
            priority_spread=0.3,
            priority=0.8,
        )

    executor.loader.build_graph()
    executor.migrate(AFTER)

    Review = executor.loader.project_state(AFTER).apps.get_model("reviews", "Review")
    counted = Review.objects.order_by("id").values_list(
        "story_id", "appearance_outlets", "priority_spread", "priority"
    )
    assert list(counted) == [
        (story.pk, 2, pytest.approx(0.1), pytest.approx(0.6)),
        (story.pk, 2, pytest.approx(0.1), pytest.approx(0.6)),
        (other.pk, 1, 0.0, pytest.approx(0.5)),
        (None, 1, 0.0, pytest.approx(0.5)),
    ]
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


EVIDENCE_BEFORE = [("claims", "0004_claim_dates"), ("reviews", "0005_count_spread_by_story")]
EVIDENCE_AFTER = [("reviews", "0006_evidence_moves_from_claims")]


def test_evidence_moves_to_reviews_with_every_row_its_history_and_permissions(committed_desk):
    executor = MigrationExecutor(connection)
    executor.migrate(EVIDENCE_BEFORE)
    apps = executor.loader.project_state(EVIDENCE_BEFORE).apps
    Document = apps.get_model("claims", "Document")
    Claim = apps.get_model("claims", "Claim")
    OldLink = apps.get_model("claims", "EvidenceLink")
    OldHistory = apps.get_model("claims", "HistoricalEvidenceLink")
    User = apps.get_model("auth", "User")
    rita = User.objects.create(username="rita-m")
    document = Document.objects.create(text="Port claim", content_hash="hash-e")
    claim = Claim.objects.create(
        document=document, text="Port claim", start=0, end=10, extractor_version="t"
    )
    links = [
        OldLink.objects.create(claim=claim, url="https://stats.example/1", stance="refutes"),
        OldLink.objects.create(claim=claim, document=document, added_by=rita, note="same story"),
    ]
    for link in links:
        OldHistory.objects.create(
            id=link.id,
            claim_id=claim.id,
            url=link.url,
            stance=link.stance,
            created_at=link.created_at,
            history_date=link.created_at,
            history_type="+",
            history_user=rita,
            history_change_reason=f"evidence added ({link.stance})",
        )

    executor.loader.build_graph()
    executor.migrate(EVIDENCE_AFTER)

    apps = executor.loader.project_state(EVIDENCE_AFTER).apps
    Link = apps.get_model("reviews", "EvidenceLink")
    History = apps.get_model("reviews", "HistoricalEvidenceLink")
    assert Link._meta.db_table == "reviews_evidencelink"
    assert list(Link.objects.order_by("id").values_list("id", "claim_id", "url", "note")) == [
        (links[0].id, claim.id, "https://stats.example/1", ""),
        (links[1].id, claim.id, "", "same story"),
    ]
    assert list(History.objects.order_by("id").values_list("id", "history_change_reason")) == [
        (links[0].id, "evidence added (refutes)"),
        (links[1].id, "evidence added (context)"),
    ]
    # The desk's groups keep their evidence permissions, now on the reviews model.
    Group = apps.get_model("auth", "Group")
    reviewer_perms = set(
        Group.objects.get(name="reviewer").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert {("reviews", "add_evidencelink"), ("reviews", "view_evidencelink")} <= reviewer_perms
    assert not {p for p in reviewer_perms if p[1].endswith("evidencelink") and p[0] == "claims"}
    # A new link continues the same id sequence.
    assert Link.objects.create(claim_id=claim.id, url="https://stats.example/3").id > links[1].id

    # And back: the rows return to the claims tables.
    executor.loader.build_graph()
    executor.migrate(EVIDENCE_BEFORE)
    OldLink = executor.loader.project_state(EVIDENCE_BEFORE).apps.get_model(
        "claims", "EvidenceLink"
    )
    assert OldLink.objects.count() == 3
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


CLUSTERS_BEFORE = [
    ("reviews", "0007_workspace_notes_tags_checklist"),
    ("claims", "0006_claim_embedding_version"),
]
CLUSTERS_AFTER = [("reviews", "0010_one_open_review_per_cluster")]


def test_existing_claims_get_clusters_and_duplicate_reviews_merge_without_loss(committed_desk):
    executor = MigrationExecutor(connection)
    executor.migrate(CLUSTERS_BEFORE)
    apps = executor.loader.project_state(CLUSTERS_BEFORE).apps
    Story = apps.get_model("claims", "Story")
    Document = apps.get_model("claims", "Document")
    Claim = apps.get_model("claims", "Claim")
    Review = apps.get_model("reviews", "Review")
    story = Story.objects.create(title="Port")
    states = [
        ("Port claim.", "Harbour Times", story, "queued"),
        ("PORT CLAIM!", "Coast Post", story, "submitted"),
        ("Port claim.", "Bay Daily", story, "published"),
        ("Port claim.", "Metro", None, "queued"),
        ("Another claim.", "Harbour Times", story, "queued"),
    ]
    reviews = []
    for n, (text, outlet, home, state) in enumerate(states):
        document = Document.objects.create(
            text=f"{text} {n}", content_hash=f"c-{n}", outlet=outlet, story=home
        )
        claim = Claim.objects.create(
            document=document, text=text, start=0, end=len(text), extractor_version="t"
        )
        reviews.append(
            Review.objects.create(claim=claim, state=state, priority_score=0.5, priority=0.5)
        )

    executor.loader.build_graph()
    executor.migrate(CLUSTERS_AFTER)

    apps = executor.loader.project_state(CLUSTERS_AFTER).apps
    Claim = apps.get_model("claims", "Claim")
    Review = apps.get_model("reviews", "Review")
    ClaimCluster = apps.get_model("claims", "ClaimCluster")
    clusters = dict(Claim.objects.values_list("document__outlet", "cluster_id"))
    port = Claim.objects.get(document__outlet="Coast Post").cluster_id
    assert ClaimCluster.objects.count() == 3
    assert Claim.objects.filter(cluster_id=port).count() == 3
    assert clusters["Metro"] != port
    merged = ClaimCluster.objects.get(pk=port)
    assert (merged.claim_count, merged.outlet_count) == (3, 3)
    after = {r.pk: r for r in Review.objects.all()}
    assert len(after) == 5
    assert after[reviews[1].pk].state == "submitted" and after[reviews[1].pk].cluster_id == port
    assert after[reviews[1].pk].appearance_outlets == 3
    assert after[reviews[0].pk].state == "dismissed"
    assert f"merged into review {reviews[1].pk}" in after[reviews[0].pk].dismiss_reason
    assert after[reviews[2].pk].state == "published"
    assert after[reviews[3].pk].state == "queued" and after[reviews[4].pk].state == "queued"
    HistoricalReview = apps.get_model("reviews", "HistoricalReview")
    record = HistoricalReview.objects.get(id=reviews[0].pk)
    assert record.state == "dismissed" and record.history_change_reason.startswith("dismissed")
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
