import json

from django.core.management.base import BaseCommand, CommandError

from matching.ann import SHORTLIST
from matching.bench import GENERATORS, INDEXES, full_run, run


class Command(BaseCommand):
    help = (
        "Builds the nearest-neighbour index over N synthetic fact-check embeddings and times "
        "matching one claim against it (200 claims). Prints {archive, generator, index, p50_ms, "
        "p95_ms, build_s, rss_mb, recall_at_10, load_avg_1m} as one JSON line; recall is against "
        "exact search. --generator legacy reproduces the first synthetic archive. --mode full "
        "times the whole ranking of a claim (BM25, speaker pool, features, re-ranker, with the "
        "index's rows) on a synthetic archive with texts and prints {archive, mode, p50_ms, "
        "p95_ms, rank_p50_ms, baseline_p50_ms (the index search alone), ratio, build_s (the "
        "ranking archive), index_build_s, archive_mb, rss_mb, load_avg_1m, ...}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--archive", type=int, required=True, help="number of fact-checks")
        parser.add_argument("--queries", type=int, default=200)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--mode", choices=("index", "full"), default="index")
        parser.add_argument("--profile", help="full mode: write cProfile statistics here")
        parser.add_argument("--generator", choices=GENERATORS, default="calibrated")
        parser.add_argument("--index", choices=INDEXES, default="pq-refine")
        parser.add_argument(
            "--shortlist", type=int, default=SHORTLIST, help="pq-refine: vectors re-ranked exactly"
        )

    def handle(
        self, *args, archive, queries, seed, generator, index, shortlist, mode, profile, **options
    ):
        if archive < 10 or queries < 1:
            raise CommandError("--archive must be at least 10 and --queries at least 1")
        if not 10 <= shortlist <= 1_000_000:
            raise CommandError("--shortlist must be between 10 and 1000000")
        if mode == "full":
            if generator != "calibrated" or index != "pq-refine":
                raise CommandError("--mode full uses the calibrated generator and pq-refine")
            result = full_run(
                archive_size=archive,
                queries=queries,
                seed=seed,
                shortlist=shortlist,
                profile=profile,
            )
        else:
            result = run(
                archive_size=archive,
                queries=queries,
                seed=seed,
                generator=generator,
                index_kind=index,
                shortlist=shortlist,
            )
        self.stdout.write(json.dumps(result))
