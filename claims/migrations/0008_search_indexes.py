"""On PostgreSQL, the trigram and full-text indexes search (claims.search) uses; nothing on
SQLite, where search scores a bounded set of candidates in Python."""

from django.db import migrations

INDEXES = {
    "claim_text_trgm": "claims_claim USING gin (text gin_trgm_ops)",
    "claim_speaker_trgm": "claims_claim USING gin (speaker gin_trgm_ops)",
    "claim_text_fts": "claims_claim USING gin (to_tsvector('english', text))",
    "document_title_trgm": "claims_document USING gin (title gin_trgm_ops)",
    "document_text_fts": "claims_document USING gin (to_tsvector('english', title || ' ' || text))",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_claim_clusters")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
