"""The claim pipeline: text in, claim records out. Pure Python, no Django.

The seam between the engine and the rest of FactDesk is `extract_claims` (one article) and
`extract_claims_batch` (many at once); both return plain `ClaimRecord`s.
"""

from claims.extraction.records import ArticleInput, ClaimRecord
from claims.extraction.v0 import EXTRACTOR_VERSION, extract_claims, extract_claims_batch

__all__ = [
    "EXTRACTOR_VERSION",
    "ArticleInput",
    "ClaimRecord",
    "extract_claims",
    "extract_claims_batch",
]
