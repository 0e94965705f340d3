import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.extraction.benchmark import compare_embeddings
from claims.extraction.embeddings import BACKENDS, ONNX_INT8, TORCH_FP32, has_bf16
from claims.extraction.pipeline import prose_sentences
from claims.extraction.records import ArticleInput
from claims.ingest.files import expand_paths, read_file
from claims.ingest.records import ArticleRecord


class Command(BaseCommand):
    help = (
        "Embeds the sentences the engine reads in the given articles (files or directories) with "
        "the reference backend and each candidate, and prints the cosine of each candidate's "
        "vectors to the reference's (mean, minimum, 5th percentile) and each encoder's speed "
        "alone on one thread, as one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--reference", default=TORCH_FP32, choices=BACKENDS)
        parser.add_argument(
            "--candidates",
            default=None,
            help=f"comma-separated backends (default: {ONNX_INT8}, and torch-bf16 where the CPU "
            "has bfloat16 units)",
        )

    def handle(self, *args, paths: list[Path], reference: str, candidates: str | None, **options):
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"No such file or directory: {', '.join(missing)}")
        if candidates is None:
            names = [ONNX_INT8] + (["torch-bf16"] if has_bf16() else [])
        else:
            names = candidates.split(",")
        if any(name not in BACKENDS or name == reference for name in names):
            raise CommandError(f"--candidates takes backends among {', '.join(BACKENDS)}")
        sentences = [
            sentence
            for path in expand_paths(paths)
            for item in read_file(path)
            if isinstance(item, ArticleRecord)
            for sentence in prose_sentences(ArticleInput(item.text, None, item.outlet))
        ]
        if not sentences:
            raise CommandError("No sentences to compare in the given articles")
        result = compare_embeddings(sentences, reference, names)
        result["load_average"] = [round(load, 2) for load in os.getloadavg()]
        self.stdout.write(json.dumps(result))
