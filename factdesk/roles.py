"""Roles: who works the desk (the reviewer and editor groups), who may use the API at all (those
and the api-client group: programs that send documents and read what became of them), the checks
services make on an actor, and the DRF permissions built on them. Superusers count as editors;
editors can do all a reviewer can. A signed-in user with no role gets nothing from the API."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from rest_framework import permissions

from factdesk.errors import PermissionDenied

REVIEWER_GROUP = "reviewer"
EDITOR_GROUP = "editor"
API_CLIENT_GROUP = "api-client"
DESK_GROUPS = (REVIEWER_GROUP, EDITOR_GROUP)
ROLE_GROUPS = (*DESK_GROUPS, API_CLIENT_GROUP)


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


def user_has_role(user: AbstractBaseUser) -> bool:
    """A reviewer, an editor, an API client or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(_role_groups(user))


def _desk_groups(user: AbstractBaseUser) -> frozenset[str]:
    return _role_groups(user) & frozenset(DESK_GROUPS)


def _role_groups(user: AbstractBaseUser) -> frozenset[str]:
    """The user's role groups, looked up once per user object (that is, once per request);
    token authentication (factdesk.authentication) reads them with the token, in its query."""
    groups = getattr(user, "_factdesk_role_groups", None)
    if groups is None:
        groups = frozenset(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
        user._factdesk_role_groups = groups
    return groups


def remember_role_groups(user: AbstractBaseUser, groups: set[str]) -> None:
    """Sets the user's role groups read elsewhere (in the same request), so no query repeats it."""
    user._factdesk_role_groups = frozenset(groups) & frozenset(ROLE_GROUPS)


class HasRole(permissions.BasePermission):
    """The API's default: signed in, active, with a role. Desk views narrow this further."""

    message = "Your account has no role on this desk (reviewer, editor or API client)."

    def has_permission(self, request, view) -> bool:
        return user_has_role(request.user)


def client_ip(request: HttpRequest) -> str:
    """The client's address for lockouts and throttles, trusting `FACTDESK_PROXY_COUNT` proxies."""
    proxies = settings.FACTDESK_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


class IsDeskMember(permissions.BasePermission):
    message = "Only reviewers and editors work the review desk."

    def has_permission(self, request, view) -> bool:
        return user_is_reviewer(request.user)


class IsEditor(permissions.BasePermission):
    message = "Only editors can do this."

    def has_permission(self, request, view) -> bool:
        return user_is_editor(request.user)
