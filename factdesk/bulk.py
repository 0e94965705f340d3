"""Bulk writes that skip the ORM's per-row cost where the database offers a faster path."""

from collections.abc import Iterable, Sequence

from django.db import connection, models


def rows_insert(*, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> None:
    """Inserts plain rows (values in `fields` order, foreign keys as ids) into `model`'s table.

    On PostgreSQL by COPY, which takes a batch of band rows in a fifth of the time of a multi-row
    INSERT built by `bulk_create`; elsewhere by `bulk_create`. No model instances are made on
    PostgreSQL, so nothing is returned and no defaults are filled in: give every column that has
    no database default.
    """
    columns = [model._meta.get_field(name).column for name in fields]
    if connection.vendor != "postgresql":
        attnames = [model._meta.get_field(name).attname for name in fields]
        model.objects.bulk_create(
            [model(**dict(zip(attnames, row, strict=True))) for row in rows], batch_size=2000
        )
        return
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
