"""Stories: near-duplicate documents (syndicated or lightly edited copies) grouped as one.

Each document's MinHash fingerprint is stored with its LSH band keys; a new text is compared
with the documents that share a band with it, and joins the story of the closest one that is
similar enough, or starts a story of its own.
"""

from dataclasses import dataclass

from django.db.models import Count

from claims.ingest.neardup import Fingerprint, best_match, fingerprint
from claims.models import Document, DocumentBand, Story

# Documents sharing the most bands with a new text are compared with it; a handful suffices.
CANDIDATE_LIMIT = 20


@dataclass(frozen=True)
class StoryMatch:
    story_id: int
    fingerprint: Fingerprint | None
    near_duplicate_of: int | None = None
    similarity: float = 0.0


def story_match(*, text: str, title: str) -> StoryMatch:
    """The story a new text belongs to; a new story when no stored document is near it."""
    print_ = fingerprint(text)
    closest = _closest_document(print_) if print_ is not None else None
    if closest is None:
        return StoryMatch(story_id=Story.objects.create(title=title[:500]).pk, fingerprint=print_)
    (document_id, story_id), similarity = closest
    if story_id is None:
        story_id = Story.objects.create(title=title[:500]).pk
        Document.objects.filter(pk=document_id).update(story_id=story_id)
    return StoryMatch(
        story_id=story_id,
        fingerprint=print_,
        near_duplicate_of=document_id,
        similarity=similarity,
    )


def document_bands_store(*, document: Document, print_: Fingerprint | None) -> None:
    if print_ is None:
        return
    DocumentBand.objects.bulk_create(
        [DocumentBand(document=document, key=key) for key in print_.band_keys()]
    )


def _closest_document(print_: Fingerprint) -> tuple[tuple[int, int | None], float] | None:
    candidate_ids = list(
        DocumentBand.objects.filter(key__in=print_.band_keys())
        .values("document_id")
        .annotate(shared=Count("id"))
        .order_by("-shared")
        .values_list("document_id", flat=True)[:CANDIDATE_LIMIT]
    )
    if not candidate_ids:
        return None
    rows = Document.objects.filter(pk__in=candidate_ids, fingerprint__isnull=False).values_list(
        "pk", "story_id", "fingerprint"
    )
    candidates = {(pk, story_id): Fingerprint.from_bytes(bytes(fp)) for pk, story_id, fp in rows}
    return best_match(print_, candidates)
