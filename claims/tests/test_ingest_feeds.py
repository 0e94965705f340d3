import pytest

from claims.ingest.feeds import FeedInvalid, feed_items, parse_feed
from claims.ingest.fetch import FetchPolicy, fetch
from claims.ingest.records import ArticleRecord, LinkToFetch, ReadFailure

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Valley Gazette</title><link>https://gazette.example/</link><description>d</description>
<item><title>Bridge closes for repairs</title><link>https://gazette.example/bridge</link>
<pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate><author>ed@gazette.example (Ed Moss)</author>
<description>The bridge will close for six weeks.</description></item>
<item><title>Broken item with nothing in it</title></item>
<item><title>School roll falls</title><link>https://gazette.example/school</link>
<content:encoded><![CDATA[<p>The school roll fell to 312 pupils.</p><p>Heads blamed rents.</p>]]>
</content:encoded></item>
</channel></rss>"""


def test_feed_entries_with_a_broken_item_skipped_and_reported() -> None:
    feed = parse_feed(RSS)

    assert feed.title == "Valley Gazette"
    assert [e.link for e in feed.entries] == [
        "https://gazette.example/bridge",
        "https://gazette.example/school",
    ]
    bridge = feed.entries[0]
    assert bridge.title == "Bridge closes for repairs"
    assert bridge.published.isoformat() == "2024-03-05T09:00:00+00:00"
    assert bridge.summary == "The bridge will close for six weeks."
    assert feed.errors == ["item 2: no link and no content"]
    assert feed.malformed == ""


def test_feed_items_fetch_links_and_keep_full_content() -> None:
    items = feed_items(parse_feed(RSS), origin="gazette.xml")

    failure, link, article = items
    assert isinstance(failure, ReadFailure)
    assert isinstance(link, LinkToFetch)
    assert link.url == "https://gazette.example/bridge"
    assert isinstance(article, ArticleRecord)
    assert article.text == "The school roll fell to 312 pupils.\n\nHeads blamed rents."
    assert article.outlet == "Valley Gazette"


def test_atom_feed() -> None:
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
    <entry><title>One</title><link href="https://a.example/1"/><id>1</id>
    <updated>2024-01-02T03:04:05Z</updated><summary>s</summary></entry></feed>"""

    (entry,) = parse_feed(atom).entries

    assert entry.link == "https://a.example/1"
    assert entry.published.isoformat() == "2024-01-02T03:04:05+00:00"


def test_truncated_xml_keeps_what_was_read_and_says_it_is_malformed() -> None:
    feed = parse_feed(RSS[: RSS.index(b"<item><title>School")] + b"<item><title>Cut")

    assert [e.title for e in feed.entries] == ["Bridge closes for repairs"]
    assert feed.malformed


@pytest.mark.parametrize(
    "data", [b"", b"just some words", b"<html><body>a page</body></html>", b"<rss><channel"]
)
def test_not_a_feed_is_a_clear_error(data) -> None:
    with pytest.raises(FeedInvalid, match=r"not an RSS or Atom feed|malformed feed"):
        parse_feed(data)


def test_feed_of_ten_thousand_items_is_read_in_full() -> None:
    items = b"".join(
        b"<item><title>Item %d</title><link>https://big.example/%d</link></item>" % (i, i)
        for i in range(10_000)
    )
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>%s</channel></rss>'

    feed = parse_feed(data % items)

    assert len(feed.entries) == 10_000
    assert feed.entries[-1].link == "https://big.example/9999"
    assert feed.errors == []


def test_feed_fetched_from_loopback(site) -> None:
    url = site.page("/feed.xml", RSS, content_type="application/rss+xml")

    result = fetch(url, policy=FetchPolicy.build(allow_hosts={"127.0.0.1"}))

    assert result.is_feed
    assert len(parse_feed(result.body, url=result.final_url).entries) == 2
