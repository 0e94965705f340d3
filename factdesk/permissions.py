"""Who may use the API at all: a user with a role.

Roles are groups: `reviewer` and `editor` work the desk (reviews/), `api-client` is a program
(a CMS, a script) that sends documents and reads what became of them. A signed-in user in none
of these groups, and not a superuser, may neither write nor read documents, claims or fetches.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from rest_framework.permissions import BasePermission

REVIEWER_GROUP = "reviewer"
EDITOR_GROUP = "editor"
API_CLIENT_GROUP = "api-client"
ROLE_GROUPS = (REVIEWER_GROUP, EDITOR_GROUP, API_CLIENT_GROUP)


def user_roles(user: AbstractBaseUser) -> frozenset[str]:
    """The user's role groups, looked up once per user object (that is, once per request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    roles = getattr(user, "_factdesk_roles", None)
    if roles is None:
        roles = frozenset(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
        user._factdesk_roles = roles
    return roles


def user_has_role(user: AbstractBaseUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser) or bool(
        user_roles(user)
    )


class HasRole(BasePermission):
    """The API's default: signed in, active, and a reviewer, an editor, an API client or a
    superuser. Views for the desk alone narrow this further."""

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
