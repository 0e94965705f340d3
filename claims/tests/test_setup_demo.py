import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def login_request():
    """django-axes counts failures per address, so authenticating needs the request."""
    return RequestFactory().post("/admin/login/")


@pytest.fixture
def isolated_base_dir(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    return tmp_path


def test_demo_accounts_are_created_once_with_their_groups(isolated_base_dir, monkeypatch):
    monkeypatch.delenv("FACTDESK_DEMO_PASSWORD", raising=False)
    call_command("setup_demo")
    first = (isolated_base_dir / "var" / "demo-credentials.txt").read_text()
    call_command("setup_demo")

    assert (isolated_base_dir / "var" / "demo-credentials.txt").read_text() == first
    assert User.objects.count() == 3
    passwords = dict(line.split(" ", 1) for line in first.splitlines())
    assert authenticate(login_request(), username="reviewer", password=passwords["reviewer"])
    assert list(User.objects.get(username="editor").groups.values_list("name", flat=True)) == [
        "editor"
    ]
    assert User.objects.get(username="admin").is_superuser


def test_the_demo_password_can_come_from_the_environment(isolated_base_dir, monkeypatch):
    monkeypatch.setenv("FACTDESK_DEMO_PASSWORD", "harbour-lights-2026")
    call_command("setup_demo")

    assert authenticate(login_request(), username="editor", password="harbour-lights-2026")
