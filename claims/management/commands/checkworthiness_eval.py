import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.extraction.embeddings import BACKENDS, backend_name, embedding_version, set_backend
from claims.extraction.scoring import default_model
from claims.extraction.training import (
    calibration_error,
    featurise,
    read_labelled_tsv,
    reliability,
    yes_class_metrics,
)


class Command(BaseCommand):
    help = (
        "Measures the committed check-worthiness model, at its committed threshold, on a labelled "
        "TSV. Prints {n, precision, recall, f1, threshold} of the Yes class, the calibration error "
        "(ece, brier), a reliability table by score band and the embedding backend as one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--backend",
            choices=BACKENDS,
            default=None,
            help="embedding backend (default: FACTDESK_EMBEDDING_BACKEND)",
        )

    def handle(self, *args, file: Path, backend: str | None, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if backend:
            set_backend(backend)
        data = read_labelled_tsv(file)
        model = default_model()
        scores = model.scores(featurise(data.texts), data.texts)
        metrics = yes_class_metrics(data.labels, scores, model.threshold)
        metrics |= calibration_error(data.labels, scores)
        metrics["reliability"] = reliability(data.labels, scores)
        metrics |= {"backend": backend_name(), "embedding_version": embedding_version()}
        self.stdout.write(json.dumps(metrics))
