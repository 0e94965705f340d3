"""Search over claims and documents that ranks results and tolerates spelling, transliteration
and accents ("Abu Kamal", "Al Bukamal", "Albukamal"; "Konashenkov", "Konashenkova").

Candidates come from the database, then every candidate is scored the same way in Python
(`folding.word_similarity`: the share of the query's character trigrams the text holds, words
also read joined) and ranked by score, then recency:

- On PostgreSQL: full-text search (`websearch_to_tsquery`, English) or pg_trgm word similarity
  over the trigram GIN indexes that migration claims 0007 creates, best first.
- On SQLite (the embedded default): rows whose text contains a four-letter piece of a query
  word (case-insensitive `LIKE`), plus the newest rows, `FACTDESK_SEARCH_CANDIDATES` at most.

Apps downstream (the fact-check archive) add their own types with `search_register`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from claims.extraction.folding import text_trigrams, tokens, word_similarity
from claims.models import Claim, Document
from factdesk.errors import ValidationFailed

MAX_QUERY_CHARS = 200
# As pg_trgm's default word_similarity_threshold.
MIN_SCORE = 0.6
_PIECE = 4
_MAX_PIECES = 12
_PG_TRIGRAM_FLOOR = 0.3
# A document is scored on its title and the first part of its text (the lede and more).
DOCUMENT_HEAD_CHARS = 3000


@dataclass(frozen=True)
class Hit:
    type: str
    id: int
    score: float
    title: str
    text: str
    url: str = ""


Searcher = Callable[[str, int], list[Hit]]
_SEARCHERS: dict[str, Searcher] = {}


def search_register(type_name: str, searcher: Searcher) -> None:
    """A downstream app adds a type to `search` (called from its AppConfig.ready)."""
    _SEARCHERS[type_name] = searcher


def search_types() -> list[str]:
    return sorted(_SEARCHERS)


def search(*, query: str, type_name: str, limit: int = 20) -> list[Hit]:
    """The best `limit` hits of one type for a query, best first."""
    query = clean_query(query)
    if type_name not in _SEARCHERS:
        raise ValidationFailed(
            f"Unknown type {type_name!r}; search one of: {', '.join(search_types())}."
        )
    return _SEARCHERS[type_name](query, limit)


def clean_query(query: str) -> str:
    query = " ".join((query or "").split())
    if not query or not tokens(query):
        raise ValidationFailed("Give something to search for (q).")
    if len(query) > MAX_QUERY_CHARS:
        raise ValidationFailed(
            f"The query has {len(query)} characters; at most {MAX_QUERY_CHARS} are searched."
        )
    return query


def rank(query: str, rows: list, text_of: Callable, limit: int) -> list[tuple[float, object]]:
    """Scores rows by how much of the query their text holds; best first, newest on a tie."""
    scored = []
    for row in rows:
        score = word_similarity(query, text_trigrams(text_of(row)))
        if score >= MIN_SCORE:
            scored.append((round(score, 4), row))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    return scored[:limit]


def candidates(queryset: QuerySet, query: str, fields: tuple[str, ...]) -> list:
    """Rows that may match, from the database's own text search; bounded."""
    cap = settings.FACTDESK_SEARCH_CANDIDATES
    if connection.vendor == "postgresql":
        return _postgres_candidates(queryset, query, fields, cap)
    pieces = _pieces(query)
    matches = Q()
    for field in fields:
        for piece in pieces:
            matches |= Q(**{f"{field}__icontains": piece})
    found = list(queryset.filter(matches).order_by("-pk")[:cap]) if pieces else []
    seen = {row.pk for row in found}
    recent = [row for row in queryset.order_by("-pk")[: cap // 4] if row.pk not in seen]
    return found + recent


def _pieces(query: str) -> list[str]:
    pieces: list[str] = []
    words = tokens(query)
    for word in [*words, "".join(words)]:
        for start in range(0, max(1, len(word) - _PIECE + 1), 2):
            piece = word[start : start + _PIECE]
            if len(piece) >= 3 and piece not in pieces:
                pieces.append(piece)
    return pieces[:_MAX_PIECES]


def _postgres_candidates(queryset: QuerySet, query: str, fields: tuple[str, ...], cap: int):
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchVector,
        TrigramWordSimilarity,
    )
    from django.db.models.functions import Greatest

    similarity = [TrigramWordSimilarity(query, field) for field in fields]
    best = similarity[0] if len(similarity) == 1 else Greatest(*similarity)
    found = (
        queryset.annotate(
            trigram=best,
            fulltext=SearchVector(*fields, config="english"),
        )
        .filter(
            Q(trigram__gte=_PG_TRIGRAM_FLOOR)
            | Q(fulltext=SearchQuery(query, config="english", search_type="websearch"))
        )
        .order_by("-trigram", "-pk")[:cap]
    )
    return list(found)


# Claims and documents


def search_claims(query: str, limit: int) -> list[Hit]:
    rows = candidates(
        Claim.objects.select_related("document").only(
            "id", "text", "speaker", "document__id", "document__title", "document__outlet"
        ),
        query,
        ("text", "speaker"),
    )
    return [
        Hit("claim", claim.pk, score, claim.document.title, claim.text)
        for score, claim in rank(query, rows, lambda c: f"{c.text} {c.speaker}", limit)
    ]


def search_documents(query: str, limit: int) -> list[Hit]:
    rows = candidates(
        Document.objects.only("id", "title", "outlet", "url", "author", "text"),
        query,
        ("title", "text"),
    )
    return [
        Hit("document", document.pk, score, document.title, document.outlet, document.url)
        for score, document in rank(query, rows, _document_words, limit)
    ]


def _document_words(document: Document) -> str:
    """What a document is found by: its title, outlet, author and the start of its text."""
    head = document.text[:DOCUMENT_HEAD_CHARS]
    return f"{document.title} {document.outlet} {document.author} {head}"


search_register("claim", search_claims)
search_register("document", search_documents)
