import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.extraction.embeddings import embed
from claims.models import Claim
from claims.tests.factories import ClaimFactory, DocumentFactory
from matching import selectors, services
from matching.models import FactCheck, Match
from reviews import services as review_services
from reviews.models import Rating, Review
from reviews.tests.factories import EvidenceLinkFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def claim_review(claim: str, url: str, rating: str = "False", **extra) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "datePublished": "2025-03-01",
        "claimReviewed": claim,
        "author": {"@type": "Organization", "name": "Harbour Checks"},
        "reviewRating": {"@type": "Rating", "alternateName": rating},
        **extra,
    }


FERRY = claim_review(
    "The ferry company cut its island sailings by half this winter.",
    "https://harbour-checks.example/ferry-sailings",
)
BRIDGE = claim_review(
    "The new toll bridge carried 30,000 cars in its first week.",
    "https://harbour-checks.example/bridge-traffic",
    rating="Mostly true",
)
JOBS = claim_review(
    "The shipyard deal will bring 5,000 new jobs to the harbour district.",
    "https://harbour-checks.example/shipyard-jobs",
)


FIXTURE_ARCHIVE = (
    Path(__file__).resolve().parents[2] / "fixtures" / "factchecks" / "earlier_factchecks.jsonld"
)


def claim_with_text(text: str, **document):
    document = DocumentFactory(text=text, **{"published_at": timezone.now(), **document})
    return ClaimFactory(document=document, embedding=embed([text])[0].tobytes())


def import_files(*paths) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("import_factchecks", *map(str, paths), stdout=out)
    return json.loads(out.getvalue())


def test_import_reads_every_form_and_twice_stores_once(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps(FERRY))
    (tmp_path / "list.json").write_text(json.dumps([BRIDGE, JOBS]))
    (tmp_path / "lines.jsonl").write_text(json.dumps(FERRY) + "\n" + json.dumps(BRIDGE) + "\n")
    (tmp_path / "page.html").write_text(
        '<html><script type="application/ld+json">'
        + json.dumps({"@graph": [JOBS]})
        + "</script></html>"
    )
    vclaim = {
        "vclaim_id": "v-9",
        "vclaim": "Says the lighthouse was sold for one dollar.",
        "title": "No, the lighthouse was not sold for a dollar",
        "speaker": "A blog",
        "date": "stated on May 2, 2024 in a blog post:",
        "truth_label": "false",
        "url": "/factchecks/2024/may/06/blog/lighthouse/",
    }
    (tmp_path / "vclaims.jsonl").write_text(json.dumps(vclaim) + "\n")
    files = sorted(tmp_path.iterdir())

    first = import_files(*files)
    # The list, the single object and the page repeat records of the JSON lines.
    assert first == {"created": 4, "existing": 3, "problems": 0}
    assert FactCheck.objects.count() == 4
    assert import_files(*files) == {"created": 0, "existing": 7, "problems": 0}
    assert FactCheck.objects.count() == 4
    lighthouse = FactCheck.objects.get(claim_text__contains="lighthouse")
    assert lighthouse.publisher == "PolitiFact" and lighthouse.embedding_version


def test_bad_input_names_file_and_line_and_keeps_the_valid_records(tmp_path, capsys):
    bad = tmp_path / "mixed.jsonl"
    bad.write_text(
        json.dumps(FERRY)
        + "\nnot json at all\n"
        + json.dumps({**BRIDGE, "reviewRating": {}})
        + "\n"
        + json.dumps({"@type": "Person", "name": "x"})
        + "\n"
    )
    with pytest.raises(CommandError, match="3 problem"):
        call_command("import_factchecks", str(bad))
    errors = capsys.readouterr().err
    assert f"{bad}:2: not JSON" in errors
    assert f"{bad}:3: ClaimReview has no rating" in errors
    assert f"{bad}:4: not a ClaimReview (Person)" in errors
    assert list(FactCheck.objects.values_list("claim_text", flat=True)) == [FERRY["claimReviewed"]]


def test_an_imported_factcheck_is_suggested_on_a_new_claim(tmp_path, reviewer_client):
    (tmp_path / "archive.json").write_text(json.dumps([FERRY, BRIDGE, JOBS]))
    import_files(tmp_path / "archive.json")
    claim = claim_with_text("The ferry operator has cut island sailings by half this winter.")
    unrelated = claim_with_text("The council will repaint the town hall in spring.")

    services.claim_match(claim_id=claim.pk)
    services.claim_match(claim_id=unrelated.pk)

    [match] = Match.objects.filter(claim=claim)
    assert match.factcheck.url == FERRY["url"]
    assert not Match.objects.filter(claim=unrelated).exists()
    body = reviewer_client.get(f"/api/v1/claims/{claim.pk}/").json()
    [shown] = body["matches"]
    assert shown["rating"] == "False" and shown["publisher"] == "Harbour Checks"
    assert shown["url"] == FERRY["url"] and shown["reviewed_on"] == "2025-03-01"
    assert shown["state"] in ("suggested", "checked_before")


def test_the_index_under_var_is_kept_in_step_and_used_past_its_threshold(tmp_path, settings):
    from matching.ann import load_index

    settings.FACTDESK_MATCH_INDEX_MIN = 1
    (tmp_path / "archive.json").write_text(json.dumps([FERRY, BRIDGE]))
    import_files(tmp_path / "archive.json")
    saved = load_index(settings.FACTDESK_MATCH_INDEX_PATH)
    assert len(saved) == 2
    (tmp_path / "more.json").write_text(json.dumps([JOBS]))
    import_files(tmp_path / "more.json")
    saved = load_index(settings.FACTDESK_MATCH_INDEX_PATH)
    jobs = FactCheck.objects.get(url=JOBS["url"])
    vector = np.frombuffer(bytes(jobs.claim_embedding), dtype=np.float32)
    assert saved.search(vector, 1)[0][0] == jobs.pk

    claim = claim_with_text("The shipyard deal will bring 5,000 new jobs to the harbour district.")
    [match] = services.claim_match(claim_id=claim.pk)
    assert match.factcheck == jobs


def test_the_guard_keeps_a_claim_with_other_figures_apart(tmp_path):
    (tmp_path / "archive.json").write_text(json.dumps([FERRY, BRIDGE, JOBS]))
    import_files(tmp_path / "archive.json")
    same = claim_with_text("The shipyard deal will bring 5,000 new jobs to the harbour district.")
    other_figure = claim_with_text(
        "The shipyard deal will bring 1,200 new jobs to the harbour district."
    )

    services.claim_match(claim_id=same.pk)
    services.claim_match(claim_id=other_figure.pk)

    assert Match.objects.filter(claim=same, factcheck__url=JOBS["url"]).exists()
    assert not Match.objects.filter(claim=other_figure).exists()


def test_an_unrelated_claim_matches_nothing_in_a_small_archive():
    """The re-ranker's rank features are relative: the best of a few unrelated fact-checks still
    ranks first and scores high. The cosine floor keeps such a claim unmatched."""
    import_files(FIXTURE_ARCHIVE)
    unrelated = claim_with_text(
        "The company says only 12 deaths have been confirmed at the plant so far."
    )

    services.claim_match(claim_id=unrelated.pk)

    assert not Match.objects.filter(claim=unrelated).exists()


def test_a_claim_sharing_only_a_town_with_a_small_archive_is_not_suggested_its_checks():
    """A dateline's town is one shared word: in an archive this small the re-ranker still scores
    the port's job figures high for an undated article's fire death toll (0.93 in `make run`);
    the evidence gate does not let it through. The port's own claims still match."""
    import_files(FIXTURE_ARCHIVE)
    fire = claim_with_text(
        "SALTMERE (Coastline Post) - Two days after the fire at the Corlan Chemicals solvent "
        "plant in Dunmere, the company and the government still disagree on the most basic "
        "fact: how many people died.",
        published_at=None,
    )
    port = claim_with_text("The Saltmere port expansion would create 5,000 permanent jobs.")

    services.claim_match(claim_id=fire.pk)
    services.claim_match(claim_id=port.pk)

    assert not Match.objects.filter(claim=fire).exists()
    assert Match.objects.filter(claim=port, factcheck__claim_text__contains="5,000").exists()


@pytest.mark.parametrize("index_min", [20_000, 1], ids=["exact", "index"])
def test_a_vague_claim_is_ranked_with_the_sentence_before_it(
    tmp_path, monkeypatch, settings, index_min
):
    """ "The union says the company made the same promise before" names no promise: alone, the
    ferry check ranks first; read with the sentence before it, the shipyard's jobs check does,
    whether the archive is scanned or searched through its index."""
    settings.FACTDESK_MATCH_INDEX_MIN = index_min
    (tmp_path / "archive.json").write_text(json.dumps([FERRY, BRIDGE, JOBS]))
    import_files(tmp_path / "archive.json")
    before = "The shipyard deal will bring 5,000 new jobs to the harbour district, the mayor said."
    vague = "The union says the company made the same promise before."
    document = DocumentFactory(text=f"{before} {vague}", published_at=timezone.now())
    ClaimFactory(document=document, end=len(before), embedding=embed([before])[0].tobytes())
    claim = ClaimFactory(
        document=document, start=len(before) + 1, embedding=embed([vague])[0].tobytes()
    )
    ranked = []

    def spy(*args, **kwargs):
        found = services_rank(*args, **kwargs)
        ranked.append([archive.ids[c.index] for c in found])
        return found

    services_rank = services.rank
    monkeypatch.setattr(services, "rank", spy)
    archive = selectors.ranking_archive()
    jobs = FactCheck.objects.get(url=JOBS["url"]).pk
    services.claim_match(claim_id=claim.pk)
    assert ranked[-1][0] == jobs

    claim.document.text = vague
    claim.document.save()
    Claim.objects.filter(pk=claim.pk).update(start=0, end=len(vague))
    Claim.objects.exclude(pk=claim.pk).delete()
    services.claim_match(claim_id=claim.pk)
    assert ranked[-1][0] != jobs


def test_the_desks_published_verdict_is_matched_by_a_later_repeat(
    django_capture_on_commit_callbacks, editor
):
    text = "Harbour officials said 12,400 containers passed through the port in October."
    review = ReviewFactory(claim=claim_with_text(text))
    EvidenceLinkFactory(claim=review.claim)
    rating = Rating.objects.order_by("value").first()
    Review.objects.filter(pk=review.pk).update(
        state=Review.State.APPROVED, rating=rating, summary="The port's own table says 11,000."
    )
    review.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        review_services.review_publish(review_id=review.pk, actor=editor, version=review.version)

    archived = FactCheck.objects.get(review=review)
    assert archived.source == FactCheck.Source.DESK and archived.rating == rating.name

    repeat = claim_with_text(
        "Officials at the harbour said 12,400 containers went through the port in October.",
        outlet="Another Outlet",
    )
    services.claim_match(claim_id=repeat.pk)
    [match] = Match.objects.filter(claim=repeat)
    assert match.factcheck == archived
    services.claim_match(claim_id=review.claim_id)
    assert not Match.objects.filter(claim=review.claim, factcheck=archived).exists()


def test_matches_are_decided_by_editors_only(tmp_path, reviewer, editor):
    from factdesk.errors import PermissionDenied

    (tmp_path / "archive.json").write_text(json.dumps([FERRY]))
    import_files(tmp_path / "archive.json")
    # The same words, said days before the fact-check: above FACTDESK_MATCH_AUTO.
    said = datetime(2025, 2, 27, tzinfo=UTC)
    claim = claim_with_text(FERRY["claimReviewed"], published_at=said)
    [match] = services.claim_match(claim_id=claim.pk)
    assert match.state == Match.State.CHECKED_BEFORE
    with pytest.raises(PermissionDenied):
        services.match_decide(match_id=match.pk, actor=reviewer, confirm=True)
    decided = services.match_decide(match_id=match.pk, actor=editor, confirm=False)
    assert decided.state == Match.State.REJECTED and decided.decided_by == editor
    services.claim_match(claim_id=claim.pk)
    assert Match.objects.get(pk=match.pk).state == Match.State.REJECTED


def test_factcheck_api_is_authenticated_paginated_and_searchable(
    tmp_path, reviewer_client, anonymous_client
):
    (tmp_path / "archive.json").write_text(json.dumps([FERRY, BRIDGE, JOBS]))
    import_files(tmp_path / "archive.json")
    assert anonymous_client.get("/api/v1/factchecks/").status_code in (401, 403)
    listed = reviewer_client.get("/api/v1/factchecks/").json()
    assert listed["count"] == 3 and len(listed["results"]) == 3
    found = reviewer_client.get("/api/v1/factchecks/", {"q": "Ferry SAILINGS"}).json()
    assert [r["url"] for r in found["results"]] == [FERRY["url"]]
    assert reviewer_client.get("/api/v1/factchecks/", {"q": "x" * 1000}).status_code == 200


def test_admin_lists_and_searches_the_archive_and_the_review_page_shows_matches(
    tmp_path, admin_client_logged_in
):
    (tmp_path / "archive.json").write_text(json.dumps([FERRY, BRIDGE]))
    import_files(tmp_path / "archive.json")
    page = admin_client_logged_in.get("/admin/matching/factcheck/", {"q": "bridge"})
    assert page.status_code == 200
    assert b"toll bridge" in page.content and b"ferry company" not in page.content
    review = ReviewFactory(claim=claim_with_text(FERRY["claimReviewed"]))
    services.claim_match(claim_id=review.claim_id)
    page = admin_client_logged_in.get(f"/admin/reviews/review/{review.pk}/change/")
    assert b"Checked before" in page.content and FERRY["url"].encode() in page.content
