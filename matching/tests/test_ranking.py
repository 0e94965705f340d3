import numpy as np
import pytest

from matching.ranking.bm25 import BM25
from matching.ranking.guard import compare, facts_of
from matching.ranking.ranker import (
    FEATURES,
    Archive,
    FactCheckRecord,
    Params,
    Probe,
    candidates,
)
from matching.ranking.text import fold, skeleton, tokens
from matching.ranking.training import context_ids


def test_folding_drops_accents_and_case():
    assert fold("Ærø Łódź Müller") == "aero lodz muller"


def test_skeleton_joins_transliterations_of_a_name():
    assert skeleton("Konashenkov") == skeleton("Konashenkova")
    assert skeleton("Bukamal") == skeleton("Boukamal")
    assert skeleton("Konashenkov") != skeleton("Kovalenko")


def test_tokens_join_plurals_and_drop_stopwords():
    assert tokens("The ferries were cancelled") == tokens("a ferry was cancelled")


def test_bm25_prefers_the_document_sharing_rare_words():
    index = BM25([tokens("ferry fares doubled"), tokens("the weather was mild"), tokens("fares")])
    scores = index.scores(tokens("did ferry fares double?"))
    assert scores.argmax() == 0
    assert scores[1] == 0


def test_guard_keeps_different_figures_apart_and_lets_agreeing_ones_through():
    twelve = facts_of("12 civilians were killed in the strike", [])
    forty = facts_of("At least 40 people were killed in the strike", [])
    forty_five = facts_of("The strike killed 45 people", [])
    assert compare(twelve, forty).conflict
    assert not compare(forty, forty_five).conflict
    assert compare(forty, forty_five).shared_figures == 1


def test_guard_keeps_different_places_apart():
    calder = facts_of("The bridge in Calder closed", [("Calder", "GPE")])
    saltmere = facts_of("The bridge in Saltmere closed", [("Saltmere", "GPE")])
    assert compare(calder, saltmere).place_conflict
    assert not compare(calder, calder).conflict


def test_the_speakers_earlier_factchecks_join_the_candidates_beyond_the_depth():
    rng = np.random.default_rng(0)
    records = [
        FactCheckRecord(claim=f"Harbour fees rose {n} percent", speaker="Port Authority")
        for n in range(30)
    ]
    records.append(
        FactCheckRecord(claim="We built more schools than anyone", speaker="Ada Lovelace")
    )
    vectors = rng.normal(size=(len(records), 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[30] = -vectors[0]  # far from the query in meaning, and no word in common
    probe = Probe(text="Harbour fees rose again this year", speaker="Ada Lovelace")
    query = vectors[0]

    def found(speaker_depth: int) -> set[int]:
        archive = Archive(records, vectors, vectors, Params(depth=3, speaker_depth=speaker_depth))
        return {c.index for c in candidates(archive, probe, query)}

    assert 30 not in found(0)
    assert 30 in found(1)


def test_the_sentences_around_a_claim_bring_in_what_it_does_not_name():
    rng = np.random.default_rng(1)
    records = [FactCheckRecord(claim=f"Harbour fees rose {n} percent") for n in range(20)]
    records.append(FactCheckRecord(claim="Thousands of people voted in two states"))
    vectors = rng.normal(size=(len(records), 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    query = vectors[0]
    vectors[20] = -query  # far from the claim in meaning, and no word in common
    archive = Archive(records, vectors, vectors, Params(depth=3, context_depth=1))
    alone = Probe(text="Harbour fees rose again")
    with_context = Probe(text="Harbour fees rose again", context=("People voted in two states",))
    context_vectors = vectors[20:21]

    assert 20 not in {c.index for c in candidates(archive, alone, query)}
    found = {c.index: c for c in candidates(archive, with_context, query, None, context_vectors)}
    assert 20 in found
    features = dict(zip(FEATURES, found[20].features, strict=True))
    assert features["context_known"] == 1.0
    assert features["context_cosine"] == pytest.approx(1.0)
    assert features["context_bm25_share"] == pytest.approx(1.0)
    unbrought = dict(zip(FEATURES, found[0].features, strict=True))
    assert unbrought["context_cosine"] < 1.0 and unbrought["context_bm25_share"] == 0.0


def test_a_querys_context_is_the_listed_lines_near_it_in_its_own_transcript():
    ids = [
        "20170126_Trump_ABC_0103",
        "20170126_Trump_ABC_0107",
        "20170126_Trump_ABC_0110",
        "20170126_Trump_ABC_0121",
        "20170127_Trump_ABC_0108",
    ]
    near = context_ids(ids, 4)
    assert near["20170126_Trump_ABC_0107"] == ["20170126_Trump_ABC_0110", "20170126_Trump_ABC_0103"]
    assert near["20170126_Trump_ABC_0121"] == []
    assert near["20170127_Trump_ABC_0108"] == []
    assert context_ids(ids, 0)["20170126_Trump_ABC_0107"] == []
