from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Document

pytestmark = pytest.mark.django_db

TEXT_ARTICLE = """Title: Ferry fares rise again
Outlet: Coast Courier
URL: https://coast-courier.example/ferry-fares
Date: 2026-11-04
Author: Mara Lind

The ferry operator said fares would rise by 6 percent in January, the third rise in two years.
"""

HTML_ARTICLE = """<html><head><title>Bridge repairs delayed</title>
<meta property="og:site_name" content="Valley News"></head>
<body><nav>Home | News | Sport</nav><article><h1>Bridge repairs delayed</h1>
<p>The county engineer said on Monday that repairs to the old river bridge would take
at least 14 more weeks because 40 percent of the steel needed replacing.</p>
<p>Councillors had been told in September that the work would be finished by Christmas.</p>
</article><footer>Subscribe to our newsletter</footer></body></html>"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_ingest_reads_text_and_html_files_and_skips_what_it_has(tmp_path, capsys):
    write(tmp_path, "ferry.txt", TEXT_ARTICLE)
    write(tmp_path, "bridge.html", HTML_ARTICLE)

    call_command("ingest", str(tmp_path))
    call_command("ingest", str(tmp_path))

    assert "0 new, 2 duplicate, 0 failed" in capsys.readouterr().out
    ferry = Document.objects.get(outlet="Coast Courier")
    assert ferry.title == "Ferry fares rise again"
    assert ferry.author == "Mara Lind"
    assert ferry.published_at.isoformat().startswith("2026-11-04")
    assert ferry.text.startswith("The ferry operator said")
    bridge = Document.objects.get(title="Bridge repairs delayed")
    assert "Subscribe" not in bridge.text and "Home | News" not in bridge.text
    assert "<nav>" in bridge.raw_html


def test_a_broken_file_is_reported_and_the_others_are_ingested(tmp_path, capsys):
    write(tmp_path, "ferry.txt", TEXT_ARTICLE)
    broken = write(tmp_path, "latin1.txt", "Title: Caf\xe9\n\nPrices rose.".encode("latin-1"))
    write(tmp_path, "empty.txt", "Title: Nothing here\n\n")

    with pytest.raises(CommandError, match="2 of 3 items"):
        call_command("ingest", str(tmp_path))

    errors = capsys.readouterr().err
    assert f"{broken}: not UTF-8 text" in errors
    assert "empty.txt: no article text after the header" in errors
    assert Document.objects.count() == 1


def test_a_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file or directory"):
        call_command("ingest", str(tmp_path / "nowhere"))
