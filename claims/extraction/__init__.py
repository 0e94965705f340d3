"""The claim pipeline: text in, claim records out. Pure Python, no Django.

The seam between the engine and the rest of FactDesk is `extract_claims` (one article) and
`extract_claims_batch` (many at once); both return plain `ClaimRecord`s, or raise
`ExtractionError` for input that is not an article (binary data, oversized text).
"""

from claims.extraction.pipeline import EXTRACTOR_VERSION, extract_claims, extract_claims_batch
from claims.extraction.records import ArticleInput, ClaimRecord, ExtractionError

__all__ = [
    "EXTRACTOR_VERSION",
    "ArticleInput",
    "ClaimRecord",
    "ExtractionError",
    "extract_claims",
    "extract_claims_batch",
]
