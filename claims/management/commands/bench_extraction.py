import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.extraction.benchmark import bench_articles, run_benchmark
from claims.extraction.embeddings import BACKENDS, ONNX_INT8, TORCH_FP32, backend_name
from claims.ingest.files import expand_paths, read_file
from claims.ingest.records import ArticleRecord

FIXTURE_ARTICLES = Path(settings.BASE_DIR) / "fixtures" / "articles"


class Command(BaseCommand):
    help = (
        "Runs the whole claim engine over N articles (the fixture articles repeated, or generated "
        "text if there are none) in this one process with each embedding backend in turn, and "
        "prints their throughput and the speed-up of the first over the second as one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--docs", type=int, default=200)
        parser.add_argument(
            "--backends",
            default=f"{ONNX_INT8},{TORCH_FP32}",
            help="comma-separated embedding backends to time in the same run (first: the top-level "
            "figures); 'current' for FACTDESK_EMBEDDING_BACKEND alone",
        )

    def handle(self, *args, docs: int, backends: str, **options):
        chosen = (backend_name(),) if backends == "current" else tuple(backends.split(","))
        unknown = [name for name in chosen if name not in BACKENDS]
        if unknown or len(set(chosen)) != len(chosen):
            raise CommandError(f"--backends takes distinct names among {', '.join(BACKENDS)}")
        articles = bench_articles(_fixture_texts(), docs)
        result = run_benchmark(articles, chosen)
        result["load_average"] = [round(load, 2) for load in os.getloadavg()]
        self.stdout.write(json.dumps(result))


def _fixture_texts() -> list[str]:
    if not FIXTURE_ARTICLES.is_dir():
        return []
    return [
        item.text
        for path in expand_paths([FIXTURE_ARTICLES])
        for item in read_file(path)
        if isinstance(item, ArticleRecord)
    ]
