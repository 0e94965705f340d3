from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_celery_beat.models import PeriodicTask
from simple_history.models import HistoricalRecords


class Source(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", "RSS or Atom feed"
        URL = "url", "Single article URL"
        SITE = "site", "Website"
        MANUAL = "manual", "Manual upload"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FEED)
    url = models.URLField(max_length=2000, blank=True)
    active = models.BooleanField(default=True)
    poll_interval_minutes = models.PositiveIntegerField(default=30)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    poll_task = models.OneToOneField(
        PeriodicTask,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="The beat schedule that polls this feed; kept in step by the ingestion services.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["poll_task"])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Story(models.Model):
    """One event as told by one or more outlets: syndicated copies of an article (MinHash) and
    differently worded articles about the same event in a time window (claims.stories)."""

    title = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title or f"Story {self.pk}"


class Document(models.Model):
    class ExtractionStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        EXTRACTING = "extracting", "Extracting"
        EXTRACTED = "extracted", "Extracted"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    url = models.URLField(max_length=2000, blank=True, db_index=True)
    canonical_url = models.URLField(max_length=2000, blank=True, db_index=True)
    title = models.CharField(max_length=500, blank=True)
    outlet = models.CharField(max_length=200, blank=True, db_index=True)
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    undated = models.BooleanField(
        default=False,
        help_text="No publication date was given: the document gets no recency bonus.",
    )
    language = models.CharField(max_length=16, blank=True)
    raw_html = models.TextField(blank=True, help_text="The page as fetched, when there was one.")
    text = models.TextField(help_text="The clean text as received; claim spans point into it.")
    content_hash = models.CharField(max_length=64, unique=True)
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    fingerprint = models.BinaryField(
        null=True, blank=True, editable=False, help_text="MinHash signature of the text."
    )
    topic_embedding = models.BinaryField(
        null=True,
        blank=True,
        editable=False,
        help_text="Mean embedding of the document's claims, to join it to its event's story.",
    )
    extraction_status = models.CharField(
        max_length=12,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PENDING,
        db_index=True,
    )
    extraction_error = models.TextField(blank=True)
    extractor_version = models.CharField(max_length=40, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["extraction_status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=~models.Q(canonical_url=""),
                name="document_unique_canonical_url",
            )
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"Document {self.pk}"


class DocumentBand(models.Model):
    """One LSH band key of a document's fingerprint; documents sharing a key are compared."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.document_id}:{self.key}"


class DocumentEntityKey(models.Model):
    """A name the document mentions (a person, organisation or place), normalised; documents
    sharing names within a time window are compared to find the story of one event."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="entity_keys")
    key = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "key"], name="document_entity_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.key}"


class Actor(models.Model):
    """Who makes claims: a person or an organisation, known by a canonical name and aliases."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANIZATION = "organization", "Organisation"

    name = models.CharField(max_length=300, help_text="The canonical name.")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    role = models.CharField(
        max_length=300, blank=True, help_text="For people: the role, e.g. spokesman, colonel."
    )
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        limit_choices_to={"kind": "organization"},
        help_text="For people: the organisation they speak for (their side).",
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
        editable=False,
        help_text="Set when an editor merged this actor into another; its claims moved there.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name


class ActorAlias(models.Model):
    """A name an actor goes by; `key` is the name normalised, by which claims find the actor."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    key = models.CharField(max_length=300)
    kind = models.CharField(max_length=12, choices=Actor.Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "actor aliases"
        constraints = [
            models.UniqueConstraint(fields=["key", "kind"], name="actor_alias_unique_key_per_kind")
        ]

    def __str__(self) -> str:
        return self.name


class IngestionRun(models.Model):
    """One poll of a source: what was read, what was new, what failed and why."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        PARTIAL = "partial", "Some items failed"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    fetched = models.PositiveIntegerField(default=0, help_text="Feed items read.")
    new = models.PositiveIntegerField(default=0)
    duplicate = models.PositiveIntegerField(default=0)
    near_duplicate = models.PositiveIntegerField(
        default=0, help_text="New documents linked to an existing story."
    )
    failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.source} at {self.started_at:%Y-%m-%d %H:%M}"


class DocumentFetch(models.Model):
    """A request to fetch an article from a URL in the background (REST `{"url": ...}`)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        FETCHING = "fetching", "Fetching"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    url = models.URLField(max_length=2000)
    canonical_url = models.URLField(max_length=2000, db_index=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="fetches"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"])]
        constraints = [
            # However many clients post a URL at once, one fetch of it is in progress.
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=models.Q(status__in=["pending", "fetching"]),
                name="documentfetch_one_in_progress_per_url",
            )
        ]

    def __str__(self) -> str:
        return self.url


class ClaimCluster(models.Model):
    """Claims that assert the same thing, across documents, outlets and days (docs/clusters.md).

    Built incrementally by claims.clusters as claims are stored; only claims whose embeddings
    come from the same engine version are compared, so a cluster records that version.
    """

    canonical_text = models.TextField(help_text="The text of the cluster's first claim.")
    embedding_version = models.CharField(
        max_length=40, db_index=True, help_text="The engine version whose embeddings built it."
    )
    claim_count = models.PositiveIntegerField(default=0)
    document_count = models.PositiveIntegerField(default=0)
    outlet_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Cluster {self.pk}: {self.canonical_text[:70]}"


class Claim(models.Model):
    class ClaimType(models.TextChoices):
        STATISTIC = "statistic", "Statistic"
        QUOTE = "quote", "Quote"
        COMPARISON = "comparison", "Comparison"
        PREDICTION = "prediction", "Prediction"
        CAUSAL = "causal", "Causal"
        OTHER = "other", "Other"

    class SpeakerKind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANIZATION = "organization", "Organization"
        OUTLET = "outlet", "The outlet (nobody named)"
        UNRESOLVED = "unresolved", "Unresolved (the text does not say who)"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="claims")
    text = models.TextField()
    start = models.PositiveIntegerField(help_text="Offset of the claim's first character.")
    end = models.PositiveIntegerField(help_text="Offset just past the claim's last character.")
    speaker = models.CharField(max_length=300, blank=True, db_index=True)
    speaker_role = models.CharField(max_length=300, blank=True)
    speaker_kind = models.CharField(
        max_length=12, choices=SpeakerKind.choices, default=SpeakerKind.OUTLET
    )
    actor = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    claim_type = models.CharField(
        max_length=12, choices=ClaimType.choices, default=ClaimType.OTHER, db_index=True
    )
    score = models.FloatField(
        default=0.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="Check-worthiness, from 0 to 1.",
    )
    entities = models.JSONField(default=list, blank=True)
    figures = models.JSONField(default=list, blank=True)
    dates = models.JSONField(
        default=list,
        blank=True,
        help_text="Dates in the claim, resolved against the article's date.",
    )
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    # The model and backend that made `embedding`; vectors of different versions are never
    # compared (claims.extraction.embeddings.embedding_version() is the current one).
    embedding_version = models.CharField(max_length=60, blank=True, db_index=True, editable=False)
    extractor_version = models.CharField(max_length=40)
    cluster = models.ForeignKey(
        ClaimCluster,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
        help_text="The claims elsewhere that assert the same thing.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "start", "end", "extractor_version"],
                name="claim_unique_span_per_version",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0.0) & models.Q(score__lte=1.0),
                name="claim_score_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="claim_span_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["-score"], name="claim_score_desc")]

    def __str__(self) -> str:
        return self.text[:80]


class Dispute(models.Model):
    """Claims of a story that disagree: conflicting figures, a denial, contrary assertions."""

    class Kind(models.TextChoices):
        FIGURES = "figures", "Conflicting figures"
        DENIAL = "denial", "Denial"
        CONTRARY = "contrary", "Contrary assertions"

    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="disputes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(
        max_length=300, editable=False, help_text="What is disputed, stable as claims join."
    )
    claims = models.ManyToManyField(Claim, related_name="disputes")
    detail = models.TextField(help_text="Why these claims disagree.")
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["story_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["story", "key"], name="dispute_unique_key_per_story")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in story {self.story_id}"


# A claim's own fields, in the order the API, the admin and the list queries show them.
CLAIM_FIELDS = (
    "cluster",
    "text",
    "start",
    "end",
    "speaker",
    "speaker_role",
    "speaker_kind",
    "claim_type",
    "score",
    "entities",
    "figures",
    "dates",
    "extractor_version",
    "created_at",
)
