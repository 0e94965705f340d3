"""Webhook events of the desk and a safe way to post them.

`post_json` refuses anything but http(s) to a public address (hosts named in
FACTDESK_FETCH_ALLOW_HOSTS excepted), connects to the address it checked, and never follows
redirects. After the ingestion branch lands, it should share the checks of claims/ingest/fetch.py.
"""

import http.client
import ipaddress
import json
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from reviews.models import Review

WEBHOOK_TIMEOUT_SECONDS = 5
USER_AGENT = "FactDesk-Webhook/1.0"


class UnsafeUrl(ValueError):
    """The URL is not one FactDesk will post to; the message says why."""


class DeliveryFailed(Exception):
    """The receiver could not be reached or did not answer 2xx."""


@dataclass(frozen=True)
class SafeTarget:
    scheme: str
    host: str
    address: str
    port: int
    path: str


def webhooks_announce(*, review: Review, event: str, actor: AbstractBaseUser) -> None:
    """Queues one delivery per configured webhook, after the transaction commits."""
    from reviews.tasks import deliver_webhook

    urls = list(settings.FACTDESK_WEBHOOK_URLS)
    if not urls:
        return
    payload = review_event_payload(review=review, event=event, actor=actor)
    for url in urls:
        transaction.on_commit(lambda url=url: deliver_webhook.delay(url, payload))


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


def safe_target(url: str) -> SafeTarget:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl(f"Only http and https URLs are allowed, not {parts.scheme or 'none'!r}.")
    if not parts.hostname:
        raise UnsafeUrl("The URL has no host.")
    if parts.username or parts.password:
        raise UnsafeUrl("URLs with credentials are not allowed.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise UnsafeUrl(f"Cannot resolve {parts.hostname}: {error}") from error
    allowed_anywhere = parts.hostname.lower() in {
        host.lower() for host in settings.FACTDESK_FETCH_ALLOW_HOSTS
    }
    addresses = [info[4][0] for info in infos]
    if not allowed_anywhere:
        for address in addresses:
            if not ipaddress.ip_address(address).is_global:
                raise UnsafeUrl(
                    f"{parts.hostname} resolves to {address}, which is not a public address."
                )
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    return SafeTarget(parts.scheme, parts.hostname, addresses[0], port, path)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the checked address while verifying the certificate of the host name."""

    def __init__(self, target: SafeTarget, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)


def post_json(url: str, payload: dict, *, timeout: float = WEBHOOK_TIMEOUT_SECONDS) -> int:
    """POSTs JSON to a vetted URL; returns the status, raises DeliveryFailed unless it is 2xx."""
    target = safe_target(url)
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, timeout)
    else:
        connection = http.client.HTTPConnection(target.address, target.port, timeout=timeout)
    body = json.dumps(payload).encode("utf-8")
    host_header = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                "Host": host_header,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
        )
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryFailed(f"{url}: {error}") from error
    finally:
        connection.close()
    if not 200 <= status < 300:
        raise DeliveryFailed(f"{url} answered {status}")
    return status
