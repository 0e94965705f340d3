import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.extraction.scoring import MODEL_DIR
from claims.extraction.training import estimate_on_later_debates, train_checkworthiness


class Command(BaseCommand):
    help = (
        "Trains the check-worthiness model on a labelled TSV (Text, class_label Yes/No), chooses "
        "its threshold by cross-validation on that file, measures it on --dev, and writes the "
        "weights and their metadata. Prints the dev metrics as one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--train", type=Path, required=True)
        parser.add_argument("--dev", type=Path, required=True)
        parser.add_argument("--out", type=Path, default=MODEL_DIR)
        parser.add_argument(
            "--later-debates-estimate",
            action="store_true",
            help="instead: train on the earlier 85%% of --train (by Sentence_id, i.e. debate "
            "order), measure on the later 15%%, print that and write nothing",
        )

    def handle(
        self, *args, train: Path, dev: Path, out: Path, later_debates_estimate: bool, **options
    ):
        for path in (train, dev):
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
        if later_debates_estimate:
            metrics = estimate_on_later_debates(train)
        else:
            metrics = train_checkworthiness(train, dev, out)
        self.stdout.write(json.dumps(metrics))
