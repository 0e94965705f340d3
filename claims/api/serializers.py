from django.conf import settings
from rest_framework import serializers

from claims.models import CLAIM_FIELDS, Claim, Document, DocumentFetch
from factdesk.validation import HttpUrlField


class ClaimSerializer(serializers.ModelSerializer):
    document_title = serializers.CharField(source="document.title", read_only=True)
    outlet = serializers.CharField(source="document.outlet", read_only=True)
    story = serializers.IntegerField(source="document.story_id", read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "document", "document_title", "outlet", "story", *CLAIM_FIELDS]
        read_only_fields = fields


# A document's page lists its claims without what the claim's own page adds.
DOCUMENT_CLAIM_OMITS = ("entities", "extractor_version", "created_at")


class DocumentClaimSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = ["id", *(f for f in CLAIM_FIELDS if f not in DOCUMENT_CLAIM_OMITS)]
        read_only_fields = fields


DOCUMENT_SUMMARY_FIELDS = [
    "id",
    "url",
    "canonical_url",
    "title",
    "outlet",
    "author",
    "published_at",
    "language",
    "story",
    "extraction_status",
    "extraction_error",
    "extractor_version",
    "created_at",
]


class DocumentListSerializer(serializers.ModelSerializer):
    claim_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Document
        fields = [*DOCUMENT_SUMMARY_FIELDS, "claim_count"]
        read_only_fields = fields


class DocumentDetailSerializer(serializers.ModelSerializer):
    claims = DocumentClaimSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = [*DOCUMENT_SUMMARY_FIELDS, "text", "claims"]
        read_only_fields = fields


class DocumentCreateSerializer(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, allow_blank=True)
    title = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    url = serializers.URLField(max_length=2000, required=False, default="", allow_blank=True)
    outlet = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    author = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    published_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    language = serializers.CharField(max_length=16, required=False, default="", allow_blank=True)

    def validate_text(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("The document has no text.")
        limit = settings.FACTDESK_MAX_DOCUMENT_CHARS
        if len(value) > limit:
            raise serializers.ValidationError(
                f"The document has {len(value):,} characters; the limit is {limit:,}."
            )
        return value


class DocumentFromUrlSerializer(serializers.Serializer):
    url = HttpUrlField(max_length=2000, scheme_message="Only http and https URLs can be fetched.")


class DocumentFetchSerializer(serializers.ModelSerializer):
    status_url = serializers.HyperlinkedIdentityField(view_name="document-fetch-detail")
    document_url = serializers.HyperlinkedRelatedField(
        source="document", view_name="document-detail", read_only=True
    )

    class Meta:
        model = DocumentFetch
        fields = [
            "id",
            "status_url",
            "url",
            "status",
            "error",
            "attempts",
            "document",
            "document_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
