from django.conf import settings
from django.db import models

from claims.models import Actor, Claim, Story
from reviews.models import Review


class Watch(models.Model):
    """Something a reviewer or editor wants to hear about: new claims matching a search,
    said by someone (a name, or an actor under any of its names), or in a story."""

    class Kind(models.TextChoices):
        SEARCH = "search", "Claims matching a search"
        SPEAKER = "speaker", "Claims by a speaker (by name)"
        ACTOR = "actor", "Claims by an actor (under any of their names)"
        STORY = "story", "Claims in a story"

    class Delivery(models.TextChoices):
        AT_ONCE = "at_once", "At once (in the admin and by e-mail)"
        DAILY = "daily", "In the admin at once, by e-mail in a daily digest"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches", editable=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SEARCH)
    query = models.CharField(
        max_length=200,
        blank=True,
        help_text="The words a claim must all contain (search), or the speaker's name.",
    )
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.AT_ONCE)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "watches"
        indexes = [models.Index(fields=["active", "kind"])]

    def __str__(self) -> str:
        if self.kind == self.Kind.STORY:
            return f"Story: {self.story}"
        if self.kind == self.Kind.ACTOR:
            return f"Actor: {self.actor.name if self.actor else '?'}"
        label = "Search" if self.kind == self.Kind.SEARCH else "Speaker"
        return f"{label}: {self.query}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        MATCH = "match", "A watched claim"
        ASSIGNED = "assigned", "Assigned to you"
        RETURNED = "returned", "Returned to you"
        MENTIONED = "mentioned", "Mentioned in a note"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    message = models.CharField(max_length=300)
    watch = models.ForeignKey(
        Watch, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A watched item is announced once, however often it is seen again.
            models.UniqueConstraint(
                fields=["watch", "claim"],
                condition=models.Q(watch__isnull=False, claim__isnull=False),
                name="notification_once_per_watched_claim",
            )
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["emailed_at", "user"]),
        ]

    def __str__(self) -> str:
        return self.message
