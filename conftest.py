import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from factdesk.celery import app as celery_app


@pytest.fixture(autouse=True)
def tasks_run_in_process(request):
    """Tasks run in-process unless a test asks for the real broker and worker."""
    if request.node.get_closest_marker("broker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def match_index_in_tmp(settings, tmp_path):
    """The fact-check archive's index file goes to the test's own directory, never to var/."""
    from matching import vectors

    settings.FACTDESK_MATCH_INDEX_PATH = str(tmp_path / "factchecks.index")
    vectors.forget_loaded_index()


# Browser tests drive Debian's Chromium through Playwright (never `playwright install`).
CHROMIUM = Path(os.environ.get("FACTDESK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def make_user(username: str, *groups: str) -> User:
    user = User.objects.create_user(username=username, password=f"pw-{username}-12345")
    # get_or_create: a transactional test before this one may have flushed the migrated groups.
    user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in groups))
    return user


def client_for(user: User) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def reviewer(db) -> User:
    return make_user("rita", "reviewer")


@pytest.fixture
def second_reviewer(db) -> User:
    return make_user("ravi", "reviewer")


@pytest.fixture
def editor(db) -> User:
    return make_user("edna", "editor")


@pytest.fixture
def reviewer_client(reviewer) -> APIClient:
    return client_for(reviewer)


@pytest.fixture
def editor_client(editor) -> APIClient:
    return client_for(editor)


@pytest.fixture
def admin_client_logged_in(client):
    admin = User.objects.create_superuser("boss", "boss@factdesk.example", "pw-boss-12345")
    client.force_login(admin)
    return client


@pytest.fixture
def anonymous_client() -> APIClient:
    return APIClient()


SAMPLE_ARTICLE = (
    "Harbour officials said on Tuesday that 12,400 containers passed through the port in October, "
    "up 8 percent on a year earlier.\n\n"
    '"We expect the second crane to double capacity by 2028," said harbour master Lena Okafor.\n\n'
    "The weather was mild for most of the month.\n\n"
    "According to the Shipping Institute, the October figure was closer to 11,000 containers."
)


@pytest.fixture
def sample_article() -> str:
    return SAMPLE_ARTICLE
