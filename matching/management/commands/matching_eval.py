import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matching.ranking.model import default_model
from matching.ranking.training import evaluate, prepare_archive, read_qrels, read_queries


class Command(BaseCommand):
    help = (
        "Ranks the archive (--vclaims) for each query of --qrels with the committed re-ranker and "
        "prints {n, map_at_5, mrr, ms_per_query} as one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--vclaims", type=Path, required=True)
        parser.add_argument("--queries", type=Path, required=True)
        parser.add_argument("--qrels", type=Path, required=True)
        parser.add_argument(
            "--cache",
            type=Path,
            help="a directory (e.g. under /tmp) to keep the archive's embeddings in",
        )

    def handle(self, *args, vclaims, queries, qrels, cache, **options):
        for path in (vclaims, queries, qrels):
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
        model = default_model()
        ids, archive = prepare_archive(vclaims, model.params, cache)
        texts = read_queries(queries)
        relevant = {q: r for q, r in read_qrels(qrels).items() if q in texts}
        self.stdout.write(json.dumps(evaluate(model, archive, ids, texts, relevant)))
