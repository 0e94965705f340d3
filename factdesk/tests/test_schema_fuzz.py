"""Schemathesis against /api/schema/ with a reviewer's and an editor's token, bounded examples:
no 5xx, and every answer (status, content type, body) matches the schema."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from claims.tests.factories import ClaimFactory
from conftest import client_for, make_user
from reviews.services import reviews_enqueue_claims

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("FACTDESK_FUZZ_EXAMPLES", "30"))


@pytest.fixture
def keep_the_test_connection():
    """The WSGI app is called directly, not through Django's test client: like the test client,
    stop Django closing the test's database connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_keeps_to_its_schema(keep_the_test_connection):
    reviews_enqueue_claims(claims=[ClaimFactory(score=0.9) for _ in range(3)])
    tokens = [
        client_for(make_user(name, group))._credentials["HTTP_AUTHORIZATION"]
        for name, group in (("fuzz-reviewer", "reviewer"), ("fuzz-editor", "editor"))
    ]
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            for token in tokens:
                # Schema-valid ids of objects that do not exist are rightly 400/404: not checked.
                case.call_and_validate(
                    headers={"Authorization": token}, excluded_checks=[positive_data_acceptance]
                )

        try:
            check()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - all failures told
            failures.append(f"{operation.label}: {str(error)[:1500]}")

    assert not failures, "\n\n".join(failures)
