"""Stories: the documents that tell one event, from one outlet or many.

On ingestion, near-duplicates (syndicated or lightly edited copies) join the story of the text
they copy: each document's MinHash fingerprint is stored with its LSH band keys; a new text is
compared with the stored documents that share the most bands with it, and with the texts
before it in the same batch; it joins the story of the closest one that is similar enough, or
starts one. A batch costs three queries and one insert, however many texts it holds.

After extraction, an article about the same event in other words joins its story too
(`story_join_same_event`): candidates are the documents of other stories published within
`FACTDESK_STORY_WINDOW_DAYS` of the story's dated documents that name the most of the same people, organisations and places;
the closest by claims (claims.ingest.sameevent) brings the two stories together.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q

from claims.events import on_document_joined_story
from claims.ingest.neardup import Fingerprint, NearDuplicateIndex, best_match, fingerprint
from claims.ingest.sameevent import EventSignature, name_keys, same_event, topic_vector
from claims.models import Claim, Dispute, Document, DocumentBand, DocumentEntityKey, Story
from factdesk.bulk import rows_insert

# Stored documents sharing the most bands with a new text are compared with it.
CANDIDATE_LIMIT = 20
# Documents of other stories naming the most of the same names are compared for one event.
EVENT_CANDIDATE_LIMIT = 30
EVENT_MIN_SHARED_NAMES = 2


@dataclass(frozen=True)
class StoryMatch:
    story: Story
    fingerprint: Fingerprint | None
    near_duplicate: bool


def stories_match(*, texts: Sequence[str], titles: Sequence[str]) -> list[StoryMatch]:
    """The story of each text, in order; new stories are created for texts near nothing."""
    prints = [fingerprint(text) for text in texts]
    stored = _stored_candidates(prints)
    batch = NearDuplicateIndex()
    stories: list[Story] = []
    matches: list[StoryMatch] = []
    new_stories: list[Story] = []
    adopted: dict[int, Story] = {}
    for position, (print_, title) in enumerate(zip(prints, titles, strict=True)):
        story = None
        if print_ is not None:
            story = _closest_story(print_, stored[position], batch, stories, adopted, title)
            batch.add(position, print_)
        near = story is not None
        if story is None:
            story = Story(title=title[:500])
            new_stories.append(story)
        stories.append(story)
        matches.append(StoryMatch(story=story, fingerprint=print_, near_duplicate=near))
    Story.objects.bulk_create([*new_stories, *adopted.values()])
    for document_id, story in adopted.items():
        Document.objects.filter(pk=document_id).update(story=story)
    if adopted:
        on_document_joined_story.announce(document_ids=list(adopted))
    return matches


def document_bands_store(*, documents: Sequence[Document], matches: Sequence[StoryMatch]) -> None:
    """The LSH band keys of stored documents, by which later texts find them."""
    rows_insert(
        model=DocumentBand,
        fields=("document", "key"),
        rows=[
            (document.pk, key)
            for document, match in zip(documents, matches, strict=True)
            if match.fingerprint is not None
            for key in match.fingerprint.band_keys
        ],
    )


def _closest_story(
    print_: Fingerprint,
    candidates: dict[int, tuple[int | None, Fingerprint]],
    batch: NearDuplicateIndex,
    stories: list[Story],
    adopted: dict[int, Story],
    title: str,
) -> Story | None:
    in_store = best_match(print_, {pk: fp for pk, (_, fp) in candidates.items()})
    in_batch = batch.find(print_)
    if in_batch is not None and (in_store is None or in_batch[1] >= in_store[1]):
        return stories[in_batch[0]]
    if in_store is None:
        return None
    document_id = in_store[0]
    story_id = candidates[document_id][0]
    if story_id is not None:
        return Story(pk=story_id)
    # A document stored before stories existed: it starts the story the copy joins.
    if document_id not in adopted:
        adopted[document_id] = Story(title=title[:500])
    return adopted[document_id]


def _band_holders(keys: set[int]) -> list[tuple[int, int]]:
    """(key, document id) of the stored bands with any of `keys`."""
    if not keys:
        return []
    if connection.vendor != "postgresql":
        return list(DocumentBand.objects.filter(key__in=keys).values_list("key", "document_id"))
    # One array parameter instead of thousands: psycopg and the planner both handle it faster.
    table = connection.ops.quote_name(DocumentBand._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, document_id FROM {table} WHERE key = ANY(%s)", [list(keys)])
        return cursor.fetchall()


def _stored_candidates(
    prints: list[Fingerprint | None],
) -> list[dict[int, tuple[int | None, Fingerprint]]]:
    """For each fingerprint, the stored documents sharing most bands: id -> (story, print)."""
    keys = [print_.band_keys if print_ is not None else [] for print_ in prints]
    all_keys = {key for doc_keys in keys for key in doc_keys}
    holders: dict[int, list[int]] = defaultdict(list)
    for key, document_id in _band_holders(all_keys):
        holders[key].append(document_id)
    nearest = [
        [
            pk
            for pk, _ in Counter(pk for key in doc_keys for pk in holders[key]).most_common(
                CANDIDATE_LIMIT
            )
        ]
        for doc_keys in keys
    ]
    wanted = {pk for ids in nearest for pk in ids}
    rows = (
        Document.objects.filter(pk__in=wanted, fingerprint__isnull=False).values_list(
            "pk", "story_id", "fingerprint"
        )
        if wanted
        else []
    )
    known = {pk: (story_id, Fingerprint.from_bytes(bytes(fp))) for pk, story_id, fp in rows}
    return [{pk: known[pk] for pk in ids if pk in known} for ids in nearest]


def document_topic_store(*, document: Document, claims: Sequence[Claim]) -> None:
    """The names a document's claims mention and the mean of their embeddings, by which
    articles about the same event find each other. Storing it again changes nothing."""
    keys = name_keys(entity for claim in claims for entity in claim.entities)
    vectors = [
        np.frombuffer(bytes(claim.embedding), dtype=np.float32)
        for claim in claims
        if claim.embedding
    ]
    topic = topic_vector(vectors)
    Document.objects.filter(pk=document.pk).update(
        topic_embedding=topic.astype(np.float32).tobytes() if topic is not None else None
    )
    DocumentEntityKey.objects.filter(document=document).exclude(key__in=keys).delete()
    DocumentEntityKey.objects.bulk_create(
        [DocumentEntityKey(document=document, key=key) for key in sorted(keys)],
        ignore_conflicts=True,
    )


def story_join_same_event(*, document: Document) -> Story | None:
    """Joins the document's story with the story of another article about the same event,
    if there is one; returns the story the document is in."""
    document = Document.objects.only(
        "id", "story_id", "published_at", "topic_embedding", "text"
    ).get(pk=document.pk)
    if document.story_id is None:
        return None
    keys = set(DocumentEntityKey.objects.filter(document=document).values_list("key", flat=True))
    if not keys:
        return document.story
    candidates = (
        DocumentEntityKey.objects.filter(key__in=keys)
        .exclude(document__story_id=document.story_id)
        .exclude(document__story__isnull=True)
        .filter(_within_window(story_id=document.story_id))
        .values("document_id")
        .annotate(shared=Count("id"))
        .filter(shared__gte=EVENT_MIN_SHARED_NAMES)
        .order_by("-shared", "document_id")[:EVENT_CANDIDATE_LIMIT]
    )
    candidate_ids = [row["document_id"] for row in candidates]
    if not candidate_ids:
        return document.story
    own = _signature(document.topic_embedding, keys, document.text)
    names: dict[int, set[str]] = defaultdict(set)
    for document_id, key in DocumentEntityKey.objects.filter(
        document_id__in=candidate_ids
    ).values_list("document_id", "key"):
        names[document_id].add(key)
    best = None
    for other_id, story_id, topic, text in Document.objects.filter(
        pk__in=candidate_ids
    ).values_list("pk", "story_id", "topic_embedding", "text"):
        verdict = same_event(own, _signature(topic, names[other_id], text))
        if verdict and (best is None or verdict[0] > best[0]):
            best = (verdict[0], story_id)
    if best is None:
        return document.story
    first, second = sorted((document.story_id, best[1]))
    return stories_merge(story=Story.objects.get(pk=second), into=Story.objects.get(pk=first))


def stories_merge(*, story: Story, into: Story) -> Story:
    """One event, two stories: the documents of `story` join `into`, the older one; decided
    disputes follow them, proposed ones are found again in the joined story."""
    with transaction.atomic():
        moved = list(Document.objects.filter(story=story).values_list("pk", flat=True))
        Document.objects.filter(pk__in=moved).update(story=into)
        taken = set(Dispute.objects.filter(story=into).values_list("key", flat=True))
        Dispute.objects.filter(story=story).exclude(state=Dispute.State.PROPOSED).exclude(
            key__in=taken
        ).update(story=into)
        on_document_joined_story.announce(document_ids=moved)
        story.delete()
    return into


def _within_window(*, story_id: int) -> Q:
    """Documents published near the dated documents of the story; a story with none (its
    documents are undated) is compared with any."""
    span = Document.objects.filter(story_id=story_id, published_at__isnull=False).aggregate(
        first=Min("published_at"), last=Max("published_at")
    )
    if span["first"] is None:
        return Q()
    window = timedelta(days=settings.FACTDESK_STORY_WINDOW_DAYS)
    return Q(
        document__published_at__gte=span["first"] - window,
        document__published_at__lte=span["last"] + window,
    ) | Q(document__published_at__isnull=True)


def _signature(topic: bytes | None, names: set[str], text: str) -> EventSignature:
    vector = np.frombuffer(bytes(topic), dtype=np.float32) if topic else None
    return EventSignature(names=frozenset(names), topic=vector, text=text.casefold())
