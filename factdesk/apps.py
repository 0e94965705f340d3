from django.apps import AppConfig


class FactDeskConfig(AppConfig):
    """The project's own plumbing: access (roles, API tokens), operations commands."""

    name = "factdesk"
    verbose_name = "Access"
    default_auto_field = "django.db.models.BigAutoField"
