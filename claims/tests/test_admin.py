import pytest

from claims.tests.factories import ClaimFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def test_document_changelist_queries_stay_constant(
    admin_client_logged_in, django_assert_max_num_queries
):
    for document in DocumentFactory.create_batch(25):
        ClaimFactory(document=document)
    with django_assert_max_num_queries(12):
        response = admin_client_logged_in.get("/admin/claims/document/")

    assert response.status_code == 200
    assert response.content.count(b'class="field-claim_count"') == 25


def test_claim_changelist_queries_stay_constant(
    admin_client_logged_in, django_assert_max_num_queries
):
    ClaimFactory.create_batch(30)
    with django_assert_max_num_queries(12):
        response = admin_client_logged_in.get("/admin/claims/claim/")

    assert response.status_code == 200
    assert response.content.count(b'class="field-document_title"') == 30


def test_claim_page_highlights_the_claim_in_its_article_and_escapes_it(admin_client_logged_in):
    text = 'Intro line. The mayor said <script>alert("x")</script> 40 homes flooded. Closing line.'
    document = DocumentFactory(text=text)
    start = text.index("The mayor")
    end = text.index(" Closing")
    claim = ClaimFactory(document=document, start=start, end=end)

    response = admin_client_logged_in.get(f"/admin/claims/claim/{claim.pk}/change/")

    html = response.content.decode()
    assert (
        f'title="Claim {claim.pk}">The mayor said &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
        " 40 homes flooded.</mark>" in html
    )
    assert '<script>alert("x")</script>' not in html
