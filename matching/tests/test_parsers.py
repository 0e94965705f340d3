import json

from matching.archive.parsers import parse_file

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://checks.example/ferry-fares",
    "datePublished": "2025-05-02",
    "headline": "Ferry fares did not double",
    "claimReviewed": "Ferry fares to the islands doubled last year.",
    "author": {"@type": "Organization", "name": "Island Checks"},
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Mara Quist"},
        "datePublished": "2025-04-20",
    },
    "reviewRating": {"@type": "Rating", "ratingValue": 1, "alternateName": "False"},
}


def other(**changes) -> dict:
    return {**REVIEW, "url": "https://checks.example/other", **changes}


def test_one_object_gives_every_field():
    found, problems = parse_file("one.json", json.dumps(REVIEW))
    assert problems == []
    [record] = found
    assert record.claim_text == "Ferry fares to the islands doubled last year."
    assert record.rating == "False"
    assert record.publisher == "Island Checks"
    assert record.speaker == "Mara Quist"
    assert str(record.reviewed_on) == "2025-05-02"
    assert str(record.claim_date) == "2025-04-20"
    assert record.title == "Ferry fares did not double"


def test_a_list_reports_the_line_of_the_item_that_is_not_a_claimreview():
    text = "[\n" + json.dumps(REVIEW) + ",\n" + json.dumps({"@type": "NewsArticle"}) + "\n]"
    found, problems = parse_file("list.json", text)
    assert [r.line for r in found] == [2]
    assert [(p.file, p.line) for p in problems] == [("list.json", 3)]
    assert "not a ClaimReview (NewsArticle)" in str(problems[0])


def test_json_lines_keep_the_good_lines_and_name_the_bad_ones():
    lines = [
        json.dumps(REVIEW),
        "{this is not json",
        json.dumps(other(claimReviewed="")),
        json.dumps(other(reviewRating={"@type": "Rating"})),
        json.dumps(other(url="https://checks.example/third")),
    ]
    found, problems = parse_file("feed.jsonl", "\n".join(lines))
    assert len(found) == 2
    assert [p.line for p in problems] == [2, 3, 4]
    assert "not JSON" in problems[0].message
    assert "no claim text" in problems[1].message
    assert "no rating" in problems[2].message


def test_html_pages_with_a_graph_and_a_numeric_rating():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "name": "A page"},
            other(reviewRating={"@type": "Rating", "ratingValue": 2, "bestRating": 5}),
        ],
    }
    page = (
        "<html><head><title>x</title>\n"
        '<script type="application/ld+json">\n' + json.dumps(graph) + "\n</script>\n"
        "<script type='application/ld+json'>{broken</script></head><body></body></html>"
    )
    found, problems = parse_file("page.html", page)
    assert [r.rating for r in found] == ["2/5"]
    assert len(problems) == 2  # the WebPage, and the broken script on line 5
    assert any(p.line == 5 and "not JSON" in p.message for p in problems)


def test_vclaims_json_lines():
    row = {
        "vclaim_id": "v-1",
        "vclaim": "Says the bridge toll rose by 40%.",
        "title": "Toll rose by 25%, not 40%",
        "speaker": "Ola Brandt",
        "date": "stated on March 3, 2021 in a speech:",
        "truth_label": "half-true",
        "url": "/factchecks/2021/mar/09/ola-brandt/bridge-toll/",
    }
    [record], problems = parse_file("vclaims.jsonl", json.dumps(row) + "\n")
    assert problems == []
    assert record.rating == "half-true"
    assert record.url.startswith("https://") and record.publisher == "PolitiFact"
    assert str(record.claim_date) == "2021-03-03" and str(record.reviewed_on) == "2021-03-09"


def test_the_key_ignores_case_and_spacing_of_the_claim_but_not_its_source():
    first = parse_file("a.json", json.dumps(REVIEW))[0][0]
    spaced = parse_file(
        "b.json",
        json.dumps({**REVIEW, "claimReviewed": "  ferry fares to the islands  DOUBLED last year."}),
    )[0][0]
    elsewhere = parse_file("c.json", json.dumps(other()))[0][0]
    assert first.key == spaced.key
    assert first.key != elsewhere.key


def test_a_file_that_is_not_json_is_one_clear_problem():
    found, problems = parse_file("notes.txt", "just some words\n")
    assert found == []
    assert [(p.file, p.line) for p in problems] == [("notes.txt", 1)]
