from django.conf import settings
from rest_framework import serializers

from claims import selectors
from claims.models import CLAIM_FIELDS, Actor, Claim, ClaimCluster, Document, DocumentFetch
from factdesk.validation import HttpUrlField


class ActorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class DisputeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    claims = serializers.SerializerMethodField()
    detail = serializers.CharField()
    state = serializers.CharField()

    def get_claims(self, dispute) -> list[int]:
        ids = getattr(dispute, "claim_ids", None)
        return list(ids) if ids is not None else [claim.pk for claim in dispute.claims.all()]


class ClaimSerializer(serializers.ModelSerializer):
    document_title = serializers.CharField(source="document.title", read_only=True)
    outlet = serializers.CharField(source="document.outlet", read_only=True)
    story = serializers.IntegerField(source="document.story_id", read_only=True, allow_null=True)
    actor = ActorRefSerializer(read_only=True, allow_null=True)
    disputes = DisputeSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "document",
            "document_title",
            "outlet",
            "story",
            *CLAIM_FIELDS[:6],
            "actor",
            "disputes",
            *CLAIM_FIELDS[6:],
        ]
        read_only_fields = fields


class ClaimDetailSerializer(ClaimSerializer):
    """A claim with the archived fact-checks that fit it (`matches`)."""

    matches = serializers.SerializerMethodField()

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "matches"]
        read_only_fields = fields

    def get_matches(self, claim: Claim) -> list[dict]:
        """Earlier fact-checks matched to the claim's cluster, best first."""
        matches = selectors.cluster_matches(cluster_id=claim.cluster_id, claim_id=claim.pk)
        return [match_json(match) for match in matches]


def match_json(match) -> dict:
    """A match stored by the matching app downstream (claims does not import it)."""
    return {
        "factcheck": match.factcheck_id,
        "score": round(match.score, 4),
        "state": match.state,
        "rating": match.factcheck.rating,
        "reviewed_on": _plain(match.factcheck.reviewed_on),
        "publisher": match.factcheck.publisher,
        "url": match.factcheck.url,
        "claim_text": match.factcheck.claim_text,
    }


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
    "undated",
    "story",
    "extraction_status",
    "extraction_error",
    "extractor_version",
    "created_at",
]


class DocumentSummaryFields(serializers.Serializer):
    """URLs that may be empty (text pasted without one): strings, not `format: uri`."""

    url = serializers.CharField(read_only=True)
    canonical_url = serializers.CharField(read_only=True)


class DocumentListSerializer(DocumentSummaryFields, serializers.ModelSerializer):
    claim_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Document
        fields = [*DOCUMENT_SUMMARY_FIELDS, "claim_count"]
        read_only_fields = fields


class DocumentDetailSerializer(DocumentSummaryFields, serializers.ModelSerializer):
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
        source="document", view_name="document-detail", read_only=True, allow_null=True
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


class ClusterAppearanceSerializer(serializers.ModelSerializer):
    """One claim of a cluster where it appeared: which document and outlet, who, when, in what words."""

    claim = serializers.IntegerField(source="id", read_only=True)
    document_title = serializers.CharField(source="document.title", read_only=True)
    outlet = serializers.CharField(source="document.outlet", read_only=True)
    date = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["claim", "document", "document_title", "outlet", "speaker", "date", "text"]
        read_only_fields = fields

    def get_date(self, claim: Claim) -> str | None:
        moment = claim.document.published_at or claim.document.created_at
        return moment.isoformat() if moment else None


CLUSTER_FIELDS = [
    "id",
    "canonical_text",
    "claim_count",
    "document_count",
    "outlet_count",
    "embedding_version",
    "created_at",
    "updated_at",
]


class ClusterSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ClaimCluster
        fields = CLUSTER_FIELDS
        read_only_fields = fields


class ClusterSerializer(serializers.ModelSerializer):
    appearances = ClusterAppearanceSerializer(many=True, read_only=True)
    matches = serializers.SerializerMethodField()

    class Meta:
        model = ClaimCluster
        fields = [*CLUSTER_FIELDS, "appearances", "matches"]
        read_only_fields = fields

    def get_matches(self, cluster: ClaimCluster) -> list[dict]:
        """Earlier fact-checks the archive matched to this cluster, best first."""
        return [match_json(match) for match in selectors.cluster_matches(cluster_id=cluster.pk)]


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


class ActorSerializer(serializers.ModelSerializer):
    affiliation = ActorRefSerializer(read_only=True, allow_null=True)
    aliases = serializers.SerializerMethodField()
    claim_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Actor
        fields = ["id", "name", "kind", "role", "affiliation", "aliases", "claim_count"]
        read_only_fields = fields

    def get_aliases(self, actor: Actor) -> list[str]:
        return [alias.name for alias in actor.aliases.all()]


class ActorRenameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)


class ActorMergeSerializer(serializers.Serializer):
    into = serializers.PrimaryKeyRelatedField(queryset=Actor.objects.all())


class ActorSplitSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    aliases = serializers.ListField(child=serializers.CharField(max_length=300), min_length=1)


class StoryListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    document_count = serializers.IntegerField()
    outlet_count = serializers.IntegerField()
    first_published = serializers.DateTimeField(allow_null=True)
    last_published = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class StoryDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    outlet = serializers.CharField()
    url = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    undated = serializers.BooleanField()


class StoryActorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    role = serializers.CharField()
    affiliation = serializers.CharField()
    side = serializers.IntegerField(
        help_text="0: in no dispute; actors on one side share a number."
    )
    claim_count = serializers.IntegerField()


class FigureRowSerializer(serializers.Serializer):
    thing = serializers.CharField()
    figure = serializers.CharField()
    said_by = serializers.CharField()
    side = serializers.IntegerField()
    claim = serializers.IntegerField(source="claim_id")
    outlet = serializers.CharField()


class StoryDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="story.id")
    title = serializers.CharField(source="story.title")
    created_at = serializers.DateTimeField(source="story.created_at")
    claim_count = serializers.IntegerField()
    documents = StoryDocumentSerializer(many=True)
    actors = StoryActorSerializer(many=True)
    unresolved_claims = serializers.SerializerMethodField()
    disputes = DisputeSerializer(many=True)
    figures = FigureRowSerializer(many=True)

    def get_unresolved_claims(self, detail) -> list[int]:
        return [claim.pk for claim in detail.unresolved]
