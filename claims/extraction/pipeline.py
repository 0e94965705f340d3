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
from claims.extraction.embeddings import embed_in_background
from claims.extraction.entities import entities_of, entity_docs
from claims.extraction.features import sentence_features
from claims.extraction.figures import find_figures
from claims.extraction.records import ArticleInput, ClaimRecord
from claims.extraction.scoring import default_model, model_inputs
from claims.extraction.sentences import SentenceSpan, split_sentences
from claims.extraction.validation import check_readable, is_english_prose

EXTRACTOR_VERSION = "engine-1.0"


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


def extract_claims(
    text: str, *, published: date | None = None, outlet: str = ""
) -> list[ClaimRecord]:
    """The claims in one article. Raises `ExtractionError` for input that is not an article."""
    return extract_claims_batch([ArticleInput(text, published, outlet)])[0]


def extract_claims_batch(articles: Sequence[ArticleInput]) -> list[list[ClaimRecord]]:
    """The claims of each article, in order; the models run once over all their sentences."""
    for article in articles:
        check_readable(article.text)
    sentences = [
        sentence
        for index, article in enumerate(articles)
        for sentence in _prose_sentences(index, article)
    ]
    texts = [sentence.text for sentence in sentences]
    embedding_job = embed_in_background(texts)
    analyses = [
        _analyse(sentence, doc) for sentence, doc in zip(sentences, entity_docs(texts), strict=True)
    ]
    embeddings = embedding_job.result()
    model = default_model()
    scores = model.scores(model_inputs(embeddings, _stack([a.features for a in analyses])), texts)
    claims: list[list[ClaimRecord]] = [[] for _ in articles]
    for index, article in enumerate(articles):
        rows = [row for row, sentence in enumerate(sentences) if sentence.article == index]
        attributions = _attribute(
            article, [sentences[row] for row in rows], [analyses[row] for row in rows]
        )
        for row, attribution in zip(rows, attributions, strict=True):
            claim = _claim_record(
                sentences[row], analyses[row], attribution, float(scores[row]), embeddings[row],
                article.published, model.threshold,
            )  # fmt: skip
            if claim:
                claims[index].append(claim)
    return claims


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


def _attribute(
    article: ArticleInput, sentences: list[_Sentence], analyses: list[_Analysis]
) -> list[Attribution]:
    inputs = [
        SentenceForAttribution(s.text, s.span.paragraph, a.entities)
        for s, a in zip(sentences, analyses, strict=True)
    ]
    return attribute_sentences(inputs, article.outlet)


def _claim_record(
    sentence: _Sentence,
    analysis: _Analysis,
    attribution: Attribution,
    score: float,
    embedding: np.ndarray,
    published: date | None,
    threshold: float,
) -> ClaimRecord | None:
    attributed = attribution.kind != OUTLET
    kind = claim_type(sentence.text, analysis.figures, attributed)
    checkworthy = score >= threshold
    if not (checkworthy or attributed or kind == STATISTIC):
        return None
    offset = sentence.span.start
    entities = [_shifted(e, offset) for e in analysis.entities]
    return ClaimRecord(
        text=sentence.text,
        start=sentence.span.start,
        end=sentence.span.end,
        claim_type=kind,
        score=round(score, 4),
        speaker=attribution.speaker,
        speaker_role=attribution.role,
        speaker_kind=attribution.kind,
        entities=entities,
        figures=[_shifted(f, offset) for f in analysis.figures],
        embedding=embedding.tolist(),
        dates=resolve_dates(entities, published),
        checkworthy=checkworthy,
    )


def _shifted(item: dict, offset: int) -> dict:
    return item | {"start": item["start"] + offset, "end": item["end"] + offset}
