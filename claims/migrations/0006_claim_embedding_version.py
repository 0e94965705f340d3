from django.db import migrations, models

# Vectors stored before this migration were made by the float32 torch encoder (in bfloat16 on
# CPUs that have it, within 1e-4 cosine of float32).
EARLIER_VERSION = "all-MiniLM-L6-v2/torch-fp32/1"


def label_earlier_vectors(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Claim.objects.filter(embedding__isnull=False, embedding_version="").update(
        embedding_version=EARLIER_VERSION
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_evidence_moves_to_reviews"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="embedding_version",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=60),
        ),
        migrations.RunPython(label_earlier_vectors, migrations.RunPython.noop),
    ]
