import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matching.ranking.gate import save_gate
from matching.ranking.model import MODEL_DIR, save_model
from matching.ranking.ranker import Params
from matching.ranking.training import (
    choose_and_fit,
    fit_gate,
    gather,
    prepare_archive,
    prepare_probes,
    read_qrels,
    read_queries,
)

_K1, _B = 1.2, 0.75
_DEPTHS = (40, 60)
_CS = (1.0, 10.0)
_SPEAKER_DEPTHS = (40, 60)
_CONTEXT_WINDOWS = (0, 1, 2, 3)
_CONTEXT_DEPTHS = (10, 20, 40)


class Command(BaseCommand):
    help = (
        "Trains the matching re-ranker on the queries of --qrels (train only): candidate depth "
        "and regularisation by 5-fold cross-validation over events, the suggest and auto "
        "thresholds from the held-out scores, then writes the weights and their metadata. "
        "Prints the cross-validated figures as one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--vclaims", type=Path, required=True)
        parser.add_argument("--queries", type=Path, required=True)
        parser.add_argument("--qrels", type=Path, required=True, help="the train qrels")
        parser.add_argument("--out", type=Path, default=MODEL_DIR)
        parser.add_argument(
            "--cache", type=Path, help="a directory (e.g. under /tmp) to keep embeddings in"
        )

    def handle(self, *args, vclaims, queries, qrels, out, cache, **options):
        for path in (vclaims, queries, qrels):
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
        texts, relevant = read_queries(queries), read_qrels(qrels)
        relevant = {q: r for q, r in relevant.items() if q in texts}
        if not relevant:
            raise CommandError(f"{qrels} names none of the queries in {queries}")
        ids, archive = prepare_archive(
            vclaims,
            Params(
                k1=_K1,
                b=_B,
                depth=max(_DEPTHS),
                speaker_depth=max(_SPEAKER_DEPTHS),
                context_depth=max(_CONTEXT_DEPTHS),
            ),
            cache,
        )
        gathered_by_window = {}
        for window in _CONTEXT_WINDOWS:
            probes, vectors, contexts = prepare_probes(texts, sorted(relevant), cache, window)
            gathered_by_window[window] = gather(archive, ids, relevant, probes, vectors, contexts)
        model, report = choose_and_fit(
            gathered_by_window,
            ids,
            relevant,
            k1=_K1,
            b=_B,
            depths=_DEPTHS,
            cs=_CS,
            speaker_depths=_SPEAKER_DEPTHS,
            context_depths=_CONTEXT_DEPTHS,
        )
        metadata = {
            "model": "logistic regression over the standardised features",
            "trained_on": f"{qrels.name}: {len(relevant)} queries (CheckThat! 2021 Task 2B, "
            "PolitiFact, research use)",
            **report,
        }
        save_model(model, metadata, out)
        params = model.params
        at_depth = [
            g.at_depth(params.depth, params.speaker_depth, params.context_depth)
            for g in gathered_by_window[params.context_window]
        ]
        gate, gate_report = fit_gate(at_depth, model)
        save_gate(gate, {"trained_on": metadata["trained_on"], **gate_report}, out)
        self.stdout.write(
            json.dumps(
                {
                    "n": len(relevant),
                    "cv_map_at_5": report["cv_map_at_5"],
                    "depth": model.params.depth,
                    "speaker_depth": model.params.speaker_depth,
                    "context_window": model.params.context_window,
                    "context_depth": model.params.context_depth,
                    "c": report["c"],
                    "suggest_threshold": model.suggest_threshold,
                    "gate_threshold": gate.threshold,
                    "auto_threshold": model.auto_threshold,
                }
            )
        )
