from claims.ingest import neardup
from claims.ingest.neardup import Fingerprint, NearDuplicateIndex, fingerprint

STORY = """The regional water board said on Thursday that reservoir levels had fallen to 41
percent of capacity, the lowest October reading since records began in 1976. A spokesperson
for the board, Mara Lind, said households would be asked to cut use by a tenth from next month
and that a hosepipe ban could follow in spring if rainfall stayed below average. Farmers' groups
said irrigation limits already cost growers an estimated 12 million euros this season, while the
environment minister told parliament the government would fund two new storage projects."""

OTHER_STORY = """A city council vote on the new tram line was postponed for a second time after
engineers raised doubts about the cost of moving underground cables. The mayor said the project
remained on schedule for 2029 and that the budget of 380 million had not changed, but opposition
councillors demanded an independent audit before any contract is signed with the builders."""


def syndicated_copy(text: str) -> str:
    """How a second outlet carries the story: its own headline, a lightly edited line, debris."""
    edited = text.replace("said on Thursday", "announced on Thursday").replace(
        "a tenth", "10 percent"
    )
    return f"Reservoirs at record low\n\n{edited}\n\nREAD MORE: Weekend weather\nShare this"


def test_syndicated_copy_is_near_and_another_story_is_not() -> None:
    original = fingerprint(STORY)

    assert original.similarity(fingerprint(syndicated_copy(STORY))) >= 0.6
    assert original.similarity(fingerprint(OTHER_STORY)) < 0.1


def test_index_groups_copies_and_keeps_other_stories_apart() -> None:
    index = NearDuplicateIndex()
    index.add("original", fingerprint(STORY))
    index.add("tram", fingerprint(OTHER_STORY))

    match = index.find(fingerprint(syndicated_copy(STORY)))

    assert match is not None
    assert match[0] == "original"
    assert index.find(fingerprint("An unrelated note about a chess tournament in Oslo.")) is None


def test_fingerprint_round_trips_through_bytes() -> None:
    print_ = fingerprint(STORY)

    restored = Fingerprint.from_bytes(print_.to_bytes())

    assert restored.similarity(print_) == 1.0
    assert restored.band_keys == print_.band_keys


def test_text_without_words_has_no_fingerprint() -> None:
    assert fingerprint(" -- \n ... ") is None
    assert fingerprint("Short note") is not None


def test_the_fingerprint_is_datasketchs_minhash_of_the_shingles() -> None:
    from datasketch import MinHash

    text = "The port handled 11,000 containers in October, up 7 percent on a year earlier."
    words = text.lower().replace(",", " ").replace(".", " ").split()
    shingles = {" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)}
    reference = MinHash(num_perm=neardup.NUM_PERM, seed=neardup._SEED)
    reference.update_batch(list(shingles))
    assert (fingerprint(text).hashvalues == reference.hashvalues.astype("uint64")).all()
