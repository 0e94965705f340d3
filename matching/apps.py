from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Fact-check archive and matching"

    def ready(self) -> None:
        from matching import tasks
        from reviews import events

        events.subscribe(
            events.REVIEWS_QUEUED, lambda claim_ids: tasks.claims_match.delay(claim_ids)
        )
        events.subscribe(
            events.REVIEW_PUBLISHED, lambda review_id: tasks.review_archive.delay(review_id)
        )
