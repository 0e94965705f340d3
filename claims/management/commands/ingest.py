from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from claims.ingest.fetch import FetchPolicy
from claims.ingest.files import expand_paths, read_file
from claims.ingest.records import IngestItem
from claims.ingestion import IngestTally, fetch_policy, items_ingest, url_items
from factdesk.validation import is_http_url


class Command(BaseCommand):
    help = (
        "Ingests articles from files (.txt with a header, .html, .json, .jsonl, .xml/.rss/.atom "
        "feeds), directories of them, article URLs and feed URLs. Exits non-zero if any failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument(
            "--no-extract",
            action="store_true",
            help="Store only; leave claim extraction for later.",
        )

    def handle(self, *args, inputs: list[str], no_extract: bool, **options) -> None:
        missing = [value for value in inputs if not is_http_url(value) and not Path(value).exists()]
        if missing:
            raise CommandError(f"No such file or directory: {', '.join(missing)}")
        policy = fetch_policy()
        tally = IngestTally()
        with tqdm(desc="Ingesting", unit="article", disable=None) as progress:
            items_ingest(
                items=_items(inputs, policy=policy),
                policy=policy,
                tally=tally,
                extract=not no_extract,
                on_item=progress.update,
            )
        for error in tally.errors:
            self.stderr.write(f"failed: {error['item']}: {error['reason']}")
        self.stdout.write(
            f"{tally.read} items: {tally.new} new, {tally.duplicate} duplicate, "
            f"{tally.failed} failed ({tally.near_duplicate} of the new join a known story)"
        )
        if tally.failed:
            raise CommandError(f"{tally.failed} of {tally.read} items could not be ingested.")


def _items(inputs: list[str], *, policy: FetchPolicy) -> Iterator[IngestItem]:
    for value in inputs:
        if is_http_url(value):
            yield from url_items(value, policy=policy)
        else:
            for path in expand_paths([Path(value)]):
                yield from read_file(path)
