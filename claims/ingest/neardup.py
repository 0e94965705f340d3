"""Near-duplicate detection: MinHash signatures over word shingles, banded for LSH lookup.

Syndicated or lightly edited copies of one article share most of their 3-word shingles. A
signature of `NUM_PERM` MinHash values estimates the Jaccard similarity of two shingle sets;
cut into `BANDS` bands of `ROWS` values, two texts become candidates when any band is equal
(87% likely at similarity 0.5, over 99% at 0.7), and a candidate is a near duplicate when
the estimated similarity reaches `THRESHOLD`. Band keys are 64-bit integers so a database
index can serve the lookup as well as the in-memory `NearDuplicateIndex`.
"""

import hashlib
import re
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from datasketch import MinHash
from datasketch.minhash import _fmix

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 3
THRESHOLD = 0.5
_SEED = 20171122
_WORD = re.compile(r"\w+", re.UNICODE)
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=_SEED)
# datasketch's "affine32" scheme (its default) unrolled: the same values as
# `MinHash.update_batch` (a test holds them equal) without a Python call and struct unpacking
# per shingle, which was most of the time ingestion spent on a document.
_PERMUTATION_A, _PERMUTATION_B = (p.reshape(1, -1) for p in _TEMPLATE.permutations)
assert _TEMPLATE.scheme == "affine32"


@dataclass(frozen=True, eq=False)
class Fingerprint:
    hashvalues: np.ndarray

    def similarity(self, other: "Fingerprint") -> float:
        """Estimated Jaccard similarity of the two texts' shingle sets, in [0, 1]."""
        return float(np.count_nonzero(self.hashvalues == other.hashvalues)) / NUM_PERM

    @cached_property
    def band_keys(self) -> tuple[int, ...]:
        """One signed 64-bit key per band; equal keys make two texts candidates."""
        rows = self.hashvalues.reshape(BANDS, ROWS)
        return tuple(
            int.from_bytes(
                hashlib.blake2b(band.tobytes(), digest_size=8, salt=index.to_bytes(16)).digest(),
                "big",
                signed=True,
            )
            for index, band in enumerate(rows)
        )

    def to_bytes(self) -> bytes:
        return self.hashvalues.astype("<u8").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Fingerprint":
        return cls(np.frombuffer(data, dtype="<u8").astype(np.uint64))


def fingerprint(text: str) -> Fingerprint | None:
    """The text's MinHash fingerprint, or None when it has no words to compare."""
    words = _WORD.findall(text.lower())
    if not words:
        return None
    span = min(SHINGLE_WORDS, len(words))
    shingles = {" ".join(words[i : i + span]).encode() for i in range(len(words) - span + 1)}
    # SHA-1's first four bytes, little-endian: datasketch's sha1_hash32.
    digests = b"".join([hashlib.sha1(shingle).digest()[:4] for shingle in shingles])
    hashes = _fmix(np.frombuffer(digests, dtype="<u4").astype(np.uint32).reshape(-1, 1), 32)
    values = (hashes * _PERMUTATION_A + _PERMUTATION_B).min(axis=0)
    return Fingerprint(np.minimum(values, _TEMPLATE.hashvalues).astype(np.uint64))


class NearDuplicateIndex:
    """An in-memory LSH index: add fingerprints under keys, find the closest earlier one."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._buckets: dict[int, list[Hashable]] = defaultdict(list)
        self._fingerprints: dict[Hashable, Fingerprint] = {}

    def add(self, key: Hashable, print_: Fingerprint) -> None:
        self._fingerprints[key] = print_
        for band_key in print_.band_keys:
            self._buckets[band_key].append(key)

    def find(self, print_: Fingerprint) -> tuple[Hashable, float] | None:
        """The most similar indexed key at or above the threshold, with its similarity."""
        candidates = {key for band in print_.band_keys for key in self._buckets.get(band, ())}
        return best_match(print_, {k: self._fingerprints[k] for k in candidates}, self.threshold)


def best_match(
    print_: Fingerprint, candidates: dict[Hashable, Fingerprint], threshold: float = THRESHOLD
) -> tuple[Hashable, float] | None:
    """The candidate most similar to `print_`, if it reaches `threshold`."""
    scored = [(print_.similarity(other), key) for key, other in candidates.items()]
    passing = [(score, key) for score, key in scored if score >= threshold]
    if not passing:
        return None
    score, key = max(passing, key=lambda pair: pair[0])
    return key, score
