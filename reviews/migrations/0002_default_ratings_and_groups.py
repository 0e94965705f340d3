from django.contrib.auth.management import create_permissions
from django.db import migrations

DEFAULT_SCALE = [
    ("False", 1, "The claim is inaccurate."),
    (
        "Mostly false",
        2,
        "The claim has an element of truth but ignores facts that change its meaning.",
    ),
    ("Half true", 3, "The claim is partly accurate but leaves out important details."),
    ("Mostly true", 4, "The claim is accurate but needs clarification or context."),
    ("True", 5, "The claim is accurate and nothing significant is missing."),
]

REVIEWER_PERMISSIONS = [
    ("claims", "view_source"),
    ("claims", "view_document"),
    ("claims", "view_claim"),
    ("claims", "view_evidencelink"),
    ("claims", "add_evidencelink"),
    ("reviews", "view_rating"),
    ("reviews", "view_review"),
    ("reviews", "change_review"),
]
EDITOR_EXTRA_PERMISSIONS = [
    ("claims", "add_source"),
    ("claims", "change_source"),
    ("claims", "add_document"),
    ("claims", "change_document"),
    ("claims", "change_claim"),
    ("claims", "change_evidencelink"),
    ("claims", "delete_evidencelink"),
    ("reviews", "add_rating"),
    ("reviews", "change_rating"),
]


def create_scale_and_groups(apps, schema_editor):
    Rating = apps.get_model("reviews", "Rating")
    for order, (name, value, description) in enumerate(DEFAULT_SCALE, start=1):
        Rating.objects.get_or_create(
            name=name, defaults={"value": value, "description": description, "order": order}
        )

    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(pairs):
        return [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in pairs
        ]

    reviewer, _ = Group.objects.get_or_create(name="reviewer")
    reviewer.permissions.add(*permissions(REVIEWER_PERMISSIONS))
    editor, _ = Group.objects.get_or_create(name="editor")
    editor.permissions.add(*permissions(REVIEWER_PERMISSIONS + EDITOR_EXTRA_PERMISSIONS))


class Migration(migrations.Migration):
    # The groups get their evidence permissions while the model is still claims' (claims 0005
    # hands it to reviews 0006, which moves the content type and so the permissions).
    run_before = [("claims", "0005_evidence_moves_to_reviews")]
    dependencies = [
        ("reviews", "0001_initial"),
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_scale_and_groups, migrations.RunPython.noop)]
