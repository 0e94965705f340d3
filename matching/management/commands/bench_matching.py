import json

from django.core.management.base import BaseCommand, CommandError

from matching.ann import SHORTLIST
from matching.bench import GENERATORS, INDEXES, run


class Command(BaseCommand):
    help = (
        "Builds the nearest-neighbour index over N synthetic fact-check embeddings and times "
        "matching one claim against it (200 claims). Prints {archive, generator, index, p50_ms, "
        "p95_ms, build_s, rss_mb, recall_at_10, load_avg_1m} as one JSON line; recall is against "
        "exact search. --generator legacy reproduces the first synthetic archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--archive", type=int, required=True, help="number of fact-checks")
        parser.add_argument("--queries", type=int, default=200)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--generator", choices=GENERATORS, default="calibrated")
        parser.add_argument("--index", choices=INDEXES, default="pq-refine")
        parser.add_argument(
            "--shortlist", type=int, default=SHORTLIST, help="pq-refine: vectors re-ranked exactly"
        )

    def handle(self, *args, archive, queries, seed, generator, index, shortlist, **options):
        if archive < 10 or queries < 1:
            raise CommandError("--archive must be at least 10 and --queries at least 1")
        if not 10 <= shortlist <= 1_000_000:
            raise CommandError("--shortlist must be between 10 and 1000000")
        result = run(
            archive_size=archive,
            queries=queries,
            seed=seed,
            generator=generator,
            index_kind=index,
            shortlist=shortlist,
        )
        self.stdout.write(json.dumps(result))
