"""However many clients post one URL at once, it is fetched once."""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction

from claims import ingestion
from claims.models import DocumentFetch

URL = "http://127.0.0.1:9/article?id=7&utm_source=feed"
SAME_URL_OTHER_FORMS = [
    URL,
    "http://127.0.0.1:9/article?id=7",
    "http://127.0.0.1:9/article?id=7#top",
]


@pytest.mark.django_db
def test_the_database_refuses_a_second_fetch_in_progress_of_one_url():
    DocumentFetch.objects.create(url=URL, canonical_url="http://127.0.0.1:9/article?id=7")

    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFetch.objects.create(
            url=URL, canonical_url="http://127.0.0.1:9/article?id=7", status="fetching"
        )
    # Finished fetches do not count: the URL can be fetched again later.
    DocumentFetch.objects.update(status=DocumentFetch.Status.FAILED)
    DocumentFetch.objects.create(url=URL, canonical_url="http://127.0.0.1:9/article?id=7")
    assert DocumentFetch.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
def test_twelve_threads_posting_one_url_make_one_fetch(
    django_db_serialized_rollback, transactional_db, settings, monkeypatch
):
    # Serialized rollback like every other transactional test here: a plain flush would re-create
    # the content types that the next serialized test then restores a second time.
    settings.FACTDESK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    enqueued: list[int] = []
    monkeypatch.setattr(ingestion, "_fetch_enqueue", lambda *, fetch_id: enqueued.append(fetch_id))
    barrier = threading.Barrier(12)
    answers: list[int | Exception] = []

    def post(index: int) -> None:
        try:
            barrier.wait()
            url = SAME_URL_OTHER_FORMS[index % len(SAME_URL_OTHER_FORMS)]
            answers.append(ingestion.document_fetch_request(url=url).fetch.pk)
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            answers.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert DocumentFetch.objects.count() == 1
    only = DocumentFetch.objects.get()
    assert answers == [only.pk] * 12
    assert enqueued == [only.pk]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SETUP = """
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user = User.objects.create_user("client")
user.groups.add(Group.objects.get(name="reviewer"))
print(Token.objects.create(user=user).key)
"""
COUNT = "from claims.models import DocumentFetch; print(DocumentFetch.objects.count())"


def test_ten_clients_posting_one_url_to_runserver_on_sqlite_make_one_fetch(tmp_path, site):
    """The embedded default: runserver's threads on SQLite, tasks in-process."""
    url = site.page("/slow", "<html><body><p>never answered</p></body></html>", hang=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "FACTDESK_FETCH_ALLOW_HOSTS": "127.0.0.1",
        "FACTDESK_FETCH_TIMEOUT": "3",
    }
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    token = subprocess.run(
        [*manage, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "server.log", "w"),  # noqa: SIM115
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

        def post(_: int) -> int:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request(
                "POST",
                "/api/v1/documents/",
                body=json.dumps({"url": url}),
                headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
            )
            status = conn.getresponse().status
            conn.close()
            return status

        with ThreadPoolExecutor(10) as pool:
            statuses = list(pool.map(post, range(10)))
    finally:
        server.terminate()
        server.wait(timeout=10)
    count = subprocess.run(
        [*manage, "shell", "-c", COUNT], env=env, check=True, capture_output=True, text=True
    ).stdout.split()[-1]

    assert set(statuses) <= {202}, statuses
    assert count == "1"
    assert site.requests.count("/slow") == 1
