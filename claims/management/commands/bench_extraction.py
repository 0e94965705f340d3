import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from claims.extraction.benchmark import bench_articles, run_benchmark
from claims.ingest.files import expand_paths, read_file
from claims.ingest.records import ArticleRecord

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
    return [
        item.text
        for path in expand_paths([FIXTURE_ARTICLES])
        for item in read_file(path)
        if isinstance(item, ArticleRecord)
    ]
