"""EvidenceLink moves from claims to the reviews app, with every row and its history.

Django's state takes the model over as it stands (on the claims tables), then AlterModelTable
renames the tables to reviews'. The content types move too, so the permissions the desk's
groups hold on evidence, and the admin's log, follow the model.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = ("evidencelink", "historicalevidencelink")


def content_types_move(apps, schema_editor, *, source: str = "claims", target: str = "reviews"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label=target, model=model).exists():
            continue
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_move_back(apps, schema_editor):
    content_types_move(apps, schema_editor, source="reviews", target="claims")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_evidence_moves_to_reviews"),
        ("reviews", "0005_count_spread_by_story"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalEvidenceLink",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("url", models.URLField(blank=True, max_length=2000)),
                        ("excerpt", models.TextField(blank=True)),
                        (
                            "stance",
                            models.CharField(
                                choices=[
                                    ("supports", "Supports"),
                                    ("refutes", "Refutes"),
                                    ("context", "Context"),
                                ],
                                default="context",
                                max_length=10,
                            ),
                        ),
                        ("note", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "added_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "claim",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="claims.claim",
                            ),
                        ),
                        (
                            "document",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="claims.document",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical evidence link",
                        "verbose_name_plural": "historical evidence links",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                        "db_table": "claims_historicalevidencelink",
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="EvidenceLink",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("url", models.URLField(blank=True, max_length=2000)),
                        ("excerpt", models.TextField(blank=True)),
                        (
                            "stance",
                            models.CharField(
                                choices=[
                                    ("supports", "Supports"),
                                    ("refutes", "Refutes"),
                                    ("context", "Context"),
                                ],
                                default="context",
                                max_length=10,
                            ),
                        ),
                        ("note", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "added_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="evidence_added",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "claim",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="evidence",
                                to="claims.claim",
                            ),
                        ),
                        (
                            "document",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="cited_as_evidence",
                                to="claims.document",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["created_at", "id"],
                        "db_table": "claims_evidencelink",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("url", ""), _negated=True),
                                    ("document__isnull", False),
                                    _connector="OR",
                                ),
                                name="evidence_has_url_or_document",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="evidencelink", table=None),
        migrations.AlterModelTable(name="historicalevidencelink", table=None),
        migrations.RunPython(content_types_move, content_types_move_back),
    ]
