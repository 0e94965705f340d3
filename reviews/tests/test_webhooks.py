import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claims.ingest.fetch import FetchRefused
from reviews import services, webhooks
from reviews.models import Review

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server on loopback that records the events posted to it."""

    def __init__(self, failures: int = 0, redirect_to: str = "") -> None:
        self.events: list[dict] = []
        self.attempts = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver.attempts += 1
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if redirect_to:
                    self.send_response(307)
                    self.send_header("Location", redirect_to)
                elif receiver.attempts <= failures:
                    self.send_response(503)
                else:
                    receiver.events.append(json.loads(body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/factdesk"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.FACTDESK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    made: list[Receiver] = []

    def start(failures: int = 0, redirect_to: str = "") -> Receiver:
        made.append(Receiver(failures, redirect_to))
        settings.FACTDESK_WEBHOOK_URLS = [made[-1].url]
        return made[-1]

    yield start
    for server in made:
        server.close()


@pytest.fixture
def no_backoff(monkeypatch):
    monkeypatch.setattr("reviews.tasks.WEBHOOK_FIRST_DELAY_SECONDS", 0)


def test_publishing_posts_an_event_after_commit(
    receiver, approved_review, editor, django_capture_on_commit_callbacks
):
    hook = receiver()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_publish(
            review_id=approved_review.pk, actor=editor, version=approved_review.version
        )

    [event] = hook.events
    assert event["event"] == "review.published"
    assert event["actor"] == "edna"
    assert event["review"]["id"] == approved_review.pk
    assert event["review"]["state"] == "published"


def test_returning_posts_an_event_and_a_failing_receiver_is_retried(
    receiver, submitted_review, editor, no_backoff, django_capture_on_commit_callbacks
):
    hook = receiver(failures=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_return(
            review_id=submitted_review.pk,
            actor=editor,
            version=submitted_review.version,
            comment="Needs a source.",
        )

    assert hook.attempts == 3
    assert [event["event"] for event in hook.events] == ["review.returned"]


def test_a_dead_receiver_never_blocks_the_desk(
    receiver, approved_review, editor, no_backoff, django_capture_on_commit_callbacks, caplog
):
    hook = receiver(failures=100)
    with django_capture_on_commit_callbacks(execute=True):
        published = services.review_publish(
            review_id=approved_review.pk, actor=editor, version=approved_review.version
        )

    assert hook.attempts == 6
    assert "gave up after 6 tries" in caplog.text
    assert Review.objects.get(pk=published.pk).state == Review.State.PUBLISHED


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/hook", "a loopback address"),
        ("http://[::1]/hook", "a loopback address"),
        ("http://10.1.2.3/hook", "a private address"),
        ("http://169.254.169.254/latest/meta-data", "a link-local address"),
        ("http://224.0.0.1/hook", "a multicast address"),
        ("file:///etc/passwd", "only http and https"),
        ("https://user:pw@hooks.example/", "credentials"),
    ],
)
def test_targets_the_fetcher_refuses_are_refused(settings, url, reason):
    settings.FACTDESK_FETCH_ALLOW_HOSTS = []
    with pytest.raises(FetchRefused, match=reason):
        webhooks.post_json(url, {"event": "test"})


def test_a_loopback_receiver_not_in_the_allow_list_gets_nothing(
    receiver, settings, approved_review, editor, django_capture_on_commit_callbacks, caplog
):
    hook = receiver()
    settings.FACTDESK_FETCH_ALLOW_HOSTS = []
    with django_capture_on_commit_callbacks(execute=True):
        services.review_publish(
            review_id=approved_review.pk, actor=editor, version=approved_review.version
        )

    assert hook.attempts == 0
    assert "refused" in caplog.text and "a loopback address" in caplog.text


def test_a_redirect_is_not_followed(receiver):
    hook = receiver(redirect_to="http://169.254.169.254/latest/meta-data")
    with pytest.raises(webhooks.DeliveryFailed, match="answered 307"):
        webhooks.post_json(hook.url, {"event": "test"})
    assert hook.attempts == 1 and hook.events == []
