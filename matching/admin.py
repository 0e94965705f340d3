from django.contrib import admin

from matching.models import FactCheck, Match


@admin.register(FactCheck)
class FactCheckAdmin(admin.ModelAdmin):
    list_display = ["claim_text_short", "rating", "publisher", "speaker", "reviewed_on", "source"]
    list_filter = ["source", "publisher", "rating"]
    search_fields = ["claim_text", "title", "speaker", "publisher", "url"]
    date_hierarchy = "reviewed_on"
    readonly_fields = ["key", "review", "embedding_version", "created_at", "imported_from"]
    list_per_page = 50

    @admin.display(description="claim")
    def claim_text_short(self, factcheck: FactCheck) -> str:
        return factcheck.claim_text[:120]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["claim", "factcheck", "score", "state", "decided_by", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["claim", "factcheck", "decided_by"]
    raw_id_fields = ["claim", "factcheck"]
    readonly_fields = ["claim", "factcheck", "score", "state", "decided_by", "decided_at"]


def _decide(modeladmin, request, queryset, *, confirm: bool) -> None:
    from factdesk.errors import DomainError
    from matching.services import match_decide

    done = 0
    for match in queryset:
        try:
            match_decide(match_id=match.pk, actor=request.user, confirm=confirm)
            done += 1
        except DomainError as error:
            modeladmin.message_user(request, str(error), level="error")
            return
    modeladmin.message_user(request, f"{done} match(es) {'confirmed' if confirm else 'rejected'}.")


@admin.action(description="Confirm: the earlier fact-check covers this claim")
def confirm_matches(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, confirm=True)


@admin.action(description="Reject: not the same claim")
def reject_matches(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, confirm=False)


MatchAdmin.actions = [confirm_matches, reject_matches]
