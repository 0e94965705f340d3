"""Every periodic task the docs promise is in the one beat schedule, with the period they give,
and the schedule holds nothing the docs do not list."""

import re
from pathlib import Path

from django.conf import settings

from factdesk.celery import app as celery_app

DOCS = Path(__file__).resolve().parents[2] / "docs"
PROMISING = ["review-desk.md", "ingestion.md"]
# | `reviews.tasks.x` | 15 minutes |   or   | `claims.tasks.y` | `SOME_SETTING` (60) seconds |
ROW = re.compile(
    r"^\|\s*`(?P<task>\w+\.tasks\.\w+)`\s*\|\s*(?:`(?P<setting>[A-Z_]+)`\s*\((?P<default>\d+)\)"
    r"|(?P<minutes>\d+))\s*(?P<unit>minutes?|seconds?)\s*\|",
    re.MULTILINE,
)


def promised() -> dict[str, float]:
    periods = {}
    for name in PROMISING:
        for row in ROW.finditer((DOCS / name).read_text(encoding="utf-8")):
            count = getattr(settings, row["setting"]) if row["setting"] else int(row["minutes"])
            periods[row["task"]] = (1.0 if row["unit"].startswith("second") else 60.0) * count
    return periods


def scheduled() -> dict[str, float]:
    return {
        entry["task"]: float(entry["schedule"]) for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_the_docs_promise_the_four_periodic_tasks():
    assert set(promised()) == {
        "reviews.tasks.reviews_release_expired_locks",
        "reviews.tasks.reviews_refresh_recency",
        "claims.tasks.ingestion_sweep",
        "alerts.tasks.alerts_send_digests",
    }


def test_every_promised_task_is_scheduled_with_its_period():
    assert scheduled() == promised()


def test_every_scheduled_task_exists():
    celery_app.loader.import_default_modules()
    for task in scheduled():
        assert task in celery_app.tasks, task
