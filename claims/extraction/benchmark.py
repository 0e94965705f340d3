"""Throughput of the whole engine against the time its models alone take on the same sentences."""

import random
import resource
import time
from collections.abc import Sequence
from datetime import date

from claims.extraction.embeddings import EmbeddingJob
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


def run_benchmark(articles: Sequence[ArticleInput]) -> dict:
    extract_claims_batch(articles[:1])  # load the models before the clock starts
    batches = [articles[i : i + BATCH_ARTICLES] for i in range(0, len(articles), BATCH_ARTICLES)]
    started, cpu_started = time.perf_counter(), time.process_time()
    for batch in batches:
        extract_claims_batch(batch)
    pipeline_seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    batch_sentences = [
        [s for article in batch for s in prose_sentences(article)] for batch in batches
    ]
    sentences = [s for batch in batch_sentences for s in batch]
    models_seconds = sum(_models_alone_seconds(batch) for batch in batch_sentences)
    return {
        "docs": len(articles),
        "sentences": len(sentences),
        "docs_per_s": round(len(articles) / pipeline_seconds, 1),
        "sentences_per_s": round(len(sentences) / pipeline_seconds, 1),
        "model_only_sentences_per_s": round(len(sentences) / models_seconds, 1),
        "overhead_pct": round(100 * (pipeline_seconds / models_seconds - 1), 1),
        # CPU time does not depend on what else the machine is running, unlike the rates above.
        "cpu_ms_per_sentence": round(1000 * cpu_seconds / len(sentences), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _models_alone_seconds(sentences: list[str]) -> float:
    """NER and the encoder on one batch, side by side as the pipeline runs them, nothing else."""
    started = time.perf_counter()
    embedding_job = EmbeddingJob(sentences)
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
