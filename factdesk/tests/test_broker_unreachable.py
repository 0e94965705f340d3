"""With the broker unreachable, a posted document or URL is stored and answered 201/202 at once;
the sweep enqueues its work when the broker is back."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time

from django.conf import settings

SETUP = """
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user = User.objects.create_user("client")
user.groups.add(Group.objects.get(name="reviewer"))
print(Token.objects.create(user=user).key)
"""
# The broker is back (here: tasks in-process) and a sweep runs past the pending period.
SWEEP_LATER = """
from datetime import timedelta
from django.utils import timezone
from claims import ingestion
from claims.models import Document, DocumentFetch
long_ago = timezone.now() - timedelta(minutes=5)
Document.objects.update(updated_at=long_ago)
DocumentFetch.objects.update(updated_at=long_ago)
swept = ingestion.ingestion_sweep()
print(swept.extractions, swept.fetches, *Document.objects.values_list("extraction_status", flat=True))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(port: int, token: str, body: dict) -> tuple[int, str, dict, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "POST",
        "/api/v1/documents/",
        body=json.dumps(body),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return (
        response.status,
        response.getheader("Content-Type", ""),
        json.loads(data),
        time.monotonic() - started,
    )


def test_documents_are_stored_and_answered_with_the_broker_down(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "REDIS_URL": f"redis://127.0.0.1:{_free_port()}/0",
        "FACTDESK_FETCH_ALLOW_HOSTS": "127.0.0.1",
    }
    env.pop("CELERY_BROKER_URL", None)
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    token = subprocess.run(
        [*manage, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    port = _free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "no runserver"
                time.sleep(0.2)
        text = _post(
            port, token, {"title": "Water", "text": "The board said 3,400 homes lost water."}
        )
        url = _post(port, token, {"url": "http://127.0.0.1:9/water-story"})
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()

    assert text[0] == 201 and "json" in text[1], text
    assert text[2]["extraction_status"] == "pending"
    assert text[3] < 10
    assert url[0] == 202 and url[2]["status"] == "pending", url
    assert "the sweep will retry" in (tmp_path / "server.log").read_text()

    env.pop("REDIS_URL")
    later = subprocess.run(
        [*manage, "shell", "-c", SWEEP_LATER], env=env, check=True, capture_output=True, text=True
    ).stdout.splitlines()[-1]
    assert later.split() == ["1", "1", "extracted"]


def test_every_kind_of_broker_failure_on_publish_leaves_the_caller_unharmed(monkeypatch, caplog):
    import pytest
    from celery.contrib.django.task import DjangoTask
    from kombu.exceptions import OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    from claims.tasks import document_extract

    for failure in (
        OperationalError("Error 111 connecting"),
        RedisConnectionError("Connection closed by server."),
        RedisTimeoutError("Timeout reading from socket"),
        ConnectionResetError(104, "Connection reset by peer"),
        BrokenPipeError(32, "Broken pipe"),
    ):

        def publish(*args, error=failure, **kwargs):
            raise error

        monkeypatch.setattr(DjangoTask, "apply_async", publish)
        assert document_extract.apply_async(args=(7,)) is None
        assert "the sweep will retry" in caplog.text
    # A mistake in the call itself is not the broker's: it still fails loudly.
    monkeypatch.setattr(
        DjangoTask, "apply_async", lambda *a, **k: (_ for _ in ()).throw(TypeError("bad"))
    )
    with pytest.raises(TypeError):
        document_extract.apply_async(args=(7,))


def test_with_no_broker_tasks_run_in_process_without_broker_warnings(tmp_path):
    from factdesk.tests.drillkit import MANAGE, brokerless_sqlite_desk

    env = brokerless_sqlite_desk(tmp_path)
    (tmp_path / "article.txt").write_text(
        "Title: Harbour dues\n\nThe port authority said on Monday that harbour dues rose by "
        "12 percent this year, the largest rise in a decade.\n"
    )
    ingested = subprocess.run(
        [*MANAGE, "ingest", str(tmp_path / "article.txt")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "1 new" in ingested.stdout
    assert "No hostname was supplied" not in ingested.stderr + ingested.stdout
