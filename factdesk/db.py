"""Prepared statements for the desk's hottest reads, on PostgreSQL, when
`DATABASE_PREPARED_STATEMENTS` is on (off by default).

Django binds parameters on the client, so PostgreSQL parses and plans every statement anew: for
the queue's page (a review with its claim and document) planning took longer than running it.
A statement read through `prepared_cursor()` is prepared by the server the first time a
connection runs it and planned once, after which PostgreSQL may keep a generic plan.

Only for constant statements whose plan does not depend on the values bound: lookups by a unique
key, and the queue's pages, whose every filter is the leading column of an index it reads in
order. A statement filtering on a skewed column (reviews whose lock ran out, among a million
queued) must not come here: its generic plan was a sequential scan, 90 ms against 0.5 ms.

Statements still go through Django's cursor wrapper (query logging, execute wrappers, the tests'
query counts). With the setting off, on SQLite and on any other database, it is Django's own
cursor.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorWrapper


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    raw = connection.connection
    # Prepare from the first execution. Only server-binding cursors (this one) ever prepare:
    # Django's own cursors bind on the client and ignore the threshold.
    raw.prepare_threshold = 0
    with connection._prepare_cursor(_preparing_cursor_class()(raw)) as cursor:
        yield cursor


def is_prepared(cursor: CursorWrapper) -> bool:
    """Whether a cursor (of an execute wrapper's context) is one of `prepared_cursor`'s."""
    return connection.vendor == "postgresql" and isinstance(
        cursor.cursor, _preparing_cursor_class()
    )


@cache
def _preparing_cursor_class() -> type:
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        """psycopg's server-binding cursor that keeps the statement it ran prepared as its last
        query, where Django reads the text for `connection.queries` and the query log (psycopg
        only keeps it for statements it did not prepare)."""

        def _send_query_prepared(self, name, pgq, *, binary=None) -> None:
            self._query = pgq
            super()._send_query_prepared(name, pgq, binary=binary)

    return PreparingCursor
