"""16 reviewers call claim-next at once on runserver with the embedded SQLite database."""

import http.client
import json
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from factdesk.tests.drillkit import MANAGE, brokerless_sqlite_desk, free_port

SETUP = """
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from claims.tests.factories import ClaimFactory
from reviews.services import reviews_enqueue_claims
reviewers = Group.objects.get(name="reviewer")
for i in range(16):
    user = User.objects.create_user(f"reviewer{i}")
    user.groups.add(reviewers)
    print(Token.objects.create(user=user).key)
reviews_enqueue_claims(claims=[ClaimFactory(score=0.9) for _ in range(10)])
"""


@pytest.fixture
def sqlite_server(tmp_path):
    env = brokerless_sqlite_desk(tmp_path)
    made = subprocess.run(
        [*MANAGE, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True
    )
    tokens = made.stdout.split()[-16:]
    port = free_port()
    server = subprocess.Popen(
        [*MANAGE, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("runserver did not start") from None
                time.sleep(0.2)
        yield port, tokens
    finally:
        server.terminate()
        server.wait(timeout=10)


def claim_next(port: int, token: str) -> tuple[int, dict | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(
        "POST", "/api/v1/queue/claim-next/", headers={"Authorization": f"Token {token}"}
    )
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, json.loads(body) if response.status == 200 else None


def test_sixteen_concurrent_claim_next_calls_on_sqlite(sqlite_server):
    port, tokens = sqlite_server
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda token: claim_next(port, token), tokens))

    statuses = sorted(status for status, _ in answers)
    taken = [body["id"] for status, body in answers if status == 200]
    assert statuses == [200] * 10 + [204] * 6
    assert len(set(taken)) == 10
