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
