from django.contrib.auth.models import AbstractBaseUser

from alerts.models import Notification


def unread_notifications(*, user: AbstractBaseUser, limit: int = 6) -> tuple[int, list]:
    """How many alerts the person has not read, and the newest of them (two queries)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    return unread.count(), list(unread.order_by("-created_at", "-id")[:limit])
