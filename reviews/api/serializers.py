from collections.abc import Callable
from datetime import datetime

from django.core.validators import RegexValidator
from django.utils import timezone
from rest_framework import serializers

from claims.models import Claim, Document
from factdesk.validation import HttpUrlField
from reviews import priority, workflow
from reviews.models import EvidenceLink, Rating, Review

# Required text that says something: the services refuse blank or white space alone.
NOT_BLANK = RegexValidator(r"\S", "This field may not be blank.")


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["id", "name", "value", "description", "order"]
        read_only_fields = fields


class PriorityMixin(serializers.Serializer):
    priority_parts = serializers.SerializerMethodField()
    priority_explanation = serializers.SerializerMethodField()

    def get_priority_parts(self, review: Review) -> dict[str, float]:
        return {
            "score": review.priority_score,
            "spread": review.priority_spread,
            "recency": review.priority_recency,
            "dispute": review.priority_dispute,
            "boost": review.priority_boost,
        }

    def get_priority_explanation(self, review: Review) -> str:
        return priority.priority_explanation(review)


# Formats a datetime as every DateTimeField of the API does (ISO 8601, UTC as "Z"); one shared
# instance, so a page does not build the serializer's bound fields to format two values a row.
_DATETIME = serializers.DateTimeField()


def datetime_formatter() -> Callable[[datetime], str]:
    """What `_DATETIME.to_representation` gives for an aware datetime, with the current time
    zone looked up once: a queue page formats a hundred values, and DRF looks it up per value."""
    zone = timezone.get_current_timezone()

    def formatted(value: datetime) -> str:
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return formatted


class QueueItemSerializer(serializers.Serializer):
    """A queue item from a row of `reviews.selectors.review_queue` (a dict, not a Review)."""

    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=Review.State.choices)
    version = serializers.IntegerField()
    claim = serializers.IntegerField()
    claim_text = serializers.CharField()
    claim_type = serializers.CharField(source="claim_kind")
    score = serializers.FloatField()
    speaker = serializers.CharField()
    document = serializers.IntegerField()
    document_title = serializers.CharField()
    outlet = serializers.CharField()
    assignee = serializers.CharField(source="assignee_name", allow_null=True)
    locked_until = serializers.DateTimeField(allow_null=True)
    rating = serializers.IntegerField(allow_null=True)
    rating_name = serializers.CharField(allow_null=True)
    priority = serializers.FloatField()
    priority_parts = serializers.SerializerMethodField()
    priority_explanation = serializers.SerializerMethodField()
    appearance_documents = serializers.IntegerField()
    appearance_outlets = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    class Meta:
        fields = [
            "id",
            "state",
            "version",
            "claim",
            "claim_text",
            "claim_type",
            "score",
            "speaker",
            "document",
            "document_title",
            "outlet",
            "assignee",
            "locked_until",
            "rating",
            "rating_name",
            "priority",
            "priority_parts",
            "priority_explanation",
            "appearance_documents",
            "appearance_outlets",
            "created_at",
        ]

    def get_priority_parts(self, row: dict) -> dict[str, float]:
        return {
            "score": row["priority_score"],
            "spread": row["priority_spread"],
            "recency": row["priority_recency"],
            "dispute": row["priority_dispute"],
            "boost": row["priority_boost"],
        }

    def get_priority_explanation(self, row: dict) -> str:
        return priority.explain(
            score=row["priority_score"],
            spread=row["priority_spread"],
            recency=row["priority_recency"],
            dispute=row["priority_dispute"],
            boost=row["priority_boost"],
            outlets=row["appearance_outlets"],
        )

    def to_representation(self, row: dict) -> dict:
        """The same fields as declared, built directly: the queue's hot path at 100 rows a page."""
        # One instance formats every row of a page: the time zone is looked up once.
        when = self.__dict__.get("_when") or self.__dict__.setdefault("_when", datetime_formatter())
        locked_until = row["locked_until"]
        return {
            "id": row["id"],
            "state": row["state"],
            "version": row["version"],
            "claim": row["claim"],
            "claim_text": row["claim_text"],
            "claim_type": row["claim_kind"],
            "score": row["score"],
            "speaker": row["speaker"],
            "document": row["document"],
            "document_title": row["document_title"],
            "outlet": row["outlet"],
            "assignee": row["assignee_name"],
            "locked_until": when(locked_until) if locked_until else None,
            "rating": row["rating"],
            "rating_name": row["rating_name"],
            "priority": row["priority"],
            "priority_parts": self.get_priority_parts(row),
            "priority_explanation": self.get_priority_explanation(row),
            "appearance_documents": row["appearance_documents"],
            "appearance_outlets": row["appearance_outlets"],
            "created_at": when(row["created_at"]),
        }


class ReviewDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    outlet = serializers.CharField()
    url = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)


class ReviewSerializer(PriorityMixin, serializers.ModelSerializer):
    claim_text = serializers.CharField(source="claim.text")
    claim_type = serializers.CharField(source="claim.claim_type")
    score = serializers.FloatField(source="claim.score")
    speaker = serializers.CharField(source="claim.speaker")
    speaker_role = serializers.CharField(source="claim.speaker_role")
    figures = serializers.JSONField(source="claim.figures")
    document = ReviewDocumentSerializer(source="claim.document")
    assignee = serializers.CharField(source="assignee.username", default=None, allow_null=True)
    rating_name = serializers.CharField(source="rating.name", default=None, allow_null=True)
    submitted_by = serializers.CharField(
        source="submitted_by.username", default=None, allow_null=True
    )
    approved_by = serializers.CharField(
        source="approved_by.username", default=None, allow_null=True
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "state",
            "version",
            "claim",
            "cluster",
            "claim_text",
            "claim_type",
            "score",
            "speaker",
            "speaker_role",
            "figures",
            "document",
            "assignee",
            "locked_until",
            "rating",
            "rating_name",
            "summary",
            "editor_comment",
            "dismiss_reason",
            "submitted_by",
            "submitted_at",
            "approved_by",
            "approved_at",
            "published_at",
            "priority",
            "priority_parts",
            "priority_explanation",
            "appearance_documents",
            "appearance_outlets",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, review: Review) -> dict:
        """The declared fields, built directly: every desk write answers with this, and
        building a ModelSerializer's fields per response cost more than the review's query.
        `reviews/tests/test_api.py` holds it equal to the generic representation."""
        claim = review.claim
        document = claim.document
        when = _DATETIME.to_representation

        def maybe_when(value):
            return when(value) if value else None

        def name(user):
            return user.username if user is not None else None

        return {
            "id": review.pk,
            "state": review.state,
            "version": review.version,
            "claim": review.claim_id,
            "cluster": review.cluster_id,
            "claim_text": claim.text,
            "claim_type": claim.claim_type,
            "score": float(claim.score),
            "speaker": claim.speaker,
            "speaker_role": claim.speaker_role,
            "figures": claim.figures,
            "document": {
                "id": document.pk,
                "title": document.title,
                "outlet": document.outlet,
                "url": document.url,
                "published_at": maybe_when(document.published_at),
            },
            "assignee": name(review.assignee) if review.assignee_id else None,
            "locked_until": maybe_when(review.locked_until),
            "rating": review.rating_id,
            "rating_name": review.rating.name if review.rating_id else None,
            "summary": review.summary,
            "editor_comment": review.editor_comment,
            "dismiss_reason": review.dismiss_reason,
            "submitted_by": name(review.submitted_by) if review.submitted_by_id else None,
            "submitted_at": maybe_when(review.submitted_at),
            "approved_by": name(review.approved_by) if review.approved_by_id else None,
            "approved_at": maybe_when(review.approved_at),
            "published_at": maybe_when(review.published_at),
            "priority": float(review.priority),
            "priority_parts": self.get_priority_parts(review),
            "priority_explanation": self.get_priority_explanation(review),
            "appearance_documents": review.appearance_documents,
            "appearance_outlets": review.appearance_outlets,
            "created_at": when(review.created_at),
            "updated_at": when(review.updated_at),
        }


class QueueFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Review.State.choices, required=False)
    assignee = serializers.IntegerField(required=False, min_value=1)
    mine = serializers.BooleanField(required=False, default=False)
    outlet = serializers.CharField(required=False, max_length=200)
    type = serializers.ChoiceField(choices=Claim.ClaimType.choices, required=False)
    min_score = serializers.FloatField(required=False, min_value=0.0, max_value=1.0)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


# The API field of each transition input (reviews.workflow.INPUTS), by input name.
INPUT_FIELDS = {
    "assignee": lambda: serializers.IntegerField(
        required=False, min_value=1, allow_null=True, default=None
    ),
    "rating": lambda: serializers.IntegerField(),
    "summary": lambda: serializers.CharField(max_length=10_000, validators=[NOT_BLANK]),
    "comment": lambda: serializers.CharField(max_length=10_000, validators=[NOT_BLANK]),
    "reason": lambda: serializers.CharField(max_length=10_000, validators=[NOT_BLANK]),
    "boost": lambda: serializers.FloatField(),
}


def transition_request_serializer(transition: workflow.Transition) -> type[serializers.Serializer]:
    """The request body of `POST /reviews/{id}/<name>/`: the version and the transition's inputs."""
    if not transition.inputs:
        return VersionSerializer
    fields = {workflow.INPUTS[name].api_field: INPUT_FIELDS[name]() for name in transition.inputs}
    name = transition.name.capitalize() + "Serializer"
    return type(name, (VersionSerializer,), fields)


class PromoteSerializer(serializers.Serializer):
    claim = serializers.IntegerField(min_value=1)


class EvidenceLinkSerializer(serializers.ModelSerializer):
    added_by = serializers.CharField(source="added_by.username", read_only=True, default="")

    class Meta:
        model = EvidenceLink
        fields = [
            "id",
            "claim",
            "url",
            "document",
            "excerpt",
            "stance",
            "note",
            "added_by",
            "created_at",
        ]
        read_only_fields = fields


class EvidenceCreateSerializer(serializers.Serializer):
    url = HttpUrlField(
        max_length=2000,
        required=False,
        default="",
        allow_blank=True,
        scheme_message="Evidence URLs must be http or https.",
    )
    document = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.only("id"), required=False, allow_null=True, default=None
    )
    excerpt = serializers.CharField(required=False, default="", allow_blank=True, max_length=10_000)
    stance = serializers.ChoiceField(choices=EvidenceLink.Stance.choices, default="context")
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=10_000)
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The version of the claim's review the caller read; a stale one answers 409.",
    )

    def validate(self, attrs: dict) -> dict:
        if not attrs["url"] and attrs["document"] is None:
            raise serializers.ValidationError("Give the evidence a url or a document.")
        return attrs
