import pytest
from django.test import Client

from claims.tests.factories import ClaimFactory
from conftest import make_user
from reviews.tests.factories import EvidenceLinkFactory, ReviewFactory


@pytest.fixture
def reviewer_page(db):
    client = Client()
    client.force_login(make_user("rosa", "reviewer"))
    return client


def test_the_claim_page_shows_no_raw_json_or_offsets_and_says_where_it_is_on_the_desk(
    reviewer_page,
):
    claim = ClaimFactory(
        figures=[{"text": "104", "start": 3, "end": 6, "kind": "count", "value": 104,
                  "comparator": "=", "approximate": False, "counted": "ships"}],
        entities=[{"text": "Harbour Board", "label": "ORG", "start": 0, "end": 13}],
    )  # fmt: skip
    review = ReviewFactory(claim=claim)

    html = reviewer_page.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()

    assert "104 ships" in html and "Harbour Board" in html
    for raw in ('"start"', "&quot;start&quot;", "comparator", "Start:", "Extractor version"):
        assert raw not in html
    assert f'href="/admin/reviews/review/{review.pk}/change/"' in html and "queued" in html


def test_no_page_a_reviewer_opens_links_to_the_user_pages(reviewer_page):
    from django.contrib.auth.models import User

    author = User.objects.create_user("author")
    claim = ClaimFactory(document__created_by=author)
    link = EvidenceLinkFactory(claim=claim, added_by=author)
    for url in (
        f"/admin/claims/document/{claim.document_id}/change/",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/reviews/evidencelink/{link.pk}/change/",
    ):
        response = reviewer_page.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "/admin/auth/user/" not in html, url
        assert "author" in html, url
