"""Benchmark: ingest N generated articles (text files and a feed on loopback) into the database.

Claim extraction is left out; duplicate and near-duplicate detection are in. Prints one JSON
line. The generated documents are deleted afterwards unless --keep is given.
"""

import json
import os
import random
import resource
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from claims.ingest.fetch import FetchPolicy
from claims.ingest.files import expand_paths, read_file
from claims.ingestion import IngestTally, items_ingest, url_items
from claims.models import Document, Story

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "te",
    "vi",
    "do",
    "ha",
    "ber",
    "tan",
    "gol",
    "mer",
    "fis",
    "lin",
    "port",
    "dal",
    "ven",
    "cor",
]
NEAR_DUPLICATE_SHARE = 0.10
EXACT_DUPLICATE_SHARE = 0.05


@dataclass(frozen=True)
class GeneratedArticle:
    title: str
    text: str


class Command(BaseCommand):
    help = "Measures ingestion speed: documents per second and peak memory, as one JSON line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--docs", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--keep", action="store_true", help="Keep the generated documents.")

    def handle(self, *args, docs: int, seed: int | None, keep: bool, **options) -> None:
        outlet = f"Bench {secrets.token_hex(4)}"
        articles, expected = generate_articles(docs, random.Random(seed))
        half = len(articles) // 2
        with tempfile.TemporaryDirectory() as folder, serve_feed(articles[half:], outlet) as url:
            write_text_files(Path(folder), articles[:half], outlet)
            policy = FetchPolicy.build(allow_hosts={"127.0.0.1"}, max_bytes=1 << 30)
            tally = IngestTally()
            database_cpu_started = database_cpu_seconds()
            cpu_started = time.process_time()
            started = time.perf_counter()
            items_ingest(items=file_items(Path(folder)), policy=policy, tally=tally, extract=False)
            items_ingest(
                items=url_items(url, policy=policy), policy=policy, tally=tally, extract=False
            )
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            database_cpu = database_cpu_seconds()
        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if not keep:
            remove_generated(outlet)
        self.stdout.write(
            json.dumps(
                {
                    "benchmark": "ingest",
                    "database": connection.vendor,
                    "docs": tally.read,
                    "seconds": round(elapsed, 2),
                    "docs_per_s": round(tally.read / elapsed, 1),
                    # CPU time moves much less with the machine's load than the rate above.
                    "cpu_seconds": round(cpu, 2),
                    "database_cpu_seconds": (
                        round(database_cpu - database_cpu_started, 2)
                        if database_cpu is not None and database_cpu_started is not None
                        else None
                    ),
                    "new": tally.new,
                    "duplicate": tally.duplicate,
                    "near_duplicate": tally.near_duplicate,
                    "failed": tally.failed,
                    "expected_duplicate": expected["duplicate"],
                    "expected_near_duplicate": expected["near_duplicate"],
                    "peak_rss_mb": round(peak_rss_mb, 1),
                    "load_average": [round(load, 2) for load in os.getloadavg()],
                }
            )
        )


def generate_articles(count: int, rng: random.Random) -> tuple[list[GeneratedArticle], dict]:
    """Unique articles, with a share of exact copies and of lightly edited syndicated copies."""
    vocabulary = [
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(4000)
    ]
    articles: list[GeneratedArticle] = []
    expected = {"duplicate": 0, "near_duplicate": 0}
    for number in range(count):
        roll = rng.random()
        if articles and roll < EXACT_DUPLICATE_SHARE:
            articles.append(rng.choice(articles))
            expected["duplicate"] += 1
        elif articles and roll < EXACT_DUPLICATE_SHARE + NEAR_DUPLICATE_SHARE:
            articles.append(edited_copy(rng.choice(articles), rng, number))
            expected["near_duplicate"] += 1
        else:
            articles.append(new_article(vocabulary, rng, number))
    return articles, expected


def new_article(vocabulary: list[str], rng: random.Random, number: int) -> GeneratedArticle:
    paragraphs = []
    for _ in range(rng.randint(4, 8)):
        sentences = [
            " ".join(rng.choices(vocabulary, k=rng.randint(8, 20))).capitalize()
            + f" {rng.randint(2, 9000)}."
            for _ in range(rng.randint(2, 4))
        ]
        paragraphs.append(" ".join(sentences))
    return GeneratedArticle(title=f"Generated report {number}", text="\n\n".join(paragraphs))


def edited_copy(article: GeneratedArticle, rng: random.Random, number: int) -> GeneratedArticle:
    paragraphs = article.text.split("\n\n")
    paragraphs[rng.randrange(len(paragraphs))] += f" Updated at {rng.randint(1, 23)}:00."
    paragraphs.append(f"READ MORE: another story {number}")
    return GeneratedArticle(title=f"{article.title} (syndicated)", text="\n\n".join(paragraphs))


def write_text_files(folder: Path, articles: list[GeneratedArticle], outlet: str) -> None:
    for number, article in enumerate(articles):
        (folder / f"{number:06d}.txt").write_text(
            f"Title: {article.title}\nOutlet: {outlet}\nDate: 2026-11-01\n\n{article.text}\n",
            encoding="utf-8",
        )


def file_items(folder: Path) -> Iterator:
    for path in expand_paths([folder]):
        yield from read_file(path)


@contextmanager
def serve_feed(articles: list[GeneratedArticle], outlet: str) -> Iterator[str]:
    """An RSS feed carrying the articles' full text, served on 127.0.0.1 for the run."""
    items = "".join(
        f"<item><title>{escape(a.title)}</title><guid>{n}</guid>"
        f"<content:encoded>{escape(''.join(f'<p>{p}</p>' for p in a.text.split(chr(10) * 2)))}"
        "</content:encoded></item>"
        for n, a in enumerate(articles)
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(outlet)}</title>{items}</channel></rss>"
    ).encode()

    class FeedHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    finally:
        server.shutdown()
        server.server_close()


def database_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend so far, when it runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, the 14th and 15th fields of stat(5), in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def remove_generated(outlet: str) -> None:
    documents = Document.objects.filter(outlet=outlet)
    story_ids = list(documents.values_list("story_id", flat=True).distinct())
    documents.delete()
    Story.objects.filter(pk__in=story_ids, documents__isnull=True).delete()
