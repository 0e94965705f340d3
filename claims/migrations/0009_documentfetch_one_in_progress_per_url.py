from django.db import migrations, models

IN_PROGRESS = ["pending", "fetching"]


def close_duplicate_fetches(apps, schema_editor):
    """Before the constraint: of several fetches of one URL in progress, the oldest goes on."""
    DocumentFetch = apps.get_model("claims", "DocumentFetch")
    kept: dict[str, int] = {}
    for fetch in DocumentFetch.objects.filter(status__in=IN_PROGRESS).order_by("created_at", "id"):
        first = kept.setdefault(fetch.canonical_url, fetch.pk)
        if first != fetch.pk:
            DocumentFetch.objects.filter(pk=fetch.pk).update(
                status="failed", error=f"a duplicate of fetch #{first}"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_search_indexes"),
    ]

    operations = [
        migrations.RunPython(close_duplicate_fetches, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="documentfetch",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", IN_PROGRESS)),
                fields=("canonical_url",),
                name="documentfetch_one_in_progress_per_url",
            ),
        ),
    ]
