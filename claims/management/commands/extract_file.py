import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.extraction import ClaimRecord, ExtractionError, extract_claims
from claims.ingest.files import read_file
from claims.ingest.records import ArticleRecord, ReadFailure


class Command(BaseCommand):
    help = (
        "Prints the claims the engine finds in one article file (.txt, optionally with a "
        "Title:/Outlet:/Date: header, or .html), one JSON line per claim. Spans are offsets into "
        "the article text after the header."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--outlet", default=None, help="overrides the file's Outlet: header")
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD; overrides Date:"
        )

    def handle(self, *args, file: Path, outlet: str | None, date: date | None, **options):
        article = _read_one_article(file)
        published = date or (article.published_at.date() if article.published_at else None)
        try:
            claims = extract_claims(
                article.text, published=published, outlet=outlet or article.outlet
            )
        except ExtractionError as error:
            raise CommandError(f"Cannot extract claims: {error.reason}") from error
        for claim in claims:
            self.stdout.write(json.dumps(_claim_json(claim), ensure_ascii=False))


def _read_one_article(file: Path) -> ArticleRecord:
    items = list(read_file(file))
    if len(items) == 1 and isinstance(items[0], ArticleRecord):
        return items[0]
    failure = next((item for item in items if isinstance(item, ReadFailure)), None)
    if failure is not None:
        raise CommandError(f"Cannot read {file}: {failure.reason}")
    raise CommandError(f"{file} holds {len(items)} items; give one article (.txt or .html).")


def _claim_json(claim: ClaimRecord) -> dict:
    return {
        "text": claim.text,
        "span": [claim.start, claim.end],
        "speaker": claim.speaker,
        "role": claim.speaker_role,
        "speaker_kind": claim.speaker_kind,
        "affiliation": claim.speaker_affiliation,
        "actor_key": claim.speaker_key,
        "mention": claim.speaker_mention,
        "resolution": claim.speaker_resolution,
        "type": claim.claim_type,
        "score": claim.score,
        "checkworthy": claim.checkworthy,
        "figures": claim.figures,
        "dates": claim.dates,
    }
