"""The admin app with the desk's site (kept apart from the site: this is imported before the
models are ready)."""

from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    default_site = "dashboard.admin_site.DeskAdminSite"
