"""Prepared statements for the desk's hottest reads, on PostgreSQL.

Django binds parameters on the client, so PostgreSQL parses and plans every statement anew: for
the queue's page (a review with its claim and document) planning took longer than running it.
A statement read through `prepared_cursor()` is prepared by the server the first time a
connection runs it and planned once, after which PostgreSQL may keep a generic plan.

Only for constant statements whose plan does not depend on the values bound: lookups by a unique
key, and the queue's pages, whose every filter is the leading column of an index it reads in
order. A statement filtering on a skewed column (reviews whose lock ran out, among a million
queued) must not come here: its generic plan was a sequential scan, 90 ms against 0.5 ms.

Statements still go through Django's cursor wrapper (query logging, execute wrappers, the tests'
query counts). On SQLite, and on any other database, it is Django's own cursor.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    if connection.vendor != "postgresql":
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


class PreparedRows:
    """A `values()` QuerySet whose slices are read through `prepared_cursor()`: slicing gives
    the rows, as dicts keyed as `values()` keys them. Columns need no conversion on PostgreSQL
    (psycopg gives aware datetimes, numbers and text); elsewhere the QuerySet is read as usual."""

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    def __getitem__(self, window: slice) -> list[dict]:
        page = self.queryset[window]
        if connection.vendor != "postgresql":
            return list(page)
        sql, params = page.query.sql_with_params()
        with prepared_cursor() as cursor:
            cursor.execute(sql, params)
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
