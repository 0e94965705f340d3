"""The public fact-check pages: one HTML page per published verdict, with its ClaimReview
JSON-LD as search engines read it, and the list of them. Drafts are not found (404)."""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

from claims.readable import claim_speaker_text
from reviews import claimreview, selectors
from reviews.models import Review

PAGE_SIZE = 20
DEFAULT_PUBLIC_PATH = "fact-checks/{id}"

# Inside <script> only "</script>" (and "<!--") could end the element early; escaping <, > and &
# as JSON unicode escapes keeps the data identical for a JSON parser.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_script(data: dict) -> SafeString:
    """`<script type="application/ld+json">` whose content cannot close the element."""
    payload = json.dumps(data, ensure_ascii=False, indent=2).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


def public_route() -> str:
    """The URL pattern of a fact-check page: the path of FACTDESK_PUBLIC_URL_TEMPLATE
    ("https://desk.example/fact-checks/{id}" -> "fact-checks/<int:review_id>")."""
    path = urlsplit(settings.FACTDESK_PUBLIC_URL_TEMPLATE).path.strip("/")
    if path.count("{id}") != 1:
        path = DEFAULT_PUBLIC_PATH
    return path.replace("{id}", "<int:review_id>")


def factcheck_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        review = selectors.published_review_get(review_id=review_id)
    except Review.DoesNotExist as missing:
        raise Http404("No published fact-check here.") from missing
    evidence = selectors.review_evidence(review=review)
    data = claimreview.claim_review_jsonld(review=review)
    return render(
        request,
        "reviews/public/factcheck.html",
        {
            "review": review,
            "claim": review.claim,
            "speaker": claim_speaker_text(review.claim),
            "appearances": selectors.review_appearances(review=review),
            "evidence": evidence,
            "jsonld": jsonld_script(data),
            "canonical_url": data["url"],
            "organization": settings.FACTDESK_ORGANIZATION_NAME,
        },
    )


def factcheck_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_reviews(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/public/index.html",
        {"page": page, "organization": settings.FACTDESK_ORGANIZATION_NAME},
    )
