import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reviews import services, webhooks
from reviews.models import Review

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server on loopback that records the events posted to it."""

    def __init__(self, failures: int = 0) -> None:
        self.events: list[dict] = []
        self.attempts = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver.attempts += 1
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.attempts <= failures:
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

    def start(failures: int = 0) -> Receiver:
        made.append(Receiver(failures))
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


def test_loopback_and_non_http_targets_are_refused(settings):
    settings.FACTDESK_FETCH_ALLOW_HOSTS = []
    with pytest.raises(webhooks.UnsafeUrl, match="not a public address"):
        webhooks.safe_target("http://127.0.0.1:9/hook")
    with pytest.raises(webhooks.UnsafeUrl, match="not a public address"):
        webhooks.safe_target("http://[::1]/hook")
    with pytest.raises(webhooks.UnsafeUrl, match="not a public address"):
        webhooks.safe_target("http://169.254.169.254/latest/meta-data")
    with pytest.raises(webhooks.UnsafeUrl, match="Only http and https"):
        webhooks.safe_target("file:///etc/passwd")
    with pytest.raises(webhooks.UnsafeUrl, match="credentials"):
        webhooks.safe_target("https://user:pw@hooks.example/")
