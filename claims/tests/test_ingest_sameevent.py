import numpy as np

from claims.ingest.sameevent import EventSignature, name_keys, same_event, topic_vector


def unit(seed: int, near: np.ndarray | None = None, noise: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vector = rng.standard_normal(384) if near is None else near + noise * rng.standard_normal(384)
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def test_names_fold_articles_and_possessives_and_keep_only_who_and_where() -> None:
    entities = [
        {"text": "the Northvale utility's", "label": "ORG"},
        {"text": "Marrowgate", "label": "GPE"},
        {"text": "Tuesday", "label": "DATE"},
    ]

    assert name_keys(entities) == {"northvale utility", "marrowgate"}


def test_the_topic_is_the_unit_mean_of_the_claims() -> None:
    topic = topic_vector([[1.0, 0.0], [0.0, 1.0]])

    assert np.allclose(topic, [2**-0.5, 2**-0.5])
    assert topic_vector([]) is None


def test_close_meaning_and_shared_names_make_one_event_and_either_alone_does_not() -> None:
    base = unit(1)
    names = frozenset({"corlan chemicals", "dunmere", "ministry of industry", "tessa quarrie"})
    wire = EventSignature(names=names, topic=base)
    herald = EventSignature(
        names=frozenset({"corlan", "damian royce", "ilse moravec"}),
        topic=unit(2, near=base, noise=0.04),
        text="corlan chemicals rejected the ministry of industry's account of the dunmere fire",
    )
    other_fire = EventSignature(
        names=frozenset({"saltholm", "piet ambrose", "dockers union"}),
        topic=unit(3, near=base, noise=0.04),
    )
    same_names_far_topic = EventSignature(names=names, topic=unit(4))

    assert same_event(wire, herald) is not None
    assert "corlan chemicals" in same_event(wire, herald)[1]
    assert same_event(wire, other_fire) is None
    assert same_event(wire, same_names_far_topic) is None
