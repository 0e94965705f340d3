from django.db import migrations

API_CLIENT_GROUP = "api-client"


def create_api_client_group(apps, schema_editor):
    """Programs that send documents (a CMS, scripts): the API lets them post documents and read
    documents, claims and fetches; they have no model permissions in the admin."""
    apps.get_model("auth", "Group").objects.get_or_create(name=API_CLIENT_GROUP)


def remove_api_client_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=API_CLIENT_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_api_client_group, remove_api_client_group)]
