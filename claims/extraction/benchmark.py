"""Throughput of the whole engine against the time its models alone take on the same sentences."""

import random
import resource
import time
from collections.abc import Sequence
from datetime import date

import numpy as np

from claims.extraction.embeddings import (
    DEFAULT_BACKEND,
    EmbeddingJob,
    backend_name,
    embed,
    set_backend,
)
from claims.extraction.entities import entity_docs
from claims.extraction.pipeline import extract_claims_batch, prose_sentences
from claims.extraction.records import ArticleInput

BATCH_ARTICLES = 32
_PUBLISHED = date(2026, 3, 14)
_SPEAKERS = (
    ("Maria Okafor", "the city's housing commissioner"),
    ("Tomas Lindqvist", "a spokesman for the regional transport authority"),
    ("Priya Raman", "chief economist at the Harbour Institute"),
)
_TEMPLATES = (
    "The council approved {n} new homes last week, {m} fewer than it promised in {month}.",
    '"We will deliver every one of them by {year}," {name}, {role}, told reporters on Tuesday.',
    "Rents in the district rose {p}% over the past year, according to the Harbour Institute.",
    '"That is the fastest rise we have recorded," {surname} said. "It is not sustainable."',
    "The authority said about {n} buses had been withdrawn because of a shortage of drivers.",
    "Opposition members argued that the plan would cost at least ${b} bn over ten years.",
    "Between {m} and {n} families are still waiting for a decision, the Ministry of Housing said.",
    "Critics say the scheme has failed to reach the people who need it most.",
    "{surname} added that the budget for repairs had doubled since {year2}.",
    "Residents will be able to comment on the proposals until the end of {month}.",
)


def bench_articles(fixture_texts: Sequence[str], docs: int) -> list[ArticleInput]:
    texts = list(fixture_texts) or [_generated_article(seed) for seed in range(20)]
    return [ArticleInput(texts[i % len(texts)], _PUBLISHED, "Bench Gazette") for i in range(docs)]


def run_benchmark(
    articles: Sequence[ArticleInput], backends: Sequence[str] = (DEFAULT_BACKEND,)
) -> dict:
    """Throughput of the engine with each embedding backend, timed batch by batch in turn.

    Every batch runs once per backend, the backends taking turns in alternating order, so that a
    change in the machine's load falls on all of them alike and their ratio holds. The top-level
    rates are those of the first backend.
    """
    chosen = backend_name()
    batches = [articles[i : i + BATCH_ARTICLES] for i in range(0, len(articles), BATCH_ARTICLES)]
    batch_sentences = [
        [s for article in batch for s in prose_sentences(article)] for batch in batches
    ]
    sentences = sum(len(batch) for batch in batch_sentences)
    wall = dict.fromkeys(backends, 0.0)
    cpu = dict.fromkeys(backends, 0.0)
    models = dict.fromkeys(backends, 0.0)
    try:
        for backend in backends:
            set_backend(backend)
            extract_claims_batch(articles[:1])  # load the models before the clock starts
        for index, (batch, texts) in enumerate(zip(batches, batch_sentences, strict=True)):
            order = backends if index % 2 == 0 else tuple(reversed(backends))
            for backend in order:
                set_backend(backend)
                started, cpu_started = time.perf_counter(), time.process_time()
                extract_claims_batch(batch)
                wall[backend] += time.perf_counter() - started
                cpu[backend] += time.process_time() - cpu_started
                models[backend] += _models_alone_seconds(texts, backend)
    finally:
        set_backend(chosen)
    figures = {
        backend: _figures(len(articles), sentences, wall[backend], cpu[backend], models[backend])
        for backend in backends
    }
    result = {"docs": len(articles), "sentences": sentences, "backend": backends[0]}
    result |= figures[backends[0]]
    if len(backends) > 1:
        result["backends"] = figures
        result[f"speedup_vs_{backends[1]}"] = round(wall[backends[1]] / wall[backends[0]], 2)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def _figures(docs: int, sentences: int, wall: float, cpu: float, models: float) -> dict:
    return {
        "docs_per_s": round(docs / wall, 1),
        "sentences_per_s": round(sentences / wall, 1),
        "model_only_sentences_per_s": round(sentences / models, 1),
        "overhead_pct": round(100 * (wall / models - 1), 1),
        # CPU time does not depend on what else the machine is running, unlike the rates above.
        "cpu_ms_per_sentence": round(1000 * cpu / sentences, 2),
    }


def _models_alone_seconds(sentences: list[str], backend: str) -> float:
    """NER and the encoder on one batch, side by side as the pipeline runs them, nothing else."""
    started = time.perf_counter()
    embedding_job = EmbeddingJob(sentences, backend=backend)
    for _doc in entity_docs(sentences):
        pass
    embedding_job.result()
    return time.perf_counter() - started


def _generated_article(seed: int) -> str:
    rng = random.Random(seed)
    name, role = rng.choice(_SPEAKERS)
    values = {
        "n": rng.randint(120, 4000),
        "m": rng.randint(10, 110),
        "p": rng.randint(2, 19),
        "b": round(rng.uniform(1, 9), 1),
        "year": rng.randint(2027, 2031),
        "year2": rng.randint(2015, 2022),
        "month": rng.choice(("January", "April", "September", "November")),
        "name": name,
        "surname": name.split()[-1],
        "role": role,
    }
    paragraphs = [rng.choice(_TEMPLATES).format(**values) for _ in range(14)]
    return "Housing plan under fire\n\n" + "\n\n".join(paragraphs) + "\n\nShare this article\n"


def compare_embeddings(
    sentences: list[str], reference: str, candidates: Sequence[str], repeats: int = 3
) -> dict:
    """Cosine of each candidate backend's vectors to the reference's, and each encoder's speed alone.

    Speeds are the best of `repeats` runs over all the sentences on one thread, in turn.
    """
    vectors = {name: embed(sentences, backend=name) for name in (reference, *candidates)}
    seconds = dict.fromkeys(vectors, float("inf"))
    for _ in range(repeats):
        for name in vectors:
            started = time.perf_counter()
            embed(sentences, backend=name)
            seconds[name] = min(seconds[name], time.perf_counter() - started)
    result = {"sentences": len(sentences), "reference": reference}
    for name in candidates:
        cosines = np.sum(vectors[reference] * vectors[name], axis=1)
        result[name] = {
            "mean_cosine": round(float(cosines.mean()), 4),
            "min_cosine": round(float(cosines.min()), 4),
            "p05_cosine": round(float(np.percentile(cosines, 5)), 4),
        }
    result["encoder_sentences_per_s"] = {
        name: round(len(sentences) / spent, 1) for name, spent in seconds.items()
    }
    return result
