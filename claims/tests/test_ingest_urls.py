import pytest

from claims.ingest.urls import canonicalize_url, trusted_canonical


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Example.ORG:443/a/b#comments", "https://news.example.org/a/b"),
        ("http://news.example.org:80", "http://news.example.org/"),
        ("http://news.example.org:8080/x", "http://news.example.org:8080/x"),
        (
            "https://n.example/a?utm_source=tw&b=2&fbclid=XYZ&a=1&gclid=1&UTM_Medium=s",
            "https://n.example/a?a=1&b=2",
        ),
        ("https://n.example/a?z=&y=1", "https://n.example/a?y=1&z="),
        ("https://n.example./story/", "https://n.example/story/"),
        ("  https://n.example/a  ", "https://n.example/a"),
        ("mailto:desk@n.example", "mailto:desk@n.example"),
    ],
)
def test_canonical_urls(url, canonical) -> None:
    assert canonicalize_url(url) == canonical


def test_the_same_page_linked_differently_has_one_canonical_url() -> None:
    spellings = [
        "https://N.example/story?id=7&utm_campaign=x",
        "https://n.example:443/story?id=7#top",
        "https://n.example/story?mc_cid=1&id=7",
    ]

    assert {canonicalize_url(u) for u in spellings} == {"https://n.example/story?id=7"}


@pytest.mark.parametrize(
    ("canonical", "page_url", "trusted"),
    [
        ("https://n.example/a", "https://www.n.example/a?utm_source=x", "https://n.example/a"),
        ("http://127.0.0.1/a1.html", "http://127.0.0.1:8000/a1.html", "http://127.0.0.1/a1.html"),
        ("https://wire.example/original", "https://gazette.example/copy", ""),
        ("https://n.example/", "https://n.example/news/story", ""),
        ("https://n.example/", "https://n.example/", "https://n.example/"),
        ("https://n.example/a", "", "https://n.example/a"),
    ],
)
def test_a_canonical_link_is_believed_only_on_the_same_site(canonical, page_url, trusted) -> None:
    assert trusted_canonical(canonical, page_url=page_url) == trusted
