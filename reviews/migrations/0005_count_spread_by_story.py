"""Reviews learn their claim's story; the spread is counted again within each story.

Separate from 0004: PostgreSQL will not build 0004's indexes on a table whose rows changed
earlier in the same transaction.
"""

from django.db import migrations
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Round

from reviews import priority


def count_spread_by_story(apps, schema_editor):
    """Reviews learn their claim's story; the spread counts the outlets of that story only."""
    Claim = apps.get_model("claims", "Claim")
    Review = apps.get_model("reviews", "Review")
    Review.objects.update(
        story_id=Subquery(
            Claim.objects.filter(pk=OuterRef("claim_id")).values("document__story_id")[:1]
        )
    )
    groups = (
        Review.objects.values("fingerprint", "story_id")
        .annotate(
            documents=Count("claim__document", distinct=True),
            outlets=Count("claim__document__outlet", distinct=True),
        )
        .order_by()
    )
    for group in groups.iterator():
        copies = Review.objects.filter(fingerprint=group["fingerprint"], story_id=group["story_id"])
        documents, outlets = group["documents"], group["outlets"]
        if group["story_id"] is None:
            documents = outlets = 1
        spread = priority.spread_part(outlets=outlets)
        copies.update(
            appearance_documents=documents,
            appearance_outlets=outlets,
            priority_spread=spread,
            priority=Round(
                F("priority_score") + spread + F("priority_recency") + F("priority_boost"), 4
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_review_story")]

    operations = [migrations.RunPython(count_spread_by_story, migrations.RunPython.noop)]
