from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from claims.models import Claim, ClaimCluster, Document, Story


class Rating(models.Model):
    """One step of the verdict scale; `value` runs from worst (1) to best."""

    name = models.CharField(max_length=60, unique=True)
    value = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "value"]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        IN_REVIEW = "in_review", "In review"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        DISMISSED = "dismissed", "Dismissed"

    OPEN_STATES = (State.QUEUED, State.IN_REVIEW, State.SUBMITTED, State.APPROVED)

    # The claim the desk shows first; the review covers every claim of its cluster.
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reviews")
    cluster = models.ForeignKey(
        ClaimCluster,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
        help_text="The claim's cluster: one queue item for all its appearances.",
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_reviews",
    )
    locked_until = models.DateTimeField(null=True, blank=True)
    rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.PROTECT)
    summary = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    priority_boost = models.FloatField(default=0.0, help_text="An editor's manual boost.")
    # The queue's order, kept denormalised so that the queue is one indexed query;
    # reviews.services.review_refresh_priority recomputes it when its inputs change.
    fingerprint = models.CharField(
        max_length=40,
        blank=True,
        help_text="Hash of the claim's normalised text: the same claim in other documents.",
    )
    # The story of the claim's document (reviews.services.reviews_refresh_story keeps it in
    # step). The claim's copies elsewhere are the claims of its cluster.
    story = models.ForeignKey(
        Story,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,  # review_claim_copies starts with it
    )
    # Copies of the claim's type and outlet, so that filtered queues use their own index too.
    claim_type = models.CharField(max_length=12, blank=True)
    outlet_key = models.CharField(
        max_length=200, blank=True, help_text="The document's outlet, case-folded."
    )
    appearance_documents = models.PositiveIntegerField(default=1)
    appearance_outlets = models.PositiveIntegerField(default=1)
    priority_score = models.FloatField(default=0.0)
    priority_spread = models.FloatField(default=0.0)
    priority_recency = models.FloatField(default=0.0)
    priority_dispute = models.FloatField(
        default=0.0, help_text="Added while the claim is in a confirmed dispute."
    )
    priority = models.FloatField(default=0.0)
    editor_comment = models.TextField(blank=True)
    dismiss_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"],
                condition=models.Q(state__in=["queued", "in_review", "submitted", "approved"]),
                name="review_one_open_per_claim",
            ),
            models.UniqueConstraint(
                fields=["cluster"],
                condition=models.Q(state__in=["queued", "in_review", "submitted", "approved"]),
                name="review_one_open_per_cluster",
            ),
        ]
        indexes = [
            models.Index(fields=["story", "fingerprint"], name="review_claim_copies"),
            models.Index(fields=["state", "assignee"]),
            models.Index(fields=["state", "-priority", "id"], name="review_queue_order"),
            models.Index(fields=["state", "locked_until"], name="review_state_lock"),
            models.Index(
                fields=["state", "claim_type", "-priority", "id"], name="review_queue_by_type"
            ),
            models.Index(
                fields=["state", "outlet_key", "-priority", "id"], name="review_queue_by_outlet"
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} ({self.get_state_display()})"


class EvidenceLink(models.Model):
    """A source a reviewer or editor cites for or against a claim (added via evidence_add)."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        REFUTES = "refutes", "Refutes"
        CONTEXT = "context", "Context"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=2000, blank=True)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="cited_as_evidence"
    )
    excerpt = models.TextField(blank=True)
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.CONTEXT)
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="evidence_added",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="") | models.Q(document__isnull=False),
                name="evidence_has_url_or_document",
            )
        ]

    def __str__(self) -> str:
        return self.url or f"Document {self.document_id}"


class ChecklistStep(models.Model):
    """One step of the desk's checklist ("primary source found", "right of reply"); an editor
    marks a step required, and then no verdict is submitted or approved without it."""

    name = models.CharField(max_length=120, unique=True)
    help_text = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(
        default=False, help_text="Needed before a verdict is submitted or approved."
    )
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ChecklistMark(models.Model):
    """A checklist step done on one review: by whom and when."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="checklist_marks")
    step = models.ForeignKey(ChecklistStep, on_delete=models.CASCADE, related_name="+")
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "step"], name="checklist_mark_once")
        ]

    def __str__(self) -> str:
        return f"{self.step} on review {self.review_id}"


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReviewTag(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="review_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="review_tags")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "tag"], name="review_tag_once")]

    def __str__(self) -> str:
        return f"{self.tag} on review {self.review_id}"


class ReviewNote(models.Model):
    """The desk's discussion of a review: who wrote what when, and whom it mentions."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["review", "created_at"])]

    def __str__(self) -> str:
        return f"Note {self.pk} on review {self.review_id}"
