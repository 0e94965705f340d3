import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.extraction.sameclaim_eval import evaluate, labelled_pairs, read_pairs

DEFAULT_PAIRS = Path(settings.BASE_DIR) / "evaluation" / "sameclaim" / "pairs.jsonl"


class Command(BaseCommand):
    help = (
        "Measures the same-claim decision (cosine threshold plus the figure, date and name guard) "
        "on labelled sentence pairs and prints one JSON line: precision, recall and F1 at the "
        "committed threshold, with and without the guard, the threshold the pairs would choose, "
        "and the threshold chosen without each story, measured on that story."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS)

    def handle(self, *args, pairs: Path, **options):
        if not pairs.is_file():
            raise CommandError(f"No such file: {pairs}")
        try:
            rows = read_pairs(pairs)
        except (ValueError, KeyError) as error:
            raise CommandError(f"{pairs} is not a pair file: {error}") from error
        if not rows:
            raise CommandError(f"{pairs} holds no pairs")
        self.stdout.write(json.dumps(evaluate(labelled_pairs(rows))))
