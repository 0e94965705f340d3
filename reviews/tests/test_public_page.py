import json
import re

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from claims.tests.factories import ClaimFactory, DocumentFactory
from reviews import claimreview, public
from reviews.models import Rating, Review
from reviews.tests.factories import EvidenceLinkFactory, ReviewFactory

pytestmark = pytest.mark.django_db
State = Review.State
BREAKOUT = "Wrong. </script><script>window.pwned = 1</script> <!-- and & more"


def published(**claim) -> Review:
    document = DocumentFactory(title="Port figures", outlet="Harbour Times")
    review = ReviewFactory(
        claim=ClaimFactory(document=document, **claim),
        state=State.PUBLISHED,
        rating=Rating.objects.get(name="False"),
        summary=BREAKOUT,
        published_at=timezone.now(),
    )
    EvidenceLinkFactory(claim=review.claim, url="https://stats.example.org/t7", excerpt="T7.")
    return review


def ld_json_blocks(html: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)


def test_a_published_verdict_has_a_public_page_with_its_claimreview():
    review = published(speaker="Lena Okafor", speaker_role="harbour master")

    response = Client().get(f"/fact-checks/{review.pk}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert review.claim.text in html
    assert "Lena Okafor, harbour master" in html
    assert 'id="rating"' in html and ">False<" in html
    assert 'href="https://stats.example.org/t7"' in html
    blocks = ld_json_blocks(html)
    assert len(blocks) == 1
    assert json.loads(blocks[0]) == claimreview.claim_review_jsonld(review=review)


def test_a_closing_script_tag_in_the_summary_cannot_break_out_of_the_json_ld():
    review = published()
    html = Client().get(f"/fact-checks/{review.pk}").content.decode()

    assert "<script>window.pwned" not in html
    block = ld_json_blocks(html)[0]
    assert "</" not in block and "<!--" not in block
    assert json.loads(block)["reviewBody"] == BREAKOUT


@pytest.mark.parametrize("state", [State.QUEUED, State.IN_REVIEW, State.SUBMITTED, State.APPROVED])
def test_drafts_are_not_found(state):
    review = ReviewFactory(state=state, summary="draft", rating=Rating.objects.first())
    assert Client().get(f"/fact-checks/{review.pk}").status_code == 404


def test_an_unknown_fact_check_is_not_found():
    assert Client().get("/fact-checks/999999").status_code == 404


def test_view_site_is_the_list_of_published_fact_checks():
    shown = published()
    draft = ReviewFactory(state=State.SUBMITTED, rating=Rating.objects.first())

    response = Client().get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/fact-checks/{shown.pk}"' in html
    assert f"/fact-checks/{draft.pk}" not in html


@override_settings(FACTDESK_PUBLIC_URL_TEMPLATE="https://news.example/checks/{id}/")
def test_the_public_route_follows_the_url_template():
    assert public.public_route() == "checks/<int:review_id>"


@override_settings(FACTDESK_PUBLIC_URL_TEMPLATE="https://news.example/checks")
def test_a_template_without_an_id_falls_back_to_the_default_path():
    assert public.public_route() == "fact-checks/<int:review_id>"


def test_the_admin_links_a_published_verdict_to_its_public_page(editor):
    review = published()
    editor.is_staff = True
    editor.save()
    client = Client()
    client.force_login(editor)

    html = client.get(f"/admin/reviews/review/{review.pk}/change/").content.decode()

    assert f'href="/fact-checks/{review.pk}"' in html
    assert f"https://factdesk.example/fact-checks/{review.pk}" in html


def test_only_web_addresses_become_links_on_the_public_page():
    review = published()
    EvidenceLinkFactory(claim=review.claim, url="javascript:alert(1)")
    html = Client().get(f"/fact-checks/{review.pk}").content.decode()
    assert 'href="javascript:' not in html
    assert 'href="https://stats.example.org/t7"' in html
