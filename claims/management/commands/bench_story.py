"""How long a story with many claims takes to find its disputes and to read for its page."""

import json
import time

import numpy as np
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims import selectors
from claims.actors import Speaker, actors_resolve
from claims.disputes import story_disputes_find
from claims.extraction.figures import find_figures
from claims.models import Claim, Document, Story
from claims.services import content_hash_of, pack_embedding

_SENTENCES = (
    "At least {n} people were killed in the raid on {place}, the {side} said.",
    "Only {n} people died in {place}, according to the {side}.",
    "The {side} said its forces never spared militants near {place}.",
    "The {side} said its forces spared militants near {place}.",
    "The {side} rejected the allegations about {place} as baseless.",
    "About {n} homes were destroyed in {place}.",
)


class Command(BaseCommand):
    help = "Builds a story of N claims from two sides, times dispute finding and the story read."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=5000)
        parser.add_argument("--documents", type=int, default=100)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **options):
        rng = np.random.default_rng(options["seed"])
        with transaction.atomic():
            story = self._story(options["claims"], options["documents"], rng)
            started = time.perf_counter()
            disputes = story_disputes_find(story=story)
            find_seconds = time.perf_counter() - started
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                detail = selectors.story_detail(story_id=story.pk)
                read_seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        self.stdout.write(
            json.dumps(
                {
                    "benchmark": "story",
                    "database": connection.vendor,
                    "claims": options["claims"],
                    "documents": options["documents"],
                    "disputes": len(disputes),
                    "find_disputes_seconds": round(find_seconds, 3),
                    "story_read_seconds": round(read_seconds, 3),
                    "story_read_queries": len(queries),
                    "figure_rows": len(detail.figures),
                }
            )
        )

    def _story(self, claims: int, documents: int, rng) -> Story:
        ministry, coalition = actors_resolve(
            speakers=[
                Speaker("Bench Ministry", "organization"),
                Speaker("Bench Coalition", "organization"),
            ]
        )
        story = Story.objects.create(title="Benchmark story")
        pages = Document.objects.bulk_create(
            Document(
                story=story,
                outlet=f"Bench Outlet {n % 12}",
                title=f"Bench report {n}",
                text=f"Bench report {n} {rng.integers(1 << 60)}",
                content_hash=content_hash_of(f"Bench report {n} {rng.integers(1 << 60)}"),
            )
            for n in range(documents)
        )
        topics = rng.standard_normal((40, 384)).astype(np.float32)
        rows = []
        for n in range(claims):
            side = (ministry, coalition)[(n // 7) % 2]
            template = _SENTENCES[n % len(_SENTENCES)]
            text = template.format(
                n=int(rng.integers(1, 400)), place=f"Town {n % 40}", side=side.name
            )
            vector = topics[n % 40] + 0.3 * rng.standard_normal(384).astype(np.float32)
            vector /= np.linalg.norm(vector)
            rows.append(
                Claim(
                    document=pages[n % documents],
                    actor=side,
                    text=text,
                    start=n,
                    end=n + len(text),
                    figures=find_figures(text),
                    embedding=pack_embedding(vector.tolist()),
                    extractor_version="bench",
                )
            )
        Claim.objects.bulk_create(rows, batch_size=1000)
        return story
