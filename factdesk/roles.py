"""Who works the desk: the reviewer and editor groups, the checks services make on an actor,
and the DRF permissions built on them. Superusers count as editors; editors can do all a
reviewer can."""

from django.contrib.auth.models import AbstractBaseUser
from rest_framework import permissions

from factdesk.errors import PermissionDenied

REVIEWER_GROUP = "reviewer"
EDITOR_GROUP = "editor"
DESK_GROUPS = (REVIEWER_GROUP, EDITOR_GROUP)


def user_is_editor(user: AbstractBaseUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or EDITOR_GROUP in _desk_groups(user)


def user_is_reviewer(user: AbstractBaseUser) -> bool:
    """A desk member: a reviewer or an editor."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(_desk_groups(user))


def require_reviewer(actor: AbstractBaseUser, doing: str) -> None:
    if not user_is_reviewer(actor):
        raise PermissionDenied(f"Only reviewers and editors can {doing}.")


def require_editor(actor: AbstractBaseUser, doing: str) -> None:
    if not user_is_editor(actor):
        raise PermissionDenied(f"Only an editor can {doing}.")


def _desk_groups(user: AbstractBaseUser) -> frozenset[str]:
    """The user's desk groups, looked up once per user object (that is, once per request)."""
    groups = getattr(user, "_factdesk_desk_groups", None)
    if groups is None:
        groups = frozenset(user.groups.filter(name__in=DESK_GROUPS).values_list("name", flat=True))
        user._factdesk_desk_groups = groups
    return groups


class IsDeskMember(permissions.BasePermission):
    message = "Only reviewers and editors work the review desk."

    def has_permission(self, request, view) -> bool:
        return user_is_reviewer(request.user)


class IsEditor(permissions.BasePermission):
    message = "Only editors can do this."

    def has_permission(self, request, view) -> bool:
        return user_is_editor(request.user)
