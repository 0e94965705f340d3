"""EvidenceLink, a desk concept, moves to the reviews app (reviews 0006 takes it over).

Only Django's idea of the models changes here: the tables and every row in them, the history
included, stay where they are until reviews 0006 renames them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_claim_dates"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="historicalevidencelink", name="added_by"),
                migrations.RemoveField(model_name="historicalevidencelink", name="claim"),
                migrations.RemoveField(model_name="historicalevidencelink", name="document"),
                migrations.RemoveField(model_name="historicalevidencelink", name="history_user"),
                migrations.DeleteModel(name="EvidenceLink"),
                migrations.DeleteModel(name="HistoricalEvidenceLink"),
            ],
            database_operations=[],
        ),
    ]
