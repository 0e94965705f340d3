import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.extraction import ExtractionError, extract_claims


class Command(BaseCommand):
    help = "Prints the claims the engine finds in one plain-text article, one JSON line per claim."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--outlet", default="")
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args, file: Path, outlet: str, date: date | None, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        text = file.read_text(encoding="utf-8", errors="replace")
        try:
            claims = extract_claims(text, published=date, outlet=outlet)
        except ExtractionError as error:
            raise CommandError(f"Cannot extract claims: {error.reason}") from error
        for claim in claims:
            self.stdout.write(
                json.dumps(
                    {
                        "text": claim.text,
                        "span": [claim.start, claim.end],
                        "speaker": claim.speaker,
                        "role": claim.speaker_role,
                        "speaker_kind": claim.speaker_kind,
                        "type": claim.claim_type,
                        "score": claim.score,
                        "checkworthy": claim.checkworthy,
                        "figures": claim.figures,
                        "dates": claim.dates,
                    },
                    ensure_ascii=False,
                )
            )
