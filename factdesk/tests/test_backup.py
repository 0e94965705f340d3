"""`manage.py backup` then `restore` gives back exactly what there was: every row of every table
(compared as `dumpdata` of the whole database), on the embedded SQLite and on PostgreSQL."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from factdesk.tests import drillkit

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]

FILL = """
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from claims.models import Claim
from claims.services import document_ingest
from reviews.services import review_claim_next, reviews_enqueue_claims
reviewer = User.objects.create_user("rita", password="pw-rita-12345")
reviewer.groups.add(Group.objects.get(name="reviewer"))
Token.objects.create(user=reviewer)
for n in range(3):
    document = document_ingest(
        title=f"Ferries {n}", extract=False,
        text=f"The ferry company said {48000 + n} passengers crossed in July. Ünïcødé ✓ {n}",
    ).document
    claims = [
        Claim.objects.create(
            document=document, text=document.text[:40], start=0, end=40, score=0.9,
            speaker="the ferry company", entities=[{"text": "July"}], figures=[{"value": 48000}],
        )
    ]
    reviews_enqueue_claims(claims=claims)
review_claim_next(actor=reviewer)
"""
SPOIL = """
from django.contrib.auth.models import User
from claims.models import Document
Document.objects.all().delete()
User.objects.create_user("intruder")
"""


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run([*MANAGE, *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _round_trip(env: dict, backup_path) -> None:
    _manage(env, "shell", "-c", FILL)
    before = json.loads(_manage(env, "dumpdata", "--indent", "0"))
    assert any(row["model"] == "claims.claim" for row in before)
    assert any(row["model"] == "reviews.review" for row in before)

    made = json.loads(_manage(env, "backup", str(backup_path)).splitlines()[-1])
    _manage(env, "shell", "-c", SPOIL)
    restored = json.loads(_manage(env, "restore", "--yes", str(backup_path)).splitlines()[-1])
    after = json.loads(_manage(env, "dumpdata", "--indent", "0"))

    assert made["bytes"] > 0 and made["rows"]["claims_document"] == 3
    assert restored["rows"] == made["rows"]
    assert after == before


def test_sqlite_backup_and_restore_lose_nothing(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite3'}",
        "DJANGO_DEBUG": "1",
    }
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    _manage(env, "migrate", "-v0")

    _round_trip(env, tmp_path / "backups" / "desk.sqlite3")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgresql_backup_and_restore_lose_nothing(tmp_path):
    cluster = drillkit.PostgresCluster()
    cluster.init()
    cluster.start()
    try:
        cluster.create_database()
        cluster.load_from(drillkit.shared_database_url())
        env = {**os.environ, "DATABASE_URL": cluster.url, "DJANGO_DEBUG": "1"}
        env.pop("REDIS_URL", None)
        env.pop("CELERY_BROKER_URL", None)

        _round_trip(env, tmp_path / "desk.pgdump")
    finally:
        cluster.stop()
        cluster.remove()
