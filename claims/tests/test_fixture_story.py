"""What `make run` shows of the sample dispute story (fixtures/articles/18-21: a fire at a
chemical plant, the ministry against the company, three outlets): one story with both sides,
the denial and the figure conflict linked, the unresolved claim marked, the undated articles
flagged."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from claims import selectors
from claims.models import Claim, Dispute, Document

ARTICLES = Path(settings.BASE_DIR) / "fixtures" / "articles"
STORY_FILES = sorted(ARTICLES.glob("*_dunmere_*"))

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks) -> None:
    """`make run`'s ingestion of every sample article, extraction included."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("ingest", str(ARTICLES), verbosity=0)


def test_the_dispute_story_is_one_story_with_both_sides_linked(demo) -> None:
    assert len(STORY_FILES) == 4
    documents = list(Document.objects.filter(text__icontains="Dunmere"))
    story_ids = {document.story_id for document in documents}
    assert len(story_ids) == 1, [(d.title, d.story_id) for d in documents]
    detail = selectors.story_detail(story_id=story_ids.pop())
    assert len(detail.documents) == 4
    assert len({document.outlet for document in detail.documents}) == 3

    sides = {actor.side for actor in detail.actors if actor.side}
    assert len(sides) >= 2
    names = {actor.name.lower(): actor.side for actor in detail.actors}
    ministry = next(side for name, side in names.items() if "ministry" in name)
    company = next(side for name, side in names.items() if "corlan" in name)
    assert ministry and company and ministry != company

    kinds = {dispute.kind: dispute for dispute in detail.disputes}
    denial = kinds[Dispute.Kind.DENIAL]
    denied = Claim.objects.filter(pk__in=denial.claim_ids).select_related("actor")
    assert any("inaccurate" in claim.text for claim in denied)
    assert any(claim.actor and "ministry" in claim.actor.name.lower() for claim in denied)
    figures = kinds[Dispute.Kind.FIGURES]
    texts = " ".join(Claim.objects.filter(pk__in=figures.claim_ids).values_list("text", flat=True))
    assert "12" in texts and "40" in texts

    assert detail.unresolved
    assert any(claim.speaker_kind == Claim.SpeakerKind.UNRESOLVED for claim in detail.unresolved)
    assert sum(document.undated for document in detail.documents) >= 1
