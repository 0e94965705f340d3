"""API tokens in the admin: every staff user creates and revokes their own; superusers anyone's.

A token is shown on its page after it is made (DRF keeps one token per user); revoking it is
deleting it, and the user can make a new one.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token, TokenProxy

if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created", "key_hint")
    ordering = ("-created",)

    @admin.display(description="key")
    def key_hint(self, token: Token) -> str:
        return f"{token.key[:6]}…"

    def get_queryset(self, request):
        tokens = super().get_queryset(request).select_related("user")
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    def get_fields(self, request, obj=None):
        if obj is not None:
            return ("user", "key", "created")
        return ("user",) if request.user.is_superuser else ()

    def get_readonly_fields(self, request, obj=None):
        return ("user", "key", "created") if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # Users who have no token yet (one token per user).
            kwargs["queryset"] = get_user_model().objects.filter(auth_token__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        if not request.user.is_superuser or not obj.user_id:
            obj.user = request.user
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return self._own(request, obj)

    def has_add_permission(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or not Token.objects.filter(user=user).exists()

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._own(request, obj)

    @staticmethod
    def _own(request, obj) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return obj is None or user.is_superuser or obj.user_id == user.pk
