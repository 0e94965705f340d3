from django.contrib.auth.management import create_permissions
from django.db import migrations

DESK_PERMISSIONS = [
    "view_watch",
    "add_watch",
    "change_watch",
    "delete_watch",
    "view_notification",
]


def give_the_desk_alerts(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="alerts", codename__in=DESK_PERMISSIONS
    )
    for group in Group.objects.filter(name__in=["reviewer", "editor"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_watches_and_notifications"),
        ("reviews", "0002_default_ratings_and_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(give_the_desk_alerts, migrations.RunPython.noop)]
