import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.extraction import ArticleInput, extract_claims_batch
from claims.extraction.attribution_eval import (
    LabelledSetError,
    mismatches,
    read_labelled,
    score,
)


class Command(BaseCommand):
    help = (
        "Measures attribution on a labelled JSON Lines file ({text, published, actors, claims: "
        "[{quote or span, speaker, side}]}; speaker null = nobody said, '@outlet' = the outlet's "
        "own reporting). Prints {n, speaker_accuracy, unresolved_rate, wrong_side} as one JSON "
        "line; --details lists the misses on stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--details", action="store_true")

    def handle(self, *args, file: Path, details: bool = False, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            articles = read_labelled(file.read_text(encoding="utf-8").splitlines())
        except (LabelledSetError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        # Threshold 0: every sentence the engine reads is a claim, so each label is judged.
        predictions = extract_claims_batch(
            [ArticleInput(a.text, a.published, a.outlet) for a in articles], threshold=0.0
        )
        if details:
            for expected, got, sentence in mismatches(articles, predictions):
                self.stderr.write(f"expected {expected!r}, got {got!r}: {sentence}")
        self.stdout.write(json.dumps(score(articles, predictions)))
