from django.conf import settings
from django.db import models


class FactCheck(models.Model):
    """A fact-check in the archive: imported from a publisher, or one of the desk's own verdicts."""

    class Source(models.TextChoices):
        IMPORT = "import", "Imported"
        DESK = "desk", "Our own verdict"

    key = models.CharField(
        max_length=64, unique=True, help_text="Hash of the URL (or publisher) and the claim."
    )
    claim_text = models.TextField()
    title = models.CharField(max_length=500, blank=True)
    rating = models.CharField(max_length=100)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=1000, blank=True)
    speaker = models.CharField(max_length=300, blank=True)
    reviewed_on = models.DateField(null=True, blank=True, help_text="When it was published.")
    claim_date = models.DateField(null=True, blank=True, help_text="When the claim was made.")
    source = models.CharField(max_length=6, choices=Source.choices, default=Source.IMPORT)
    imported_from = models.CharField(max_length=500, blank=True)
    review = models.OneToOneField(
        "reviews.Review",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="archived_factcheck",
    )
    claim_embedding = models.BinaryField(null=True, editable=False)
    title_embedding = models.BinaryField(null=True, editable=False)
    embedding_version = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["publisher"]), models.Index(fields=["reviewed_on"])]

    def __str__(self) -> str:
        return f"{self.rating}: {self.claim_text[:80]}"


class Match(models.Model):
    """An archived fact-check that fits a claim on the desk, as the matcher scored it."""

    class State(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CHECKED_BEFORE = "checked_before", "Checked before (to confirm)"
        CONFIRMED = "confirmed", "Confirmed by an editor"
        REJECTED = "rejected", "Rejected by an editor"

    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="factcheck_matches"
    )
    factcheck = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField()
    state = models.CharField(max_length=14, choices=State.choices, default=State.SUGGESTED)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "factcheck"], name="match_claim_factcheck")
        ]

    def __str__(self) -> str:
        return f"claim {self.claim_id} ~ fact-check {self.factcheck_id} ({self.score:.2f})"
