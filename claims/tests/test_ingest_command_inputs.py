import json

import pytest
from django.core.management import CommandError, call_command

from claims.models import Document

pytestmark = pytest.mark.django_db

BODY = (
    "The county engineer said on Monday that repairs to the old river bridge would take at "
    "least 14 more weeks because 40 percent of the steel needed replacing, and that the "
    "diversion through the village would stay in place until the spring."
)


def article_page(title: str) -> str:
    return f"<html><head><title>{title}</title></head><body><article><p>{title}. {BODY}</p></article></body></html>"


def test_ingest_takes_exports_feeds_and_urls_together(tmp_path, site, settings, capsys) -> None:
    settings.FACTDESK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "one.json").write_text(json.dumps([{"title": "From JSON", "text": f"JSON. {BODY}"}]))
    (exports / "many.jsonl").write_text(
        json.dumps({"title": "From JSONL", "text": f"JSONL. {BODY}", "outlet": "Wire"}) + "\n"
    )
    feed_file = tmp_path / "saved.rss"
    feed_file.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Saved</title>'
        f"<item><title>Linked</title><link>{site.url('/linked')}</link></item></channel></rss>"
    )
    site.page("/linked", article_page("Linked page"))
    site.page("/page", article_page("A page by URL"))
    site.page(
        "/feed.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Live</title>'
        f"<item><title>Live</title><link>{site.url('/live')}</link></item></channel></rss>",
        content_type="application/rss+xml",
    )
    site.page("/live", article_page("Live item"))

    call_command("ingest", str(exports), str(feed_file), site.url("/page"), site.url("/feed.xml"))

    assert "5 items: 5 new, 0 duplicate, 0 failed" in capsys.readouterr().out
    assert Document.objects.get(title="From JSONL").outlet == "Wire"
    assert Document.objects.get(url=site.url("/linked")).outlet == "Saved"
    assert Document.objects.get(url=site.url("/live")).text.startswith("Live item.")
    assert Document.objects.filter(url=site.url("/page")).exists()


def test_a_refused_url_fails_the_command_and_is_never_requested(site, capsys) -> None:
    site.page("/page", article_page("Not allowed"))

    with pytest.raises(CommandError, match="1 of 1 items"):
        call_command("ingest", site.url("/page"))

    assert "loopback address" in capsys.readouterr().err
    assert site.requests == []
