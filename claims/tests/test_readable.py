import pytest
from django.test import Client

from claims.extraction.figures import find_figures
from claims.readable import date_text, figure_text, speaker_text
from claims.tests.factories import ClaimFactory, DocumentFactory
from conftest import make_user


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("At least 12 people were hurt.", "at least 12 people"),
        ("Just under 300 airstrikes hit the city.", "just under 300 airstrikes"),
        ("Prices rose 8 percent.", "8%"),
        ("The plan costs $1.5 bn in all.", "$1.5 billion"),
        ("Between 40 and 60 homes flooded.", "between 40 and 60 homes"),
        ("Crews cleared about 7 km of road.", "about 7 km"),
        ("The port handled 12,400 containers.", "12,400 containers"),
    ],
)
def test_figures_read_as_a_reader_would_say_them(sentence, said):
    assert [figure_text(figure) for figure in find_figures(sentence)] == [said]


def test_dates_read_as_dates():
    assert date_text({"text": "Tuesday", "resolved": "2026-11-17", "granularity": "day"}) == (
        "17 November 2026 (“Tuesday”)"
    )
    assert date_text({"text": "last week", "resolved": "2026-11-09", "granularity": "week"}) == (
        "the week of 9 November 2026 (“last week”)"
    )
    assert date_text({"text": "2025", "resolved": "2025", "granularity": "year"}) == "2025"
    assert date_text({"text": "soon", "resolved": None, "granularity": ""}) == "soon"


def test_speakers_read_as_names():
    assert speaker_text(
        speaker="Lena Okafor", role="harbour master", kind="person", outlet="X"
    ) == ("Lena Okafor, harbour master")
    assert speaker_text(speaker="", role="", kind="outlet", outlet="Valmont Wire") == (
        "Valmont Wire (the outlet; no one named)"
    )
    assert speaker_text(speaker="Valmont Wire", role="", kind="outlet", outlet="Valmont Wire") == (
        "Valmont Wire (the outlet; no one named)"
    )


@pytest.fixture
def reviewer_page(db):
    client = Client()
    client.force_login(make_user("rosa", "reviewer"))
    return client


def test_the_document_page_lists_its_claims_highlights_them_and_marks_debris(reviewer_page):
    text = (
        "Port Figures Soar\n\nPort Figures Soar\n\n"
        "The port handled 12,400 containers in October, officials said.\n\n"
        "More news: Ferry strike ends\n"
    )
    document = DocumentFactory(text=text)
    start = text.index("The port")
    claim = ClaimFactory(document=document, start=start, end=text.index(" officials") - 1)

    html = reviewer_page.get(f"/admin/claims/document/{document.pk}/change/").content.decode()

    assert f'href="/admin/claims/claim/{claim.pk}/change/"' in html
    assert f'<mark id="claim-{claim.pk}"' in html
    assert 'class="debris"' in html and "repeated heading" in html
