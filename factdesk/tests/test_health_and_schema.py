import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_broker(settings, monkeypatch):
    """The health check sees a broker on a closed port; the app's own configuration and
    connection pool are left alone (a later test's real worker uses them)."""
    from factdesk.celery import app

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    connect = app.connection_for_write
    monkeypatch.setattr(
        app, "connection_for_write", lambda *a, **k: connect("redis://127.0.0.1:1/0")
    )


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_healthz_says_when_the_broker_is_unreachable(client, dead_broker):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/documents/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_healthz_tells_anonymous_callers_ok_or_degraded_and_staff_the_reasons(
    client, dead_broker, django_user_model
):
    anonymous = client.get("/healthz")
    client.force_login(django_user_model.objects.create_user("ops", is_staff=True))
    staff = client.get("/healthz")

    assert anonymous.status_code == staff.status_code == 503
    assert anonymous.json() == {
        "status": "degraded",
        "database": {"ok": True, "status": "ok"},
        "broker": {"ok": False, "status": "degraded"},
    }
    assert b"127.0.0.1" not in anonymous.content
    assert "127.0.0.1" in staff.json()["broker"]["detail"]
    assert staff.json()["database"]["detail"] == connection.vendor
