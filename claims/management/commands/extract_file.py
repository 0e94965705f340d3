import json
from datetime import UTC, date, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.extraction import ClaimRecord, ExtractionError, extract_claims
from claims.ingest.files import read_file
from claims.ingest.metadata import article_facts
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
        parser.add_argument(
            "--document",
            action="store_true",
            help="first print one line about the article: title, outlet, dateline, undated, "
            "age in days and whether it is old news (stale)",
        )

    def handle(
        self,
        *args,
        file: Path,
        outlet: str | None,
        date: date | None,
        document: bool = False,
        **options,
    ):
        article = _read_one_article(file)
        published = date or (article.published_at.date() if article.published_at else None)
        facts = article_facts(article.text, published=published, ingested=_today())
        if facts.undated:
            self.stderr.write(
                f"{file}: undated: relative dates are left unresolved, and the desk gives it "
                "no recency bonus"
            )
        elif facts.stale:
            self.stderr.write(f"{file}: published {facts.age_days} days ago: old news?")
        if document:
            line = {
                "title": article.title,
                "outlet": outlet or article.outlet,
                "published": published.isoformat() if published else None,
                "date_source": "option" if date else article.date_source,
                **facts.as_dict(),
            }
            self.stdout.write(json.dumps({"document": line}, ensure_ascii=False))
        try:
            claims = extract_claims(
                article.text, published=published, outlet=outlet or article.outlet
            )
        except ExtractionError as error:
            raise CommandError(f"Cannot extract claims: {error.reason}") from error
        for claim in claims:
            self.stdout.write(json.dumps(_claim_json(claim), ensure_ascii=False))


def _today() -> date:
    return datetime.now(UTC).date()


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
