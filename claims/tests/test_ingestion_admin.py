import pytest

from claims import ingestion
from claims.models import DocumentFetch, IngestionRun, Source
from claims.services import document_ingest

pytestmark = pytest.mark.django_db


def runs_for(source: Source, count: int) -> None:
    IngestionRun.objects.bulk_create(
        IngestionRun(source=source, status=IngestionRun.Status.SUCCEEDED, new=n, fetched=n)
        for n in range(count)
    )


def test_run_changelist_queries_stay_constant(
    admin_client_logged_in, django_assert_max_num_queries
):
    for number in range(5):
        source = Source.objects.create(name=f"Feed {number}", url=f"https://f{number}.example/")
        runs_for(source, 6)

    with django_assert_max_num_queries(12):
        response = admin_client_logged_in.get("/admin/claims/ingestionrun/")

    assert response.status_code == 200
    assert (
        response.content.count(b'class="field-source nowrap"')
        + response.content.count(b'class="field-source"')
        == 30
    )


def test_source_page_lists_its_runs(admin_client_logged_in) -> None:
    source = ingestion.source_create(name="Valley Gazette", url="https://gazette.example/rss")
    runs_for(source, 3)

    response = admin_client_logged_in.get(f"/admin/claims/source/{source.pk}/change/")

    assert response.status_code == 200
    assert response.content.count(b"Succeeded") == 3


def test_saving_a_source_in_the_admin_schedules_its_polls(admin_client_logged_in) -> None:
    response = admin_client_logged_in.post(
        "/admin/claims/source/add/",
        {
            "name": "Harbour Times",
            "kind": "feed",
            "url": "https://harbour.example/rss",
            "active": "on",
            "poll_interval_minutes": "15",
            "runs-TOTAL_FORMS": "0",
            "runs-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    source = Source.objects.get(name="Harbour Times")
    assert source.poll_task.interval.every == 15
    assert source.poll_task.enabled


def test_story_changelist_counts_appearances(admin_client_logged_in, django_assert_max_num_queries):
    body = (
        "The water board said reservoir levels had fallen to 41 percent of capacity, the lowest "
        "October reading since records began, and asked households to cut their use by a tenth."
    )
    document_ingest(text=body, outlet="Valley Gazette", title="Reservoirs low")
    document_ingest(text=f"{body} READ MORE: weather", outlet="Coast Wire")
    for number in range(20):
        document_ingest(text=f"Unrelated note number {number} about the tram line budget.")

    with django_assert_max_num_queries(10):
        response = admin_client_logged_in.get("/admin/claims/story/")

    assert response.status_code == 200
    assert b"Reservoirs low" in response.content
    assert b'<td class="field-appearances">2</td>' in response.content


def test_fetch_changelist_queries_stay_constant(
    admin_client_logged_in, django_assert_max_num_queries
):
    for number in range(20):
        document = document_ingest(text=f"Fetched article {number} about harbour tonnage.")
        DocumentFetch.objects.create(
            url=f"https://n.example/{number}",
            canonical_url=f"https://n.example/{number}",
            status=DocumentFetch.Status.DONE,
            document=document.document,
        )

    with django_assert_max_num_queries(10):
        response = admin_client_logged_in.get("/admin/claims/documentfetch/")

    assert response.status_code == 200
    assert response.content.count(b"https://n.example/") >= 20
