import json
import shutil
import time
from datetime import date

import pytest

from claims.extraction import (
    EXTRACTOR_VERSION,
    ArticleInput,
    ExtractionError,
    extract_claims,
    extract_claims_batch,
)
from claims.extraction.embeddings import (
    EMBEDDING_DIM,
    MODEL_SHA256,
    ModelChecksumError,
    embedding_version,
    verify_sha256,
)
from claims.extraction.scoring import METADATA_FILE, MODEL_DIR, load_model

ARTICLE = """Ferry operator cuts winter crossings

Ferry operator cuts winter crossings

The island ferry will run just under 40 crossings a week this winter, down from about 1,200 a year ago, the Coastal Shipping Board said on Monday.

"We simply do not have the crews to run more boats", Ingrid Solberg, chief executive of Fjordline Ferries, said. "Every route is losing money at the moment".

More news: Harbour fish market to reopen in spring

Fares will rise by 6% in January because fuel costs have doubled since last year, according to the board.

The weather on Monday was grey and cold.

Share this article
"""


@pytest.fixture(scope="module")
def claims():
    return extract_claims(ARTICLE, published=date(2026, 11, 16), outlet="Island Echo")


def claim_containing(claims, words: str):
    return next(c for c in claims if words in c.text)


def test_every_claim_span_is_exact_and_no_claim_comes_from_debris(claims) -> None:
    assert claims
    for claim in claims:
        assert ARTICLE[claim.start : claim.end] == claim.text
        assert "More news" not in claim.text and "Share this" not in claim.text
        assert not claim.text.startswith("Ferry operator cuts")


def test_a_figure_with_a_qualifier_is_a_statistic(claims) -> None:
    claim = claim_containing(claims, "just under 40 crossings")
    assert claim.claim_type == "statistic"
    figure = claim.figures[0]
    assert (figure["value"], figure["comparator"], figure["counted"]) == (40, "<", "crossings")
    assert ARTICLE[figure["start"] : figure["end"]] == "just under 40"
    assert claim.speaker == "Coastal Shipping Board"


def test_quotes_and_their_continuation_belong_to_the_named_speaker(claims) -> None:
    first = claim_containing(claims, "We simply do not have the crews")
    second = claim_containing(claims, "Every route is losing money")
    assert (first.speaker, first.speaker_kind) == ("Ingrid Solberg", "person")
    assert "chief executive of Fjordline Ferries" in first.speaker_role
    assert second.speaker == "Ingrid Solberg"


def test_dates_are_resolved_against_the_publication_date(claims) -> None:
    claim = claim_containing(claims, "Fares will rise")
    resolved = {d["text"]: d["resolved"] for d in claim.dates}
    assert resolved.get("January") == "2026-01" or resolved.get("last year") == "2025"


def test_scores_are_probabilities_and_embeddings_are_unit_minilm_vectors(claims) -> None:
    for claim in claims:
        assert 0.0 <= claim.score <= 1.0
        assert len(claim.embedding) == EMBEDDING_DIM
        assert sum(v * v for v in claim.embedding) == pytest.approx(1.0, abs=1e-3)
        assert claim.embedding_version == embedding_version()


def test_an_unattributed_sentence_without_figures_or_weight_is_not_a_claim(claims) -> None:
    assert not any("weather on Monday" in c.text for c in claims)


def test_a_batch_gives_the_same_claims_as_one_article_at_a_time(claims) -> None:
    other = "Officials said 300 homes were flooded in the valley on Sunday."
    batch = extract_claims_batch(
        [ArticleInput(ARTICLE, date(2026, 11, 16), "Island Echo"), ArticleInput(other)]
    )
    assert [(c.start, c.speaker, c.claim_type) for c in batch[0]] == [
        (c.start, c.speaker, c.claim_type) for c in claims
    ]
    assert batch[1][0].text == other


def test_the_version_names_this_engine() -> None:
    assert EXTRACTOR_VERSION.startswith("engine-")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Mieten begrenzt.",
        "Правительство объявило о новых мерах поддержки для семей с детьми.",
        "#### 12 ** 99 // ~~~ ++ == 33",
    ],
)
def test_empty_or_foreign_text_gives_no_claims(text: str) -> None:
    assert extract_claims(text) == []


def test_binary_garbage_is_refused_with_a_reason() -> None:
    garbage = bytes(range(256)).decode("latin-1") * 400
    with pytest.raises(ExtractionError, match="binary"):
        extract_claims(garbage)


def test_a_million_characters_finish_in_bounded_time() -> None:
    paragraph = "The council said 40 new buses would arrive next spring, at a cost of $12m. "
    text = (paragraph * (1_000_000 // len(paragraph) + 1))[:1_000_000]
    started = time.monotonic()
    claims = extract_claims(text)
    assert time.monotonic() - started < 60
    assert 0 < len(claims) <= 1_500


def test_a_weights_file_that_does_not_match_its_checksum_is_refused(tmp_path) -> None:
    for item in MODEL_DIR.iterdir():
        shutil.copy(item, tmp_path / item.name)
    metadata = json.loads((tmp_path / METADATA_FILE).read_text())
    weights = tmp_path / metadata["weights_file"]
    weights.write_bytes(weights.read_bytes() + b"tampered")
    with pytest.raises(ModelChecksumError, match="sha256"):
        load_model(tmp_path)


def test_an_encoder_weights_file_with_another_checksum_is_refused(tmp_path) -> None:
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"not the MiniLM weights")
    with pytest.raises(ModelChecksumError, match="refusing"):
        verify_sha256(weights, MODEL_SHA256)
