from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Review desk"

    def ready(self) -> None:
        """The desk follows what `claims` announces (claims.events): stored claims join the
        queue, documents that joined a story carry their reviews along, claims someone
        worked on survive a new engine, and a confirmed dispute raises its claims."""
        from claims import events
        from reviews import services

        events.on_claims_stored.subscribe(services.reviews_enqueue_claims)
        events.on_document_joined_story.subscribe(services.reviews_refresh_story)
        events.on_claims_retiring.subscribe(services.reviews_claims_kept)
        events.on_dispute_decided.subscribe(services.reviews_refresh_disputes)
