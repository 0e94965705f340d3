"""Reads of documents and claims, with the joins each screen needs."""

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet

from claims.actors import story_sides
from claims.extraction import disputes as dispute_detection
from claims.extraction.cleaning import find_debris
from claims.extraction.sentences import split_sentences
from claims.models import (
    CLAIM_FIELDS,
    Actor,
    Claim,
    ClaimCluster,
    Dispute,
    Document,
    DocumentFetch,
    Story,
)

# Lists never load the article bodies; detail pages load the text but never the raw HTML.
DOCUMENT_LIST_DEFERRED = ("raw_html", "text", "fingerprint")
CLAIM_LIST_FIELDS = ("id", "document_id", "actor_id", *CLAIM_FIELDS)


def document_list() -> QuerySet[Document]:
    return (
        Document.objects.defer(*DOCUMENT_LIST_DEFERRED)
        .select_related("source")
        .annotate(claim_count=Count("claims"))
        .order_by("-created_at", "-id")
    )


def document_detail_queryset() -> QuerySet[Document]:
    return Document.objects.defer("raw_html", "fingerprint").prefetch_related(
        Prefetch("claims", queryset=Claim.objects.only(*CLAIM_LIST_FIELDS).order_by("start"))
    )


def claim_list() -> QuerySet[Claim]:
    """Claims with their document, actor and disputes (and the claims of each dispute)."""
    return (
        Claim.objects.only(
            *CLAIM_LIST_FIELDS,
            "document__title",
            "document__outlet",
            "document__story_id",
            "actor__name",
            "actor__kind",
        )
        .select_related("document", "actor")
        .prefetch_related(
            Prefetch(
                "disputes",
                queryset=Dispute.objects.only("id", "kind", "detail", "state").prefetch_related(
                    Prefetch("claims", queryset=Claim.objects.only("id").order_by("id"))
                ),
            )
        )
        .order_by("-score", "id")
    )


def claim_embeddings(*, version: str) -> QuerySet[Claim]:
    """(id, embedding) of the claims whose vectors are of `version`, the only ones comparable.

    Pass `claims.extraction.embeddings.embedding_version()` for vectors comparable with new ones.
    """
    return Claim.objects.filter(embedding_version=version, embedding__isnull=False).values_list(
        "id", "embedding"
    )


def claims_near(*, claim: Claim, window: int) -> list[Claim]:
    """The other claims of the claim's document (same extraction) whose sentence is within
    `window` sentences of its own, nearest first (the earlier first on a tie): the context that
    tells what "They vote twice." is about."""
    if window <= 0:
        return []
    text = Document.objects.values_list("text", flat=True).get(pk=claim.document_id)
    starts = [span.start for span in split_sentences(text, find_debris(text))]

    def sentence_of(offset: int) -> int:
        return bisect_right(starts, offset) - 1

    here = sentence_of(claim.start)
    others = (
        Claim.objects.filter(
            document_id=claim.document_id, extractor_version=claim.extractor_version
        )
        .exclude(pk=claim.pk)
        .only("id", "document_id", "text", "start", "embedding", "embedding_version")
    )
    near = [(abs(sentence_of(other.start) - here), other.start, other) for other in others]
    return [other for distance, _, other in sorted(near) if distance <= window]


def document_at_url(*, url: str, canonical_url: str) -> Document | None:
    """The stored document fetched from `url` or known by `canonical_url`."""
    at_url = Q(url=url)
    if canonical_url:
        at_url |= Q(canonical_url=canonical_url)
    return Document.objects.filter(at_url).defer(*DOCUMENT_LIST_DEFERRED).first()


def document_fetch_detail() -> QuerySet[DocumentFetch]:
    return DocumentFetch.objects.all()


CLUSTER_APPEARANCE_FIELDS = (
    "id",
    "cluster_id",
    "text",
    "speaker",
    "start",
    "document_id",
    "document__id",
    "document__title",
    "document__url",
    "document__outlet",
    "document__published_at",
    "document__created_at",
)
# The fact-check archive (matching) stores its matches on claims as `factcheck_matches`, each
# with its `factcheck`; claims reads them through that relation without importing the app.
CLAIM_MATCHES = "factcheck_matches"


def cluster_detail_queryset() -> QuerySet[ClaimCluster]:
    appearances = (
        Claim.objects.select_related("document")
        .only(*CLUSTER_APPEARANCE_FIELDS)
        .order_by("document__published_at", "document_id", "start")
    )
    return ClaimCluster.objects.prefetch_related(
        Prefetch("claims", queryset=appearances, to_attr="appearances")
    )


def cluster_matches(*, cluster_id: int | None, claim_id: int | None = None) -> list:
    """The archived fact-checks matched to any claim of the cluster (or to the one claim, when
    it has no cluster), best first, one row per fact-check, an editor's rejections left out.
    Empty when no installed app keeps a fact-check archive."""
    relation = next(
        (r for r in Claim._meta.related_objects if r.get_accessor_name() == CLAIM_MATCHES), None
    )
    if relation is None:
        return []
    rows = relation.related_model.objects.exclude(state="rejected").select_related("factcheck")
    if cluster_id is not None:
        rows = rows.filter(claim__cluster_id=cluster_id)
    else:
        rows = rows.filter(claim_id=claim_id)
    best = {}
    for match in rows.order_by("-score", "id"):
        best.setdefault(match.factcheck_id, match)
    return list(best.values())


def cluster_list() -> QuerySet[ClaimCluster]:
    return ClaimCluster.objects.order_by("-created_at", "-id")


# Stories: their documents, actors by side, disputes and figures, in a fixed number of queries.

# Claims listed under each side of a story page; the rest are counted.
SIDE_CLAIMS_SHOWN = 25
FIGURE_ROWS_SHOWN = 300


@dataclass
class StoryActor:
    id: int
    name: str
    kind: str
    role: str
    affiliation: str
    side: int
    claim_count: int = 0


@dataclass
class StorySide:
    number: int
    label: str
    actors: list[StoryActor] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    claim_count: int = 0


@dataclass(frozen=True)
class FigureRow:
    thing: str
    figure: str
    said_by: str
    side: int
    claim_id: int
    outlet: str
    sort_value: float


@dataclass
class StoryDetail:
    story: Story
    documents: list[Document]
    sides: list[StorySide]
    actors: list[StoryActor]
    unresolved: list[Claim]
    disputes: list[Dispute]
    figures: list[FigureRow]
    claim_count: int


def story_list() -> QuerySet[Story]:
    return Story.objects.annotate(
        document_count=Count("documents", distinct=True),
        outlet_count=Count("documents__outlet", distinct=True),
        first_published=Min("documents__published_at"),
        last_published=Max("documents__published_at"),
    ).order_by("-created_at", "-id")


def story_detail(*, story_id: int) -> StoryDetail:
    """Everything the story page and `GET /api/v1/stories/{id}/` show, in five queries."""
    story = Story.objects.get(pk=story_id)
    documents = list(
        Document.objects.filter(story=story)
        .only("id", "story_id", "title", "outlet", "url", "published_at", "undated", "created_at")
        .order_by(F("published_at").asc(nulls_last=True), "created_at", "id")
    )
    outlets = {document.pk: document.outlet for document in documents}
    claims = list(
        Claim.objects.filter(document__story=story)
        .select_related("actor__affiliation")
        .only(
            "id",
            "document_id",
            "text",
            "start",
            "speaker",
            "speaker_kind",
            "score",
            "figures",
            "actor__id",
            "actor__name",
            "actor__kind",
            "actor__role",
            "actor__affiliation__id",
            "actor__affiliation__name",
        )
        .order_by("-score", "id")
    )
    disputes = list(Dispute.objects.filter(story=story).order_by("state", "kind", "id"))
    links: dict[int, list[int]] = defaultdict(list)
    for dispute_id, claim_id in (
        Dispute.claims.through.objects.filter(dispute__story=story)
        .order_by("id")
        .values_list("dispute_id", "claim_id")
    ):
        links[dispute_id].append(claim_id)
    for dispute in disputes:
        dispute.claim_ids = links[dispute.pk]
    by_id = {claim.pk: claim for claim in claims}
    unit_of = story_sides(claim.actor for claim in claims if claim.actor_id is not None)
    actors, side_of_unit = _story_actors(claims, disputes, by_id, unit_of)
    return StoryDetail(
        story=story,
        documents=documents,
        sides=_story_sides(claims, actors, side_of_unit, unit_of),
        actors=sorted(actors.values(), key=lambda a: (a.side == 0, a.side, -a.claim_count)),
        unresolved=[claim for claim in claims if claim.actor_id is None],
        disputes=disputes,
        figures=_figure_rows(claims, side_of_unit, outlets, unit_of),
        claim_count=len(claims),
    )


def _story_actors(
    claims: list[Claim],
    disputes: list[Dispute],
    by_id: dict[int, Claim],
    unit_of: dict[int, Actor],
) -> tuple[dict[int, StoryActor], dict[int, int]]:
    units = {unit.pk for unit in unit_of.values()}
    oppositions = []
    for dispute in disputes:
        if dispute.state == Dispute.State.DISMISSED:
            continue
        disputed = [by_id[pk] for pk in dispute.claim_ids if pk in by_id]
        oppositions += _oppositions(dispute, disputed, unit_of)
    side_of_unit = dispute_detection.sides_of(sorted(units), oppositions)
    actors: dict[int, StoryActor] = {}
    for claim in claims:
        if claim.actor_id is None:
            continue
        actor = claim.actor
        if actor.pk not in actors:
            actors[actor.pk] = StoryActor(
                id=actor.pk,
                name=actor.name,
                kind=actor.kind,
                role=actor.role,
                affiliation=actor.affiliation.name if actor.affiliation_id else "",
                side=side_of_unit[unit_of[actor.pk].pk],
            )
        actors[actor.pk].claim_count += 1
    return actors, side_of_unit


def _oppositions(
    dispute: Dispute, claims: list[Claim], unit_of: dict[int, Actor]
) -> list[tuple[int, int]]:
    """Pairs of sides a dispute sets against each other."""
    units = [unit_of[claim.actor_id].pk for claim in claims if claim.actor_id is not None]
    if dispute.kind == Dispute.Kind.DENIAL and claims:
        denier = claims[0]
        if denier.actor_id is None:
            return []
        return [(unit_of[denier.actor_id].pk, unit) for unit in units[1:]]
    if dispute.kind == Dispute.Kind.FIGURES:
        bounds = {
            (unit_of[claim.actor_id].pk, dispute_detection.figure_bounds(figure))
            for claim in claims
            if claim.actor_id is not None
            for figure in claim.figures
            if dispute_detection.counted_thing(claim.text, _within(figure, claim.start))
        }
        return list(
            {
                (first, second)
                for (first, a), (second, b) in combinations(sorted(bounds, key=str), 2)
                if first != second and a and b and not a.overlaps(b)
            }
        )
    return list(combinations(units, 2))


def _within(figure: dict, offset: int) -> dict:
    return figure | {"start": figure.get("start", 0) - offset}


def _story_sides(
    claims: list[Claim],
    actors: dict[int, StoryActor],
    side_of_unit: dict[int, int],
    unit_of: dict[int, Actor],
) -> list[StorySide]:
    sides: dict[int, StorySide] = {}
    for claim in claims:
        if claim.actor_id is None:
            continue
        number = side_of_unit[unit_of[claim.actor_id].pk]
        side = sides.setdefault(number, StorySide(number=number, label=""))
        side.claim_count += 1
        if len(side.claims) < SIDE_CLAIMS_SHOWN:
            side.claims.append(claim)
    for actor in actors.values():
        sides[actor.side].actors.append(actor)
    for side in sides.values():
        side.actors.sort(key=lambda a: -a.claim_count)
        organisations = [a for a in side.actors if a.kind == Actor.Kind.ORGANIZATION]
        lead = (organisations or side.actors)[0].name
        side.label = "Not in a dispute" if side.number == 0 else f"{lead} and its side"
    return sorted(sides.values(), key=lambda side: (side.number == 0, side.number))


def _figure_rows(
    claims: list[Claim],
    side_of_unit: dict[int, int],
    outlets: dict[int, str],
    unit_of: dict[int, Actor],
) -> list[FigureRow]:
    rows = []
    for claim in claims:
        for figure in claim.figures:
            thing = dispute_detection.counted_thing(claim.text, _within(figure, claim.start))
            bounds = dispute_detection.figure_bounds(figure)
            if thing is None or bounds is None:
                continue
            _, unit, outcome, noun = thing
            said_by = claim.actor.name if claim.actor_id else "unresolved speaker"
            rows.append(
                FigureRow(
                    thing=" ".join(part for part in (unit, noun, outcome) if part),
                    figure=figure.get("text", ""),
                    said_by=said_by,
                    side=side_of_unit[unit_of[claim.actor_id].pk] if claim.actor_id else 0,
                    claim_id=claim.pk,
                    outlet=outlets.get(claim.document_id, ""),
                    sort_value=bounds.low if bounds.low != float("-inf") else bounds.high,
                )
            )
    rows.sort(key=lambda row: (row.thing, row.sort_value, row.claim_id))
    return rows[:FIGURE_ROWS_SHOWN]


def actor_list() -> QuerySet[Actor]:
    return (
        Actor.objects.filter(merged_into__isnull=True)
        .select_related("affiliation")
        .annotate(claim_count=Count("claims"))
        .order_by("name", "id")
    )
