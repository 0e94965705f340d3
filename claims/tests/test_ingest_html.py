import pytest

from claims.ingest.html import ArticleNotFound, canonical_link, fragment_text, html_to_article

ARTICLE_PAGE = """<!doctype html>
<html lang="en"><head>
<title>Ferry fares to rise by a fifth, operator says | Coastline Herald</title>
<meta property="og:site_name" content="Coastline Herald">
<meta name="author" content="Priya Vance">
<meta property="article:published_time" content="2024-03-05T08:30:00Z">
<link rel="canonical" href="/news/ferry-fares?utm_source=rss">
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
<button>Accept all cookies</button></div>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Ferry fares to rise by a fifth, operator says</h1>
<p>The island ferry operator said on Monday that return fares would rise by 20 percent from
April, the largest increase since the route opened in 1998.</p>
<p>"Fuel now costs us twice what it did three years ago," said chief executive Tomas Reyes,
adding that the company had carried 410,000 passengers last year.</p>
<p>Councillors on the island said the figure was closer to 380,000 and asked the regulator to
review the increase before it takes effect.</p>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/x">Ten best harbour walks</a></li>
<li><a href="/y">Lighthouse reopens to visitors</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment">Outrageous, I will drive round instead. Posted by reader42</div></section>
<footer>Copyright Coastline Herald. Subscribe to our newsletter. Privacy policy.</footer>
</body></html>"""


def test_article_text_and_metadata_without_page_furniture() -> None:
    article = html_to_article(ARTICLE_PAGE, url="https://herald.example/news/ferry-fares")

    assert article.text.startswith("The island ferry operator said on Monday")
    assert "410,000 passengers" in article.text
    assert "closer to 380,000" in article.text
    for debris in ("cookies", "Sport", "Ten best harbour walks", "reader42", "Subscribe"):
        assert debris not in article.text
    assert article.title.startswith("Ferry fares to rise by a fifth")
    assert article.author == "Priya Vance"
    assert article.published.isoformat() == "2024-03-05"
    assert article.site_name == "Coastline Herald"
    assert article.canonical_url == "https://herald.example/news/ferry-fares?utm_source=rss"
    assert article.raw_html == ARTICLE_PAGE


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
        "<html><body><div>Please log in to continue.</div></body></html>",
        "\x00\x01\x02 not html at all",
    ],
)
def test_page_without_an_article_is_a_clear_result(html) -> None:
    with pytest.raises(ArticleNotFound) as not_found:
        html_to_article(html)

    assert not_found.value.reason


def test_canonical_link_is_absolute_and_optional() -> None:
    page = '<html><head><link rel="Canonical" href="/a/b"></head><body></body></html>'

    assert canonical_link(page, base_url="https://x.example/q?p=1") == "https://x.example/a/b"
    assert canonical_link("<html><head></head></html>") == ""


def test_fragment_text_keeps_paragraphs() -> None:
    fragment = "<p>First <b>bold</b> point.</p><p>Second point.</p>Tail"

    assert fragment_text(fragment) == "First bold point.\n\nSecond point.\n\nTail"


def test_the_same_page_extracts_the_same_text_every_time() -> None:
    first = html_to_article(ARTICLE_PAGE)

    assert html_to_article(ARTICLE_PAGE).text == first.text
