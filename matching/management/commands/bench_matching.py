import json

from django.core.management.base import BaseCommand, CommandError

from matching.bench import run


class Command(BaseCommand):
    help = (
        "Builds the nearest-neighbour index over N synthetic fact-check embeddings and times "
        "matching one claim against it (200 claims). Prints {archive, index, p50_ms, p95_ms, "
        "build_s, rss_mb, recall_at_10} as one JSON line; recall is against exact search."
    )

    def add_arguments(self, parser):
        parser.add_argument("--archive", type=int, required=True, help="number of fact-checks")
        parser.add_argument("--queries", type=int, default=200)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, archive: int, queries: int, seed: int, **options):
        if archive < 10 or queries < 1:
            raise CommandError("--archive must be at least 10 and --queries at least 1")
        self.stdout.write(json.dumps(run(archive_size=archive, queries=queries, seed=seed)))
