import json
from pathlib import Path

from claims.ingest.files import expand_paths, read_file
from claims.ingest.records import ArticleRecord, LinkToFetch, ReadFailure

TEXT_ARTICLE = """Title: Tram vote delayed again
Outlet: Northside Post
URL: https://post.example/tram
Date: 2024-05-14
Author: Jo Park

The council postponed its tram vote after engineers raised doubts about cable costs.

The mayor said the budget of 380 million had not changed.
"""


def read_all(path: Path) -> list:
    return list(read_file(path))


def test_text_file_with_header(tmp_path) -> None:
    path = tmp_path / "tram.txt"
    path.write_text(TEXT_ARTICLE)

    (record,) = read_all(path)

    assert record == ArticleRecord(
        origin=str(path),
        text=(
            "The council postponed its tram vote after engineers raised doubts about cable costs."
            "\n\nThe mayor said the budget of 380 million had not changed."
        ),
        title="Tram vote delayed again",
        url="https://post.example/tram",
        outlet="Northside Post",
        author="Jo Park",
        published_at=record.published_at,
        date_source="header",
    )
    assert record.published_at.isoformat() == "2024-05-14T00:00:00+00:00"


def test_text_file_without_header_takes_its_first_line_as_title(tmp_path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Update: ferry times change\nFrom Monday the first ferry leaves at six.\n")

    (record,) = read_all(path)

    assert record.title == "Update: ferry times change"
    # the title is not the article's first sentence
    assert record.text == "From Monday the first ferry leaves at six."


def test_text_with_a_byte_order_mark_is_decoded(tmp_path) -> None:
    path = tmp_path / "utf16.txt"
    text = "Title: Der Hafen\n\nDer Hafen meldete für Oktober über 1.200 Container mehr."
    path.write_bytes(text.encode("utf-16"))

    (record,) = read_all(path)

    assert "für Oktober über" in record.text


def test_text_not_in_utf8_is_a_failure_with_the_path_and_reason(tmp_path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Title: Café\n\nPrices rose.".encode("latin-1"))

    (failure,) = read_all(path)

    assert failure == ReadFailure(
        str(path), "not UTF-8 text (invalid continuation byte at byte 10)"
    )


def test_empty_text_file_is_a_failure(tmp_path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("Title: Nothing\n\n   \n")

    assert read_all(path) == [ReadFailure(str(path), "no article text after the header")]


def test_html_file(tmp_path) -> None:
    path = tmp_path / "page.html"
    body = " ".join(["The harbour handled more containers than ever before in October."] * 4)
    path.write_text(
        "<html><head><title>Harbour record</title>"
        '<link rel="canonical" href="https://h.example/record"></head>'
        f"<body><nav>Home | Sport</nav><article><p>{body}</p></article></body></html>"
    )

    (record,) = read_all(path)

    assert record.text == body
    assert record.canonical_url == "https://h.example/record"
    assert record.url == "https://h.example/record"
    assert "<nav>" in record.raw_html


def test_html_file_without_article_is_a_failure(tmp_path) -> None:
    path = tmp_path / "index.html"
    path.write_text("<html><body><nav>Home | News</nav></body></html>")

    (failure,) = read_all(path)

    assert isinstance(failure, ReadFailure)
    assert "no article text" in failure.reason


def test_json_export_list_with_a_bad_object(tmp_path) -> None:
    path = tmp_path / "export.json"
    articles = [
        {"text": "First body.", "title": "One", "url": "https://e.example/1", "outlet": "E"},
        {"title": "No text here"},
        {"body": "Second body.", "headline": "Two", "published_at": "2024-02-03T10:00:00+01:00"},
    ]
    path.write_text(json.dumps({"articles": articles}))

    first, failure, second = read_all(path)

    assert (first.title, first.text, first.outlet) == ("One", "First body.", "E")
    assert failure == ReadFailure(f"{path}[2]", "no text")
    assert second.title == "Two"
    assert second.published_at.isoformat() == "2024-02-03T10:00:00+01:00"


def test_jsonl_export_with_a_broken_line(tmp_path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text('{"text": "A body.", "title": "A"}\n{not json\n\n[1, 2]\n{"text": "B body."}\n')

    items = read_all(path)

    assert [type(i).__name__ for i in items] == [
        "ArticleRecord",
        "ReadFailure",
        "ReadFailure",
        "ArticleRecord",
    ]
    assert items[1].origin == f"{path}:2"
    assert items[1].reason.startswith("invalid JSON")
    assert items[2] == ReadFailure(f"{path}:4", "not a JSON object")


def test_invalid_json_file_is_one_failure(tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{")

    (failure,) = read_all(path)

    assert failure.reason.startswith("invalid JSON")


def test_feed_file_gives_links_to_fetch(tmp_path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
        "<item><title>A</title><link>https://f.example/a</link></item></channel></rss>"
    )

    assert read_all(path) == [
        LinkToFetch(origin="https://f.example/a", url="https://f.example/a", title="A", outlet="F")
    ]


def test_malformed_feed_file_is_a_failure(tmp_path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<rss><channel><title>x")

    (failure,) = read_all(path)

    assert isinstance(failure, ReadFailure)


def test_unsupported_and_missing_files_are_failures(tmp_path) -> None:
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF")

    assert read_all(pdf) == [ReadFailure(str(pdf), "unsupported file type .pdf")]
    assert read_all(tmp_path / "gone.txt")[0].reason.startswith("cannot read")


def test_directories_expand_to_supported_files_in_order(tmp_path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "a.html", "b/1.jsonl", "skip.pdf", "c.xml"):
        (tmp_path / name).write_text("x")

    found = list(expand_paths([tmp_path]))

    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.html",
        "b/1.jsonl",
        "b/2.txt",
        "c.xml",
    ]
