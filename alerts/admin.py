from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from alerts import services
from alerts.models import Notification, Watch
from reviews.errors import ReviewError


class WatchForm(forms.ModelForm):
    user = None  # set by WatchAdmin.get_form

    class Meta:
        model = Watch
        fields = ["kind", "query", "story", "actor", "delivery", "active"]

    def clean(self) -> dict:
        data = super().clean()
        candidate = Watch(
            user=self.user,
            kind=data.get("kind") or Watch.Kind.SEARCH,
            query=data.get("query") or "",
            story=data.get("story"),
            actor=data.get("actor"),
        )
        try:
            services.watch_validate(watch=candidate)
        except ReviewError as error:
            raise forms.ValidationError(error.message) from error
        return data


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    """Each person sees and keeps their own watches."""

    form = WatchForm
    list_display = ["__str__", "delivery", "active", "created_at"]
    list_filter = ["kind", "delivery", "active"]
    raw_id_fields = ["story", "actor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Watch]:
        return (
            super().get_queryset(request).filter(user=request.user).select_related("story", "actor")
        )

    def save_model(self, request: HttpRequest, obj: Watch, form, change: bool) -> None:
        obj.user = request.user
        if change:
            services.watch_update(watch=obj)
        else:
            saved = services.watch_create(
                user=request.user,
                kind=obj.kind,
                query=obj.query,
                story=obj.story,
                actor=obj.actor,
                delivery=obj.delivery,
            )
            obj.pk = saved.pk

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The person's alerts, newest first; opening one's link marks nothing, the action does."""

    list_display = ["unread", "what", "message_link", "created_at"]
    list_display_links = None
    list_filter = ["kind"]
    actions = ["mark_read"]
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        return super().get_queryset(request).filter(user=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="New", boolean=True, ordering="read_at")
    def unread(self, notification: Notification) -> bool:
        return notification.read_at is None

    @admin.display(description="Kind", ordering="kind")
    def what(self, notification: Notification) -> str:
        return notification.get_kind_display()

    @admin.display(description="Alert")
    def message_link(self, notification: Notification) -> str:
        if notification.review_id:
            url = reverse("admin:reviews_review_change", args=[notification.review_id])
        elif notification.claim_id:
            url = reverse("admin:claims_claim_change", args=[notification.claim_id])
        else:
            return notification.message
        return format_html('<a href="{}">{}</a>', url, notification.message)

    @admin.action(description="Mark as read")
    def mark_read(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        done = services.notifications_mark_read(
            user=request.user, notification_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(request, f"{done} alert(s) marked as read.", messages.SUCCESS)
