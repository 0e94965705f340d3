"""Token authentication that also reads the user's role groups, in one indexed query.

DRF's `TokenAuthentication` reads the token with its user (one query) and `factdesk.roles` then
reads the user's groups (a second one) on every request. Here the token, its user and the
user's role groups come from one statement: the token's primary key, the user's primary key and
a left join on the user's groups restricted to the role groups, so one row per role (or one row
with none). The groups are stored on the user object where `factdesk.roles` looks for them, so
HasRole, IsDeskMember, IsEditor and the services' checks answer exactly as before, without
another query. The statement is written once per process (no ORM compiling per request) and,
on PostgreSQL, prepared once per connection (factdesk/db.py).
Nothing is cached across requests: a deleted token, a deactivated user or a
changed group counts from the very next request.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication as DrfTokenAuthentication

from factdesk.db import prepared_cursor
from factdesk.roles import ROLE_GROUPS, remember_role_groups


class TokenAuthentication(DrfTokenAuthentication):
    """`Authorization: Token <key>`, as DRF's, with the user's role groups read in the same query."""

    def authenticate_credentials(self, key):
        statement = _statement()
        with prepared_cursor() as cursor:
            cursor.execute(statement.sql, [*ROLE_GROUPS, key])
            rows = cursor.fetchall()
        if not rows:
            raise exceptions.AuthenticationFailed("Invalid token.")
        first = rows[0]
        user = statement.user_model.from_db(
            connection.alias,
            statement.user_fields,
            [
                _converted(field, value)
                for field, value in zip(statement.fields, first[2:-1], strict=True)
            ],
        )
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        token = self.get_model()(key=first[0], user=user, created=first[1])
        token._state.adding = False
        remember_role_groups(user, {row[-1] for row in rows if row[-1] is not None})
        return (user, token)


def _converted(field, value):
    if value is not None:
        for converter in field.get_db_converters(connection):
            value = converter(value, field.cached_col, connection)
    return value


class _Statement:
    """The token, its user's columns and one role group per row (NULL: none), by the token's
    primary key; a constant statement, so nothing is compiled per request."""

    def __init__(self) -> None:
        from rest_framework.authtoken.models import Token

        qn = connection.ops.quote_name
        self.user_model = get_user_model()
        self.fields = list(self.user_model._meta.concrete_fields)
        self.user_fields = [field.attname for field in self.fields]
        user_columns = ", ".join(f"u.{qn(field.column)}" for field in self.fields)
        groups = self.user_model._meta.get_field("groups")
        through = groups.remote_field.through._meta
        group_table = groups.related_model._meta.db_table
        placeholders = ", ".join(["%s"] * len(ROLE_GROUPS))
        self.sql = (
            f"SELECT t.{qn('key')}, t.{qn('created')}, {user_columns}, g.{qn('name')} "
            f"FROM {qn(Token._meta.db_table)} t "
            f"JOIN {qn(self.user_model._meta.db_table)} u ON u.{qn('id')} = t.{qn('user_id')} "
            f"LEFT JOIN ({qn(through.db_table)} ug JOIN {qn(group_table)} g "
            f"ON g.{qn('id')} = ug.{qn('group_id')} AND g.{qn('name')} IN ({placeholders})) "
            f"ON ug.{qn('user_id')} = u.{qn('id')} "
            f"WHERE t.{qn('key')} = %s"
        )


@cache
def _statement() -> _Statement:
    return _Statement()
