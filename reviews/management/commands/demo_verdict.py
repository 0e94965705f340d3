"""Walks one queued claim of the demo through the desk to a published verdict, so that the
dashboard, the workspace and the public fact-check page have something to show after
`make run`. Does nothing once the desk has published anything."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reviews import services, workspace
from reviews.models import Rating, Review

SUMMARY = (
    "Demo verdict, written by FactDesk's demo command: the figure is checked against the "
    "source named below. Replace it with a real check before publishing anything."
)


class Command(BaseCommand):
    help = "Publishes one demo verdict (reviewer submits, editor approves and publishes)."

    def handle(self, *args, **options):
        if Review.objects.filter(state=Review.State.PUBLISHED).exists():
            self.stdout.write("The desk has published verdicts already; nothing to do.")
            return
        users = get_user_model().objects.in_bulk(
            ["reviewer", "editor", "admin"], field_name="username"
        )
        if len(users) < 3:
            raise CommandError("Run setup_demo first: it creates reviewer, editor and admin.")
        review = services.review_claim_next(actor=users["reviewer"])
        if review is None:
            self.stdout.write("The queue is empty; ingest the fixtures first.")
            return
        workspace.review_evidence_add(
            review_id=review.pk,
            actor=users["reviewer"],
            version=review.version,
            url="https://factdesk.example/demo/source",
            excerpt="Demo source.",
            stance="context",
            note="Added by the demo command.",
        )
        review.refresh_from_db()
        rating = Rating.objects.order_by("order", "value")[len(Rating.objects.all()) // 2]
        review = services.review_submit(
            review_id=review.pk,
            actor=users["reviewer"],
            version=review.version,
            rating_id=rating.pk,
            summary=SUMMARY,
        )
        review = services.review_approve(
            review_id=review.pk, actor=users["editor"], version=review.version
        )
        review = services.review_publish(
            review_id=review.pk, actor=users["admin"], version=review.version
        )
        self.stdout.write(f"Published demo verdict {review.pk}: /fact-checks/{review.pk}")
