import factory

from claims import services
from claims.models import Claim, Document
from claims.services import content_hash_of


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"Article {n}")
    outlet = "Harbour Times"
    url = factory.Sequence(lambda n: f"https://harbour-times.example/{n}")
    text = factory.Sequence(
        lambda n: f"Article {n}. Officials said that {n + 100} ships docked in May, up 4 percent."
    )
    content_hash = factory.LazyAttribute(lambda d: content_hash_of(d.text))
    extraction_status = Document.ExtractionStatus.EXTRACTED
    extractor_version = "test"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    document = factory.SubFactory(DocumentFactory)
    start = 0
    end = factory.LazyAttribute(lambda c: len(c.document.text))
    text = factory.LazyAttribute(lambda c: c.document.text[c.start : c.end])
    claim_type = Claim.ClaimType.STATISTIC
    score = 0.8
    speaker = "Officials"
    speaker_kind = Claim.SpeakerKind.ORGANIZATION
    extractor_version = "test"


def ingest(text: str) -> Document:
    return services.document_ingest(text=text, title="Port", outlet="Harbour Times").document


def claim_rows(document: Document) -> list[tuple]:
    return list(
        Claim.objects.filter(document=document)
        .order_by("start")
        .values_list("id", "start", "end", "text", "speaker", "score", "extractor_version")
    )
