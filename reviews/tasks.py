"""Thin Celery tasks of the desk, named `<entity>_<action>` like the services."""

import logging

from celery import shared_task
from celery.exceptions import Retry

from claims.ingest.fetch import FetchRefused
from reviews import services, webhooks

logger = logging.getLogger(__name__)

WEBHOOK_MAX_RETRIES = 5
WEBHOOK_FIRST_DELAY_SECONDS = 30


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=WEBHOOK_MAX_RETRIES)
def webhook_deliver(self, url: str, payload: dict) -> Retry | None:
    """Posts one event, retrying with exponential backoff; gives up with a log line, never raises."""
    try:
        webhooks.post_json(url, payload)
    except FetchRefused as error:
        logger.error("Webhook %s refused: %s", url, error)
    except webhooks.DeliveryFailed as error:
        if self.request.retries >= self.max_retries:
            logger.error("Webhook gave up after %s tries: %s", self.request.retries + 1, error)
            return None
        delay = WEBHOOK_FIRST_DELAY_SECONDS * 2**self.request.retries
        logger.warning("Webhook failed (%s); retrying in %ss", error, delay)
        # Without throwing, the eager (in-process) mode runs the retry at once instead of raising.
        return self.retry(countdown=delay, throw=False)
    return None


@shared_task(acks_late=True, ignore_result=True)
def reviews_release_expired_locks() -> None:
    services.reviews_release_expired_locks()


@shared_task(acks_late=True, ignore_result=True)
def reviews_refresh_recency() -> None:
    services.reviews_refresh_recency()


# The name before the <entity>_<action> rename: a delivery queued under it is handed on.


@shared_task(name="reviews.tasks.deliver_webhook", ignore_result=True)
def _deliver_webhook_old_name(url: str, payload: dict) -> None:
    webhook_deliver.delay(url, payload)
