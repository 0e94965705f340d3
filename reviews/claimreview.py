"""schema.org ClaimReview (the markup search engines read) for a published review."""

from django.conf import settings
from django.db.models import Max, Min

from claims.models import Claim, Document
from reviews import selectors
from reviews.models import Rating, Review


def rating_bounds() -> tuple[int, int]:
    """(worst, best) values of the desk's scale."""
    bounds = Rating.objects.aggregate(worst=Min("value"), best=Max("value"))
    return bounds["worst"] or 1, bounds["best"] or 1


def claim_review_jsonld(*, review: Review) -> dict:
    appearances = list(selectors.review_appearances(review=review))
    return _claim_review(review=review, appearances=appearances, bounds=rating_bounds())


def claim_reviews_jsonld(*, reviews: list[Review]) -> list[dict]:
    """Many ClaimReviews with a fixed number of queries, whatever their number."""
    appearances = selectors.appearances_by_fingerprint(
        fingerprints={review.fingerprint for review in reviews}
    )
    bounds = rating_bounds()
    return [
        _claim_review(
            review=review, appearances=appearances.get(review.fingerprint, []), bounds=bounds
        )
        for review in reviews
    ]


def _claim_review(*, review: Review, appearances: list[Document], bounds: tuple[int, int]) -> dict:
    worst, best = bounds
    claim = review.claim
    first_seen = min(
        (_document_date(document) for document in appearances),
        default=_document_date(claim.document),
    )
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": settings.FACTDESK_PUBLIC_URL_TEMPLATE.format(id=review.pk),
        "datePublished": review.published_at.date().isoformat(),
        "claimReviewed": claim.text,
        "author": {
            "@type": "Organization",
            "name": settings.FACTDESK_ORGANIZATION_NAME,
            "url": settings.FACTDESK_ORGANIZATION_URL,
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": review.rating.value,
            "bestRating": best,
            "worstRating": worst,
            "alternateName": review.rating.name,
        },
        "reviewBody": review.summary,
        "itemReviewed": {
            "@type": "Claim",
            "author": _speaker(claim),
            "datePublished": first_seen.date().isoformat(),
            "appearance": [_appearance(document) for document in appearances],
        },
    }


def _speaker(claim: Claim) -> dict:
    if claim.speaker_kind == Claim.SpeakerKind.PERSON and claim.speaker:
        speaker = {"@type": "Person", "name": claim.speaker}
        if claim.speaker_role:
            speaker["jobTitle"] = claim.speaker_role
        return speaker
    name = claim.speaker if claim.speaker_kind == Claim.SpeakerKind.ORGANIZATION else ""
    return {"@type": "Organization", "name": name or claim.document.outlet or "Unknown"}


def _appearance(document: Document) -> dict:
    appearance = {
        "@type": "CreativeWork",
        "url": document.canonical_url or document.url,
        "headline": document.title,
        "datePublished": _document_date(document).date().isoformat(),
    }
    if document.outlet:
        appearance["publisher"] = {"@type": "Organization", "name": document.outlet}
    return appearance


def _document_date(document: Document):
    return document.published_at or document.created_at
