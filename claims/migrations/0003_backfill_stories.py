"""Fingerprints, band keys and stories for the documents stored before stories existed."""

from django.db import migrations

from claims.ingest.neardup import NearDuplicateIndex, fingerprint


def group_existing_documents(apps, schema_editor):
    Document = apps.get_model("claims", "Document")
    DocumentBand = apps.get_model("claims", "DocumentBand")
    Story = apps.get_model("claims", "Story")
    index = NearDuplicateIndex()
    story_of: dict[int, int] = {}
    for document in (
        Document.objects.filter(story__isnull=True).order_by("pk").only("pk", "title", "text")
    ):
        print_ = fingerprint(document.text)
        match = index.find(print_) if print_ is not None else None
        story_id = (
            story_of[match[0]] if match else Story.objects.create(title=document.title[:500]).pk
        )
        story_of[document.pk] = story_id
        Document.objects.filter(pk=document.pk).update(
            story_id=story_id, fingerprint=print_.to_bytes() if print_ else None
        )
        if print_ is not None:
            index.add(document.pk, print_)
            DocumentBand.objects.bulk_create(
                [DocumentBand(document_id=document.pk, key=key) for key in print_.band_keys]
            )


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_ingestion_stories_runs_fetches")]

    operations = [migrations.RunPython(group_existing_documents, migrations.RunPython.noop)]
