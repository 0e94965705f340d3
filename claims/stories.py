"""Stories: near-duplicate documents (syndicated or lightly edited copies) grouped as one.

Each document's MinHash fingerprint is stored with its LSH band keys. A new text is compared
with the stored documents that share the most bands with it, and with the texts before it in
the same batch; it joins the story of the closest one that is similar enough, or starts one.
A batch costs three queries and one insert, however many texts it holds.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from claims.events import on_document_joined_story
from claims.ingest.neardup import Fingerprint, NearDuplicateIndex, best_match, fingerprint
from claims.models import Document, DocumentBand, Story

# Stored documents sharing the most bands with a new text are compared with it.
CANDIDATE_LIMIT = 20


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
    DocumentBand.objects.bulk_create(
        [
            DocumentBand(document=document, key=key)
            for document, match in zip(documents, matches, strict=True)
            if match.fingerprint is not None
            for key in match.fingerprint.band_keys
        ]
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


def _stored_candidates(
    prints: list[Fingerprint | None],
) -> list[dict[int, tuple[int | None, Fingerprint]]]:
    """For each fingerprint, the stored documents sharing most bands: id -> (story, print)."""
    keys = [print_.band_keys if print_ is not None else [] for print_ in prints]
    all_keys = {key for doc_keys in keys for key in doc_keys}
    holders: dict[int, list[int]] = defaultdict(list)
    if all_keys:
        for key, document_id in DocumentBand.objects.filter(key__in=all_keys).values_list(
            "key", "document_id"
        ):
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
