import json
from datetime import timedelta

import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from claims import ingestion
from claims.models import Document, IngestionRun, Source
from claims.tasks import source_poll
from factdesk.celery import app as celery_app

pytestmark = pytest.mark.django_db

PARAGRAPHS = {
    "ferry": (
        "The island ferry operator said on Monday that return fares would rise by 20 percent "
        "from April, the largest increase since the route opened in 1998. Chief executive "
        "Tomas Reyes said fuel now cost twice what it did three years ago and that the company "
        "had carried 410,000 passengers last year. Councillors said the figure was closer to "
        "380,000 and asked the regulator to review the increase before it takes effect."
    ),
    "school": (
        "The number of pupils at the valley's only secondary school fell to 312 this autumn, "
        "down from 355 two years ago, according to figures published by the education board "
        "on Thursday. The head teacher, Alma Ostrova, said rising rents had pushed young "
        "families out of the villages and warned that two teaching posts could go next year "
        "unless the county council changed the funding formula for small rural schools."
    ),
}


def page(title: str, body: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><nav>Home | News | Sport</nav>"
        f"<article><h1>{title}</h1><p>{body}</p></article>"
        "<footer>Related: Ten best walks | Subscribe to our newsletter</footer></body></html>"
    )


def rss(site, *links: str, broken_item: bool = False) -> bytes:
    items = "".join(
        f"<item><title>{link}</title><link>{site.url('/' + link)}</link></item>" for link in links
    )
    if broken_item:
        items += "<item><title>An item with neither link nor content</title></item>"
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Gazette</title>'
        f"{items}</channel></rss>"
    ).encode()


@pytest.fixture
def allow_loopback(settings):
    settings.FACTDESK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.FACTDESK_FETCH_TIMEOUT = 1.0


@pytest.fixture
def gazette(site, allow_loopback):
    for name, body in PARAGRAPHS.items():
        site.page(f"/{name}", page(name.title(), body))
    site.page("/feed.xml", rss(site, "ferry", "school"), content_type="application/rss+xml")
    return ingestion.source_create(name="Valley Gazette", url=site.url("/feed.xml"))


def test_polling_a_feed_stores_its_articles_and_records_the_run(gazette, site) -> None:
    run = ingestion.source_poll(source_id=gazette.pk)

    assert (run.status, run.fetched, run.new, run.duplicate, run.failed) == (
        IngestionRun.Status.SUCCEEDED,
        2,
        2,
        0,
        0,
    )
    assert run.finished_at is not None
    ferry = Document.objects.get(url=site.url("/ferry"))
    assert ferry.source == gazette
    assert ferry.outlet == "Valley Gazette"
    assert ferry.text.startswith("The island ferry operator said on Monday")
    assert "Subscribe" not in ferry.text and "Home | News" not in ferry.text
    assert "<nav>" in ferry.raw_html
    gazette.refresh_from_db()
    assert gazette.last_polled_at == run.finished_at


def test_polling_twice_creates_nothing_new_and_fetches_only_the_feed(gazette, site) -> None:
    ingestion.source_poll(source_id=gazette.pk)
    site.requests.clear()

    second = ingestion.source_poll(source_id=gazette.pk)

    assert (second.new, second.duplicate, second.failed) == (0, 2, 0)
    assert Document.objects.count() == 2
    assert site.requests == ["/feed.xml"]


def test_a_broken_item_and_a_missing_page_fail_alone(gazette, site) -> None:
    site.page(
        "/feed.xml", rss(site, "ferry", "gone", "school", broken_item=True), "application/rss+xml"
    )

    run = ingestion.source_poll(source_id=gazette.pk)

    assert run.status == IngestionRun.Status.PARTIAL
    assert (run.new, run.failed) == (2, 2)
    reasons = {error["reason"] for error in run.errors}
    assert "no link and no content" in " ".join(reasons)
    assert "HTTP 404 Not Found" in reasons


@pytest.mark.parametrize(
    ("body", "options", "reason"),
    [
        (b"", {"status": 500}, "HTTP 500"),
        (b"", {"hang": True}, "timed out"),
        (b"x", {"content_type": "image/png"}, "unsupported content type image/png"),
        (b"<rss><channel", {}, "malformed feed"),
    ],
)
def test_a_failing_feed_is_recorded_on_the_run(gazette, site, body, options, reason) -> None:
    site.page("/feed.xml", body, **{"content_type": "text/xml", **options})

    run = ingestion.source_poll(source_id=gazette.pk)

    assert run.status == IngestionRun.Status.FAILED
    assert run.failed == 1
    assert reason in run.errors[0]["reason"]
    assert PeriodicTask.objects.get(pk=gazette.poll_task_id).enabled


def test_a_feed_on_an_internal_address_is_refused_unless_allowed(site) -> None:
    site.page("/feed.xml", b"<rss/>", content_type="application/rss+xml")
    source = ingestion.source_create(name="Intranet", url=site.url("/feed.xml"))

    run = ingestion.source_poll(source_id=source.pk)

    assert run.status == IngestionRun.Status.FAILED
    assert "loopback address" in run.errors[0]["reason"]
    assert site.requests == []


def test_a_feed_of_ten_thousand_items_is_read_up_to_the_limit(gazette, site, settings) -> None:
    settings.FACTDESK_FEED_MAX_ITEMS = 3
    items = "".join(
        f"<item><title>{i}</title><link>{site.url(f'/missing/{i}')}</link></item>"
        for i in range(10_000)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'
    site.page("/feed.xml", feed.encode(), content_type="application/rss+xml")

    run = ingestion.source_poll(source_id=gazette.pk)

    assert run.fetched == 3
    assert "the feed has 10,000 items; the first 3 were read" in run.errors[0]["reason"]


def test_saving_a_feed_source_keeps_its_beat_schedule_in_step(allow_loopback) -> None:
    source = ingestion.source_create(
        name="Harbour Times", url="https://harbour.example/rss", poll_interval_minutes=20
    )
    task = PeriodicTask.objects.get(pk=source.poll_task_id)
    assert (task.task, json.loads(task.args), task.interval.every, task.enabled) == (
        "claims.tasks.source_poll",
        [source.pk],
        20,
        True,
    )

    source.poll_interval_minutes = 45
    source.active = False
    ingestion.source_save(source=source)

    task.refresh_from_db()
    assert (task.interval.every, task.enabled) == (45, False)
    assert PeriodicTask.objects.filter(task="claims.tasks.source_poll").count() == 1

    ingestion.source_delete(source=source)
    assert not PeriodicTask.objects.filter(task="claims.tasks.source_poll").exists()


def test_a_manual_source_gets_no_schedule() -> None:
    source = ingestion.source_create(name="Desk uploads", url="", kind=Source.Kind.MANUAL)

    assert source.poll_task is None


def test_the_beat_task_polls_the_source(gazette) -> None:
    task = PeriodicTask.objects.get(pk=gazette.poll_task_id)

    source_poll.delay(*json.loads(task.args))

    assert IngestionRun.objects.get(source=gazette).new == 2


def test_a_tls_failure_is_recorded_on_the_run(site, allow_loopback) -> None:
    site.page("/feed.xml", b"<rss/>", content_type="application/rss+xml")
    source = ingestion.source_create(name="Secure", url=f"https://127.0.0.1:{site.port}/feed.xml")

    run = ingestion.source_poll(source_id=source.pk)

    assert run.status == IngestionRun.Status.FAILED
    assert run.errors[0]["reason"].startswith("TLS error")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_beat_reads_the_poll_and_sweep_schedules_from_the_database() -> None:
    """The scheduler closes database connections as it goes, so no test transaction here."""
    source = ingestion.source_create(
        name="Harbour Times", url="https://harbour.example/rss", poll_interval_minutes=20
    )

    scheduler = DatabaseScheduler(app=celery_app)
    entries = {entry.task: entry for entry in scheduler.all_as_schedule().values()}

    poll = entries["claims.tasks.source_poll"]
    assert (poll.args, poll.schedule.run_every) == ([source.pk], timedelta(minutes=20))
    sweep = entries["claims.tasks.ingestion_sweep"]
    assert sweep.schedule.run_every == timedelta(seconds=settings.FACTDESK_SWEEP_SECONDS)
