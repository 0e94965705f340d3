from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reviews.models import Rating, Review


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["name", "value", "order", "description"]
    ordering = ["order", "value"]


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["id", "claim", "state", "assignee", "rating", "updated_at"]
    list_filter = ["state", "rating"]
    search_fields = ["claim__text", "summary", "assignee__username"]
    list_select_related = ["claim", "assignee", "rating"]
    raw_id_fields = ["claim"]
    readonly_fields = [
        "claim",
        "state",
        "assignee",
        "locked_until",
        "rating",
        "summary",
        "submitted_by",
        "approved_by",
        "version",
        "created_at",
        "updated_at",
    ]
