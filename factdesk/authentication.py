"""Token authentication that also reads the user's role groups, in one indexed query.

DRF's `TokenAuthentication` reads the token with its user (one query) and `factdesk.roles` then
reads the user's groups (a second one) on every request. Here the token, its user and the
user's role groups come from one statement: the token's primary key, the user's primary key and
a left join on the user's groups restricted to the role groups, so one row per role (or one row
with none). The groups are stored on the user object where `factdesk.roles` looks for them, so
HasRole, IsDeskMember, IsEditor and the services' checks answer exactly as before, without
another query. Nothing is cached across requests: a deleted token, a deactivated user or a
changed group counts from the very next request.
"""

from django.db.models import F, FilteredRelation, Q
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication as DrfTokenAuthentication

from factdesk.roles import ROLE_GROUPS, remember_role_groups


class TokenAuthentication(DrfTokenAuthentication):
    """`Authorization: Token <key>`, as DRF's, with the user's role groups read in the same query."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        rows = list(
            model.objects.select_related("user")
            .alias(
                role_group=FilteredRelation(
                    "user__groups", condition=Q(user__groups__name__in=ROLE_GROUPS)
                )
            )
            .annotate(role_group_name=F("role_group__name"))
            .filter(key=key)
        )
        if not rows:
            raise exceptions.AuthenticationFailed("Invalid token.")
        token = rows[0]
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        remember_role_groups(user, {row.role_group_name for row in rows if row.role_group_name})
        return (user, token)
