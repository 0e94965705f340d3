"""Webhook events of the desk, posted under the address rules of ingestion's fetcher.

`post_json` refuses what `claims.ingest.fetch` refuses (anything but http(s) to a public
address, hosts named in FACTDESK_FETCH_ALLOW_HOSTS excepted), connects to the address it
checked, and never follows redirects.
"""

import json
from dataclasses import replace

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from claims.ingest.fetch import FetchFailed, post
from claims.ingestion import fetch_policy
from reviews.models import Review

WEBHOOK_TIMEOUT_SECONDS = 5
USER_AGENT = "FactDesk-Webhook/1.0"


class DeliveryFailed(Exception):
    """The receiver could not be reached or did not answer 2xx."""


def webhooks_announce(*, review: Review, event: str, actor: AbstractBaseUser) -> None:
    """Queues one delivery per configured webhook, after the transaction commits."""
    from reviews.tasks import webhook_deliver

    urls = list(settings.FACTDESK_WEBHOOK_URLS)
    if not urls:
        return
    payload = review_event_payload(review=review, event=event, actor=actor)
    for url in urls:
        webhook_deliver.delay_on_commit(url, payload)


def review_event_payload(*, review: Review, event: str, actor: AbstractBaseUser) -> dict:
    return {
        "event": event,
        "review": {
            "id": review.pk,
            "state": review.state,
            "version": review.version,
            "claim": review.claim_id,
            "claim_text": review.claim.text,
            "rating": review.rating.name if review.rating_id else None,
            "summary": review.summary,
            "editor_comment": review.editor_comment,
            "url": settings.FACTDESK_PUBLIC_URL_TEMPLATE.format(id=review.pk),
        },
        "actor": actor.get_username(),
    }


def post_json(url: str, payload: dict) -> int:
    """POSTs JSON to `url`; returns the 2xx status. Raises `FetchRefused` for an address the
    desk must not contact, `DeliveryFailed` when the receiver fails or answers otherwise."""
    policy = replace(
        fetch_policy(),
        connect_timeout=WEBHOOK_TIMEOUT_SECONDS,
        total_timeout=WEBHOOK_TIMEOUT_SECONDS,
    )
    try:
        status = post(
            url,
            body=json.dumps(payload).encode("utf-8"),
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
            policy=policy,
        )
    except FetchFailed as error:
        raise DeliveryFailed(str(error)) from error
    if not 200 <= status < 300:
        raise DeliveryFailed(f"{url} answered {status}")
    return status
