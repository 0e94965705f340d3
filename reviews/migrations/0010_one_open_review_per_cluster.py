from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Reviewers and editors see clusters and merge or split them.
CLUSTER_PERMISSIONS = ["view_claimcluster", "change_claimcluster"]


def grant_cluster_permissions(apps, schema_editor):
    claims = apps.get_app_config("claims")
    claims.models_module = True
    create_permissions(claims, apps=apps, verbosity=0)
    claims.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="claims", codename__in=CLUSTER_PERMISSIONS
    )
    for group in Group.objects.filter(name__in=["reviewer", "editor"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    """After 0008 has dismissed the extra open reviews of each cluster."""

    dependencies = [
        ("reviews", "0009_build_clusters_for_existing_claims"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="review",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state__in", ["queued", "in_review", "submitted", "approved"])),
                fields=("cluster",),
                name="review_one_open_per_cluster",
            ),
        ),
        migrations.RunPython(grant_cluster_permissions, migrations.RunPython.noop),
    ]
