import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from claims.extraction.benchmark import bench_articles, run_benchmark
from claims.ingest.files import ArticleFileError, article_paths, read_article_file

FIXTURE_ARTICLES = Path(settings.BASE_DIR) / "fixtures" / "articles"


class Command(BaseCommand):
    help = (
        "Runs the whole claim engine over N articles (the fixture articles repeated, or generated "
        "text if there are none) in this one process and prints its throughput as one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--docs", type=int, default=200)

    def handle(self, *args, docs: int, **options):
        articles = bench_articles(_fixture_texts(), docs)
        self.stdout.write(json.dumps(run_benchmark(articles)))


def _fixture_texts() -> list[str]:
    if not FIXTURE_ARTICLES.is_dir():
        return []
    texts = []
    for path in article_paths([FIXTURE_ARTICLES]):
        try:
            texts.append(read_article_file(path).text)
        except ArticleFileError:
            continue
    return texts
