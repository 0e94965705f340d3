import pytest

from claims.actors import Speaker, actors_resolve
from claims.disputes import story_disputes_find
from claims.extraction.figures import find_figures
from claims.models import Actor, Claim, Dispute, Story
from claims.tests.factories import ClaimFactory, DocumentFactory
from conftest import make_user

pytestmark = pytest.mark.django_db


def say(story: Story, actor, text: str, outlet: str, **document) -> Claim:
    page = DocumentFactory(story=story, outlet=outlet, text=text, **document)
    return ClaimFactory(
        document=page, actor=actor, speaker=actor.name if actor else "", figures=find_figures(text)
    )


@pytest.fixture
def story() -> Story:
    ministry, spokesman = actors_resolve(
        speakers=[
            Speaker("Defence Ministry", "organization"),
            Speaker("Ada Smith", "person", role="spokesman", affiliation="The coalition"),
        ]
    )
    story = Story.objects.create(title="Strike on the dam")
    say(story, ministry, "Only 12 people were confirmed dead after the strike.", "Valmont Wire")
    say(story, spokesman, "At least 40 people were killed in the strike.", "Eastbank Herald")
    say(
        story,
        None,
        "He said the convoy had turned back.",
        "Coastline Post",
        published_at=None,
        undated=True,
    )
    story_disputes_find(story=story)
    return story


def test_the_story_page_shows_documents_sides_disputes_and_figures(
    admin_client_logged_in, story, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        page = admin_client_logged_in.get(f"/admin/claims/story/{story.pk}/change/")
    html = page.content.decode()

    assert page.status_code == 200
    for section in ('id="documents"', 'id="sides"', 'id="disputes"', 'id="figures"'):
        assert section in html
    assert html.count('class="story-document"') == 3
    assert "⚠ undated" in html
    assert html.count('class="module story-side"') == 2
    assert "for The coalition" in html
    assert 'class="unresolved-claim"' in html
    assert 'data-kind="figures" data-state="proposed"' in html
    assert html.count('class="story-figure"') == 2
    # A page to read: no model form, no "Close" bar above the story; its history a click away.
    assert 'class="closelink"' not in html and 'name="title"' not in html
    assert f'href="/admin/claims/story/{story.pk}/history/"' in html
    assert " 1 claims" not in html


def test_confirming_on_the_story_page_shows_on_both_claims(admin_client_logged_in, story):
    dispute = Dispute.objects.get(story=story)

    response = admin_client_logged_in.post(
        f"/admin/claims/story/dispute/{dispute.pk}/confirm/", follow=True
    )

    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.CONFIRMED
    assert "Dispute confirmed." in response.content.decode()
    for claim in dispute.claims.all():
        claim_page = admin_client_logged_in.get(f"/admin/claims/claim/{claim.pk}/change/")
        assert "Conflicting figures (confirmed)" in claim_page.content.decode()


def test_someone_outside_the_desk_cannot_decide_a_dispute(client, story):
    outsider = make_user("olaf")
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    dispute = Dispute.objects.get(story=story)

    client.post(f"/admin/claims/story/dispute/{dispute.pk}/dismiss/")

    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.PROPOSED


def test_an_undated_document_shows_the_warning(admin_client_logged_in, story):
    undated = story.documents.get(undated=True)

    page = admin_client_logged_in.get(f"/admin/claims/document/{undated.pk}/change/")

    assert "This document has no publication date" in page.content.decode()


def test_claims_filter_by_actor_in_the_admin(admin_client_logged_in, story):
    smith = Actor.objects.get(name="Ada Smith")

    page = admin_client_logged_in.get(f"/admin/claims/claim/?actor__id__exact={smith.pk}")

    assert page.status_code == 200
    assert page.content.decode().count('class="field-short_text"') == 1


def test_merging_actors_from_the_admin_keeps_the_history(admin_client_logged_in, story):
    ministry = Actor.objects.get(name="Defence Ministry")
    (mod,) = actors_resolve(speakers=[Speaker("Russian MoD", "organization")])
    ClaimFactory(actor=mod, speaker="Russian MoD")
    ClaimFactory(actor=ministry, speaker="Defence Ministry")

    admin_client_logged_in.post(
        "/admin/claims/actor/",
        {"action": "merge_into_first", "_selected_action": [ministry.pk, mod.pk]},
    )

    mod.refresh_from_db()
    assert mod.merged_into_id == ministry.pk
    history = admin_client_logged_in.get(f"/admin/claims/actor/{mod.pk}/history/")
    assert "merged into" in history.content.decode()
