"""Search that ranks and tolerates spelling, transliteration and accents (SQLite by default,
PostgreSQL's full-text and trigram search when DATABASE_URL points there)."""

import pytest

from claims.tests.factories import ClaimFactory, DocumentFactory

pytestmark = pytest.mark.django_db

SPELLINGS = {
    "Al Bukamal": "Shelling near Al Bukamal damaged the water station, officials said.",
    "Abu Kamal": "Two bridges outside Abu Kamal were closed on Monday, the governor said.",
    "Albukamal": "Aid convoys reached Albukamal after a week, the Red Crescent said.",
    "Bükamal": "Residents of Bükamal said the market reopened.",
}
DECOY = "The harbour authority said the port handled 12,400 containers."


def claim(text: str, **fields):
    return ClaimFactory(document=DocumentFactory(text=text), text=text, end=len(text), **fields)


@pytest.fixture
def spelled():
    stored = {name: claim(text) for name, text in SPELLINGS.items()}
    stored["decoy"] = claim(DECOY)
    stored["general"] = claim(
        "Maj. Gen. Igor Konashenkova told reporters the strikes had stopped.",
        speaker="Igor Konashenkova",
    )
    return stored


@pytest.mark.parametrize("query", ["Abu Kamal", "Al Bukamal", "Albukamal", "al-bukamal", "Bükamal"])
def test_every_spelling_of_a_town_finds_every_other(reviewer_client, spelled, query):
    body = reviewer_client.get("/api/v1/search/", {"q": query, "type": "claim"}).json()
    found = [hit["id"] for hit in body["results"]]
    assert set(found[:4]) == {spelled[name].pk for name in SPELLINGS}
    assert spelled["decoy"].pk not in found
    scores = [hit["score"] for hit in body["results"]]
    assert scores == sorted(scores, reverse=True) and scores[0] == 1.0


def test_a_name_in_another_grammatical_form_is_found(reviewer_client, spelled):
    body = reviewer_client.get("/api/v1/search/", {"q": "Konashenkov"}).json()
    assert [hit["id"] for hit in body["results"]] == [spelled["general"].pk]
    assert body["type"] == "claim"


def test_documents_are_found_by_title_and_text(reviewer_client):
    wanted = DocumentFactory(title="Water station hit in Al Bukamal", text="Shelling resumed.")
    DocumentFactory(title="Port traffic rises", text="Containers up.")
    body = reviewer_client.get("/api/v1/search/", {"q": "albukamal", "type": "document"}).json()
    assert [hit["id"] for hit in body["results"]] == [wanted.pk]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"q": ""}, "search for"),
        ({"q": "   "}, "search for"),
        ({"q": "?!"}, "search for"),
        ({"q": "x" * 1000}, "at most 200"),
        ({"q": "port", "type": "everything"}, "Unknown type"),
        ({"q": "port", "limit": 0}, ""),
    ],
)
def test_bad_queries_answer_400_with_a_reason(reviewer_client, params, reason):
    response = reviewer_client.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert reason in str(response.json())


def test_search_needs_an_account(anonymous_client):
    assert anonymous_client.get("/api/v1/search/", {"q": "port"}).status_code in (401, 403)


def test_the_admin_search_box_tolerates_spelling_and_ranks(admin_client_logged_in, spelled):
    page = admin_client_logged_in.get("/admin/claims/claim/", {"q": "Albukamal"})
    listed = [c.pk for c in page.context["cl"].result_list]
    assert listed[0] == spelled["Albukamal"].pk
    assert set(listed) == {spelled[name].pk for name in SPELLINGS}
    empty = admin_client_logged_in.get("/admin/claims/claim/", {"q": "x" * 1000})
    assert empty.status_code == 200 and not list(empty.context["cl"].result_list)
    documents = admin_client_logged_in.get("/admin/claims/document/", {"q": "bukamal"})
    assert documents.status_code == 200
