from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Documents and claims"

    def ready(self) -> None:
        from claims.extraction import embeddings

        try:
            embeddings.set_backend(settings.FACTDESK_EMBEDDING_BACKEND)
        except ValueError as error:
            raise ImproperlyConfigured(f"FACTDESK_EMBEDDING_BACKEND: {error}") from error
