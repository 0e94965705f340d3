import numpy as np
import pytest

from claims.actors import Speaker, actors_resolve
from claims.disputes import (
    DisputeChangeRefused,
    dispute_confirm,
    dispute_dismiss,
    story_disputes_find,
)
from claims.extraction.figures import find_figures
from claims.models import Dispute, Story
from claims.services import pack_embedding
from claims.tests.factories import ClaimFactory, DocumentFactory
from factdesk.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def say(story: Story, actor, text: str, *, outlet: str = "Harbour Times", vector=None):
    """A claim `text`, said by `actor`, in an article of the story; spans point into it."""
    prefix = "Reporting from the border. "
    document = DocumentFactory(story=story, outlet=outlet, text=prefix + text)
    return ClaimFactory(
        document=document,
        start=len(prefix),
        end=len(prefix) + len(text),
        actor=actor,
        speaker=actor.name if actor else "",
        figures=find_figures(text, offset=len(prefix)),
        embedding=pack_embedding(vector.tolist()) if vector is not None else None,
    )


@pytest.fixture
def sides():
    ministry, coalition, spokesman = actors_resolve(
        speakers=[
            Speaker("Defence Ministry", "organization"),
            Speaker("The coalition", "organization"),
            Speaker("Ada Smith", "person", role="spokesman", affiliation="The coalition"),
        ]
    )
    return ministry, coalition, spokesman


def test_a_figure_conflict_between_two_sides_is_stored_once(sides) -> None:
    ministry, _, spokesman = sides
    story = Story.objects.create(title="Strike")
    low = say(story, ministry, "Only 12 people were confirmed dead after the strike.")
    high = say(story, spokesman, "At least 40 people were killed in the strike.")
    say(story, ministry, "The ministry counted 12 bridges.")

    (dispute,) = story_disputes_find(story=story)
    story_disputes_find(story=story)

    assert Dispute.objects.count() == 1
    assert dispute.kind == Dispute.Kind.FIGURES
    assert dispute.state == Dispute.State.PROPOSED
    assert set(dispute.claims.values_list("id", flat=True)) == {low.pk, high.pk}
    assert "Ada Smith (The coalition)" in dispute.detail


def test_the_spokesman_and_his_coalition_are_one_side(sides) -> None:
    _, coalition, spokesman = sides
    story = Story.objects.create(title="Strike")
    say(story, coalition, "Only 12 people were confirmed dead after the strike.")
    say(story, spokesman, "At least 40 people were killed in the strike.")

    assert story_disputes_find(story=story) == []


def test_a_dismissed_dispute_stays_dismissed_and_a_proposed_one_follows_its_claims(
    sides, reviewer
) -> None:
    ministry, coalition, spokesman = sides
    story = Story.objects.create(title="Strike")
    say(story, ministry, "Only 12 people were confirmed dead after the strike.")
    say(story, spokesman, "At least 40 people were killed in the strike.")
    (dispute,) = story_disputes_find(story=story)

    dispute_dismiss(dispute=dispute, by=reviewer)
    say(story, coalition, "About 45 people died in the strike.")
    story_disputes_find(story=story)

    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.DISMISSED
    assert dispute.decided_by == reviewer
    assert dispute.claims.count() == 2
    assert dispute.history.first().history_change_reason == "dismissed by rita"


def test_a_proposed_dispute_no_longer_found_goes(sides) -> None:
    ministry, _, spokesman = sides
    story = Story.objects.create(title="Strike")
    say(story, ministry, "Only 12 people were confirmed dead after the strike.")
    high = say(story, spokesman, "At least 40 people were killed in the strike.")
    story_disputes_find(story=story)

    high.delete()
    story_disputes_find(story=story)

    assert not Dispute.objects.exists()


def test_a_denial_is_linked_to_the_claim_it_answers(sides) -> None:
    ministry, coalition, _ = sides
    story = Story.objects.create(title="Strike")
    base = np.random.default_rng(3).standard_normal(384).astype(np.float32)
    accusation = say(
        story,
        ministry,
        "The coalition deliberately spared the militants near the dam.",
        vector=base / np.linalg.norm(base),
    )
    denial = say(
        story,
        coalition,
        "The coalition rejected the Defence Ministry's allegations as baseless.",
        vector=np.ones(384, dtype=np.float32) / np.sqrt(384),
    )

    (dispute,) = story_disputes_find(story=story)

    assert dispute.kind == Dispute.Kind.DENIAL
    assert set(dispute.claims.values_list("id", flat=True)) == {accusation.pk, denial.pk}


def test_confirming_needs_a_reviewer_and_is_recorded(sides, reviewer, django_user_model) -> None:
    ministry, _, spokesman = sides
    story = Story.objects.create(title="Strike")
    say(story, ministry, "Only 12 people were confirmed dead after the strike.")
    say(story, spokesman, "At least 40 people were killed in the strike.")
    (dispute,) = story_disputes_find(story=story)
    outsider = django_user_model.objects.create_user("olaf", password="pw-olaf-12345")

    with pytest.raises(PermissionDenied):
        dispute_confirm(dispute=dispute, by=outsider)
    confirmed = dispute_confirm(dispute=dispute, by=reviewer)

    assert confirmed.state == Dispute.State.CONFIRMED
    assert confirmed.decided_at is not None
    with pytest.raises(DisputeChangeRefused, match="already confirmed"):
        dispute_confirm(dispute=dispute, by=reviewer)
