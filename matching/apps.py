from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Fact-check archive and matching"

    def ready(self) -> None:
        """Matching follows what claims and the desk announce: the claims that enter the queue
        are matched against the archive, and a published verdict joins the archive."""
        from claims import events as claim_events
        from matching import subscribers
        from reviews import events as review_events

        claim_events.on_claims_stored.subscribe(subscribers.match_queued_claims)
        review_events.on_review_published.subscribe(subscribers.archive_published_review)
