"""The claim engine: articles in, claim records out, with the models batched across articles."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from claims.extraction.attribution import (
    OUTLET,
    Attribution,
    SentenceForAttribution,
    attribute_sentences,
)
from claims.extraction.classify import STATISTIC, claim_type
from claims.extraction.cleaning import find_debris
from claims.extraction.dates import resolve_dates
from claims.extraction.embeddings import EmbeddingJob, embedding_version
from claims.extraction.entities import entities_of, entity_docs
from claims.extraction.features import sentence_features
from claims.extraction.figures import find_figures
from claims.extraction.records import ArticleInput, ClaimRecord
from claims.extraction.scoring import default_model, model_inputs
from claims.extraction.sentences import SentenceSpan, split_sentences
from claims.extraction.validation import check_readable, is_english_prose

EXTRACTOR_VERSION = "engine-1.2"


@dataclass(frozen=True)
class _Sentence:
    article: int
    span: SentenceSpan
    text: str


@dataclass(frozen=True)
class _Analysis:
    entities: list[dict]
    figures: list[dict]
    features: np.ndarray


@dataclass(frozen=True)
class _ReadSentence:
    sentence: _Sentence
    analysis: _Analysis
    score: float
    embedding: np.ndarray
    embedding_version: str


def extract_claims(
    text: str,
    *,
    published: date | None = None,
    outlet: str = "",
    threshold: float | None = None,
) -> list[ClaimRecord]:
    """The claims in one article. Raises `ExtractionError` for input that is not an article.

    `threshold`: the calibrated score at which a sentence is check-worthy (the desk passes its
    `FACTDESK_QUEUE_THRESHOLD`, so that check-worthy means queued); None: the model's own."""
    return extract_claims_batch([ArticleInput(text, published, outlet)], threshold=threshold)[0]


def extract_claims_batch(
    articles: Sequence[ArticleInput], *, threshold: float | None = None
) -> list[list[ClaimRecord]]:
    """The claims of each article, in order; the models run once over all their sentences."""
    for article in articles:
        check_readable(article.text)
    sentences = [
        sentence
        for index, article in enumerate(articles)
        for sentence in _prose_sentences(index, article)
    ]
    read = _read_sentences(sentences)
    by_article: list[list[_ReadSentence]] = [[] for _ in articles]
    for sentence in read:
        by_article[sentence.sentence.article].append(sentence)
    if threshold is None:
        threshold = default_model().threshold
    return [
        _article_claims(article, sentences, threshold)
        for article, sentences in zip(articles, by_article, strict=True)
    ]


def _read_sentences(sentences: list[_Sentence]) -> list[_ReadSentence]:
    """Entities, figures, embedding and score of every sentence; NER and MiniLM run side by side."""
    texts = [sentence.text for sentence in sentences]
    version = embedding_version()
    embedding_job = EmbeddingJob(texts)
    analyses = [
        _analyse(sentence, doc) for sentence, doc in zip(sentences, entity_docs(texts), strict=True)
    ]
    embeddings = embedding_job.result()
    features = _stack([analysis.features for analysis in analyses])
    scores = default_model().scores(model_inputs(embeddings, features), texts)
    return [
        _ReadSentence(sentence, analysis, float(score), embedding, version)
        for sentence, analysis, score, embedding in zip(
            sentences, analyses, scores, embeddings, strict=True
        )
    ]


def _article_claims(
    article: ArticleInput, sentences: list[_ReadSentence], threshold: float
) -> list[ClaimRecord]:
    attributions = attribute_sentences(
        [
            SentenceForAttribution(s.sentence.text, s.sentence.span.paragraph, s.analysis.entities)
            for s in sentences
        ],
        article.outlet,
    )
    claims = (
        _claim_record(sentence, attribution, article.published, threshold)
        for sentence, attribution in zip(sentences, attributions, strict=True)
    )
    return [claim for claim in claims if claim]


def prose_sentences(article: ArticleInput) -> list[str]:
    """The sentences of an article that the engine reads (debris and non-prose left out)."""
    return [sentence.text for sentence in _prose_sentences(0, article)]


def _prose_sentences(index: int, article: ArticleInput) -> list[_Sentence]:
    text = article.text
    spans = split_sentences(text, find_debris(text))
    return [
        _Sentence(index, span, text[span.start : span.end])
        for span in spans
        if is_english_prose(text[span.start : span.end])
    ]


def _analyse(sentence: _Sentence, doc) -> _Analysis:
    entities = entities_of(doc)
    figures = find_figures(sentence.text)
    return _Analysis(entities, figures, sentence_features(sentence.text, entities, figures))


def _stack(features: list[np.ndarray]) -> np.ndarray:
    if not features:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack(features)


def _claim_record(
    read: _ReadSentence, attribution: Attribution, published: date | None, threshold: float
) -> ClaimRecord | None:
    sentence, analysis = read.sentence, read.analysis
    attributed = attribution.kind != OUTLET
    kind = claim_type(sentence.text, analysis.figures, attributed)
    checkworthy = read.score >= threshold
    if not (checkworthy or attributed or kind == STATISTIC):
        return None
    offset = sentence.span.start
    entities = [_shifted(e, offset) for e in analysis.entities]
    return ClaimRecord(
        text=sentence.text,
        start=sentence.span.start,
        end=sentence.span.end,
        claim_type=kind,
        score=round(read.score, 4),
        speaker=attribution.speaker,
        speaker_role=attribution.role,
        speaker_kind=attribution.kind,
        speaker_affiliation=attribution.affiliation,
        speaker_key=attribution.key,
        speaker_mention=attribution.mention,
        speaker_resolution=attribution.resolution,
        entities=entities,
        figures=[_shifted(f, offset) for f in analysis.figures],
        embedding=read.embedding.tolist(),
        embedding_version=read.embedding_version,
        dates=resolve_dates(entities, published),
        checkworthy=checkworthy,
    )


def _shifted(item: dict, offset: int) -> dict:
    return item | {"start": item["start"] + offset, "end": item["end"] + offset}
