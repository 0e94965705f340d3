import pytest
from django.core.management import call_command
from django.test import Client

from reviews.models import Review
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_one_verdict_once(monkeypatch, tmp_path, settings):
    settings.BASE_DIR = tmp_path
    monkeypatch.setenv("FACTDESK_DEMO_PASSWORD", "demo-pass-12345")
    call_command("setup_demo")
    ReviewFactory.create_batch(2)

    call_command("demo_verdict")
    call_command("demo_verdict")

    published = Review.objects.get(state=Review.State.PUBLISHED)
    assert published.submitted_by.username == "reviewer"
    assert published.approved_by.username == "editor"
    assert Client().get(f"/fact-checks/{published.pk}").status_code == 200
