from datetime import UTC, datetime

import pytest

from claims.models import Claim, Document, Story
from claims.services import document_ingest

pytestmark = pytest.mark.django_db

DAM_WIRE = """Engineers at the Karsvik dam opened all six spillway gates on Sunday after the reservoir rose to a record level, the Lenmark Water Authority said.

The authority's director, Ilse Varga, said about 2,000 residents of Karsvik and Orrin had been told to leave their homes. "The dam itself is sound," Varga said.

Lenmark's interior ministry said 14 villages downstream were cut off by the flood water."""

DAM_HERALD = """Thousands of people left their homes in Karsvik and Orrin on Sunday as the Lenmark Water Authority released water from the swollen Karsvik reservoir.

Ilse Varga, who heads the authority, insisted that the dam was not at risk. She said some 2,000 people had been evacuated as a precaution.

According to the interior ministry of Lenmark, flooding had isolated 14 villages below the dam, and rescue boats were on their way."""

PORT_STRIKE = """Dock workers at the port of Saltholm walked out on Sunday in a dispute over pay, the Saltholm Dockers' Union said.

The union's leader, Piet Ambrose, said 900 members had joined the strike and that ships would wait at anchor until the port operator improved its offer."""


@pytest.fixture
def ingest(django_capture_on_commit_callbacks):
    """Ingests an article and runs its extraction, as the worker does after the commit."""

    def ingest_(text: str, outlet: str, day: int | None) -> Document:
        published = datetime(2026, 11, day, 9, tzinfo=UTC) if day else None
        with django_capture_on_commit_callbacks(execute=True):
            result = document_ingest(text=text, title=outlet, outlet=outlet, published_at=published)
        return result.document

    return ingest_


def story_of(document: Document) -> int:
    return Document.objects.get(pk=document.pk).story_id


def test_articles_about_one_event_in_other_words_join_one_story(ingest) -> None:
    wire = ingest(DAM_WIRE, "Lenmark Wire", 15)
    herald = ingest(DAM_HERALD, "Orrin Herald", 16)
    strike = ingest(PORT_STRIKE, "Saltholm Post", 15)

    assert story_of(wire) == story_of(herald)
    assert story_of(strike) != story_of(wire)
    assert Story.objects.count() == 2
    story = Story.objects.get(pk=story_of(wire))
    assert set(story.documents.values_list("outlet", flat=True)) == {
        "Lenmark Wire",
        "Orrin Herald",
    }


def test_articles_published_far_apart_stay_apart_and_an_undated_one_is_flagged(
    ingest, settings
) -> None:
    settings.FACTDESK_STORY_WINDOW_DAYS = 3
    wire = ingest(DAM_WIRE, "Lenmark Wire", 1)
    herald = ingest(DAM_HERALD, "Orrin Herald", 20)
    undated = ingest(DAM_HERALD.replace("Sunday", "the weekend"), "Orrin Daily", None)

    assert story_of(wire) != story_of(herald)
    assert not wire.undated
    assert undated.undated
    assert story_of(undated) in {story_of(wire), story_of(herald)}


def test_the_worker_gives_claims_their_actors_across_documents_once(ingest) -> None:
    wire = ingest(DAM_WIRE, "Lenmark Wire", 15)
    herald = ingest(DAM_HERALD, "Orrin Herald", 16)

    in_wire = Claim.objects.get(document=wire, text__startswith="The authority's director")
    in_herald = Claim.objects.get(document=herald, text__startswith="Ilse Varga, who heads")
    assert in_wire.actor is not None and in_wire.actor.name == "Ilse Varga"
    assert in_herald.actor_id == in_wire.actor_id
