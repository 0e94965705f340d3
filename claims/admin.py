from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from claims import actors, disputes, ingestion, selectors, services
from claims.models import (
    CLAIM_FIELDS,
    Actor,
    ActorAlias,
    Claim,
    Dispute,
    Document,
    DocumentFetch,
    IngestionRun,
    Source,
    Story,
)
from factdesk.errors import DomainError
from factdesk.roles import user_is_editor, user_is_reviewer

admin.site.site_header = "FactDesk"
admin.site.site_title = "FactDesk"
admin.site.index_title = "The desk"

# How much of the article to show on either side of a highlighted claim.
HIGHLIGHT_CONTEXT_CHARS = 600


def claim_in_context_html(claim: Claim) -> str:
    """The claim highlighted inside the surrounding article text, every part escaped."""
    text = claim.document.text
    before_start = max(0, claim.start - HIGHLIGHT_CONTEXT_CHARS)
    after_end = min(len(text), claim.end + HIGHLIGHT_CONTEXT_CHARS)
    return format_html(
        '<div class="factdesk-article" style="white-space: pre-wrap; max-width: 60em;">'
        "{}{}<mark>{}</mark>{}{}</div>",
        "… " if before_start > 0 else "",
        text[before_start : claim.start],
        text[claim.start : claim.end],
        text[claim.end : after_end],
        " …" if after_end < len(text) else "",
    )


def disputes_html(found: QuerySet[Dispute]) -> str:
    """The disputes a claim is in, each with its state, why, and a link to its story page."""
    items = [
        format_html(
            '<li class="factdesk-dispute factdesk-dispute-{}"><strong>{} ({})</strong>: {} '
            '<a href="{}#disputes">story</a></li>',
            dispute.state,
            dispute.get_kind_display(),
            dispute.get_state_display().lower(),
            dispute.detail,
            reverse("admin:claims_story_change", args=[dispute.story_id]),
        )
        for dispute in found.order_by("state", "id")
    ]
    if not items:
        return "—"
    return format_html("<ul>{}</ul>", format_html("".join(["{}"] * len(items)), *items))


class IngestionRunInline(admin.TabularInline):
    model = IngestionRun
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = ["started_at", "status", "fetched", "new", "duplicate", "near_duplicate", "failed"]
    readonly_fields = fields
    ordering = ["-started_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[IngestionRun]:
        return super().get_queryset(request).defer("errors")


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "url", "active", "poll_interval_minutes", "last_polled_at"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "url"]
    readonly_fields = ["last_polled_at", "poll_task", "created_at"]
    inlines = [IngestionRunInline]
    actions = ["poll_now"]

    def save_model(self, request: HttpRequest, obj: Source, form, change: bool) -> None:
        ingestion.source_save(source=obj)

    def delete_model(self, request: HttpRequest, obj: Source) -> None:
        ingestion.source_delete(source=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        for source in queryset:
            ingestion.source_delete(source=source)

    @admin.action(description="Poll now")
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        sources = list(queryset.only("id"))
        for source in sources:
            ingestion.source_poll_enqueue(source=source)
        self.message_user(request, f"{len(sources)} sources queued for polling.", messages.SUCCESS)


@admin.register(IngestionRun)
class IngestionRunAdmin(admin.ModelAdmin):
    list_display = [
        "source",
        "started_at",
        "finished_at",
        "status",
        "fetched",
        "new",
        "duplicate",
        "near_duplicate",
        "failed",
    ]
    list_filter = ["status", "source"]
    list_select_related = ["source"]
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in IngestionRun._meta.fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[IngestionRun]:
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            return queryset.defer("errors")
        return queryset

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    """The story page: documents and outlets over time, actors by side, the claims of each
    side, the disputes with their buttons, and who gave which figure about what."""

    list_display = ["__str__", "appearances", "outlets", "created_at"]
    search_fields = ["title", "documents__outlet"]
    date_hierarchy = "created_at"
    fields = ["title"]
    change_form_template = "admin/claims/story/change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Story]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                appearances=Count("documents", distinct=True),
                outlet_count=Count("documents__outlet", distinct=True),
            )
        )

    @admin.display(description="Appearances", ordering="appearances")
    def appearances(self, story: Story) -> int:
        return story.appearances

    @admin.display(description="Outlets", ordering="outlet_count")
    def outlets(self, story: Story) -> int:
        return story.outlet_count

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ):
        extra_context = extra_context or {}
        if object_id.isdigit() and Story.objects.filter(pk=object_id).exists():
            extra_context["story_detail"] = selectors.story_detail(story_id=int(object_id))
            extra_context["can_decide"] = user_is_reviewer(request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        decide = self.admin_site.admin_view(require_POST(self.decide_dispute))
        return [
            path(
                "dispute/<int:dispute_id>/<str:decision>/",
                decide,
                name="claims_story_decide_dispute",
            ),
            *super().get_urls(),
        ]

    def decide_dispute(self, request: HttpRequest, dispute_id: int, decision: str) -> HttpResponse:
        dispute = get_object_or_404(Dispute, pk=dispute_id)
        decide = {"confirm": disputes.dispute_confirm, "dismiss": disputes.dispute_dismiss}.get(
            decision
        )
        if decide is None:
            self.message_user(request, f"No such decision: {decision}.", messages.ERROR)
        else:
            try:
                decide(dispute=dispute, by=request.user)
                self.message_user(request, f"Dispute {decision}ed.", messages.SUCCESS)
            except DomainError as error:
                self.message_user(request, str(error), messages.ERROR)
        url = reverse("admin:claims_story_change", args=[dispute.story_id])
        return HttpResponseRedirect(f"{url}#disputes")


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 0
    fields = ["name", "key"]
    readonly_fields = fields
    can_delete = False
    max_num = 0


class ActorMergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=Actor.objects.filter(merged_into__isnull=True))


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    """Editors rename an actor on its page, merge actors with the action, split one by alias."""

    list_display = ["name", "kind", "role", "affiliation", "claims_link", "merged_into"]
    list_filter = ["kind", ("merged_into", admin.EmptyFieldListFilter)]
    search_fields = ["name", "aliases__name"]
    list_select_related = ["affiliation", "merged_into"]
    readonly_fields = ["kind", "merged_into", "created_at"]
    fields = ["name", "kind", "role", "affiliation", "merged_into", "created_at"]
    raw_id_fields = ["affiliation"]
    inlines = [ActorAliasInline]
    actions = ["merge_into_first"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Actor]:
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return user_is_editor(request.user) and super().has_change_permission(request, obj)

    @admin.display(description="Claims", ordering="claim_count")
    def claims_link(self, actor: Actor) -> str:
        url = reverse("admin:claims_claim_changelist") + f"?actor__id__exact={actor.pk}"
        return format_html('<a href="{}">{}</a>', url, actor.claim_count)

    def save_model(self, request: HttpRequest, obj: Actor, form, change: bool) -> None:
        stored = Actor.objects.get(pk=obj.pk)
        if "name" in form.changed_data:
            renamed = actors.actor_rename(actor=stored, name=obj.name, by=request.user)
            obj.name = renamed.name
        if {"role", "affiliation"} & set(form.changed_data):
            obj._history_user = request.user
            obj._change_reason = "role or side corrected by an editor"
            obj.save(update_fields=["role", "affiliation"])

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)

    @admin.action(description="Merge the selected actors into the one with the most claims")
    def merge_into_first(self, request: HttpRequest, queryset: QuerySet[Actor]) -> None:
        chosen = sorted(queryset, key=lambda actor: (-actor.claim_count, actor.pk))
        if len(chosen) < 2:
            self.message_user(request, "Select at least two actors to merge.", messages.ERROR)
            return
        into = chosen[0]
        for actor in chosen[1:]:
            try:
                actors.actor_merge(actor=actor, into=into, by=request.user)
            except DomainError as error:
                self.message_user(request, str(error), messages.ERROR)
                return
        self.message_user(
            request, f"{len(chosen) - 1} actors merged into {into.name}.", messages.SUCCESS
        )

    def get_urls(self):
        split = self.admin_site.admin_view(require_POST(self.split_view))
        return [
            path("<int:actor_id>/split/", split, name="claims_actor_split"),
            *super().get_urls(),
        ]

    def split_view(self, request: HttpRequest, actor_id: int) -> HttpResponse:
        actor = get_object_or_404(Actor, pk=actor_id)
        keys = request.POST.getlist("alias")
        try:
            new = actors.actor_split(
                actor=actor,
                aliases=actor.aliases.filter(pk__in=[k for k in keys if k.isdigit()]),
                name=request.POST.get("name", ""),
                by=request.user,
            )
            self.message_user(request, f"{new.name} split off.", messages.SUCCESS)
        except DomainError as error:
            self.message_user(request, str(error), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:claims_actor_change", args=[actor.pk]))


@admin.register(Dispute)
class DisputeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "state", "short_detail", "decided_by", "updated_at"]
    list_filter = ["kind", "state"]
    search_fields = ["detail"]
    list_select_related = ["decided_by", "story"]
    readonly_fields = [
        "story",
        "kind",
        "detail",
        "claims",
        "state",
        "decided_by",
        "decided_at",
        "created_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Why")
    def short_detail(self, dispute: Dispute) -> str:
        return dispute.detail if len(dispute.detail) <= 140 else dispute.detail[:139] + "…"


@admin.register(DocumentFetch)
class DocumentFetchAdmin(admin.ModelAdmin):
    list_display = ["url", "status", "attempts", "document", "requested_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["url"]
    list_select_related = ["requested_by", "document"]
    raw_id_fields = ["document"]
    readonly_fields = [f.name for f in DocumentFetch._meta.fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[DocumentFetch]:
        return (
            super()
            .get_queryset(request)
            .defer("document__text", "document__raw_html", "document__fingerprint")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "outlet",
        "published_at",
        "undated",
        "extraction_status",
        "claim_count",
        "created_at",
    ]
    list_filter = ["extraction_status", "undated", "outlet", "language", "source"]
    search_fields = ["title", "url", "outlet", "author"]
    list_select_related = ["source"]
    date_hierarchy = "published_at"
    readonly_fields = [
        "content_hash",
        "extraction_status",
        "extraction_error",
        "extractor_version",
        "extracted_at",
        "created_by",
        "created_at",
        "updated_at",
        "text",
        "raw_html",
        "story",
        "undated",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "url",
                    "canonical_url",
                    "outlet",
                    "author",
                    "published_at",
                    "undated",
                    "language",
                    "source",
                ]
            },
        ),
        ("Story", {"fields": ["story"]}),
        ("Text", {"fields": ["text"]}),
        (
            "Extraction",
            {
                "fields": [
                    "extraction_status",
                    "extraction_error",
                    "extractor_version",
                    "extracted_at",
                ]
            },
        ),
        ("Raw page", {"classes": ["collapse"], "fields": ["raw_html"]}),
        ("Record", {"fields": ["content_hash", "created_by", "created_at", "updated_at"]}),
    ]
    actions = ["extract_again"]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ):
        undated = Document.objects.filter(
            pk=object_id if object_id.isdigit() else None, undated=True
        )
        if request.method == "GET" and undated.exists():
            self.message_user(
                request,
                "This document has no publication date: it gets no recency bonus in the queue, "
                "and when it was written is not known.",
                messages.WARNING,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Documents come in through ingestion, which hashes and extracts them.
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Document]:
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            return queryset.defer("raw_html", "text", "fingerprint").annotate(
                claim_count=Count("claims")
            )
        return queryset

    @admin.display(description="Claims", ordering="claim_count")
    def claim_count(self, document: Document) -> int:
        return document.claim_count

    @admin.action(description="Extract claims again")
    def extract_again(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        documents = list(queryset.only("id"))
        for document in documents:
            services.document_request_extraction(document=document)
        self.message_user(
            request, f"{len(documents)} documents queued for extraction.", messages.SUCCESS
        )


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = [
        "short_text",
        "speaker",
        "actor",
        "claim_type",
        "score",
        "document_title",
        "outlet",
    ]
    list_filter = [
        "claim_type",
        "speaker_kind",
        ("actor", admin.RelatedOnlyFieldListFilter),
        "extractor_version",
        "document__outlet",
    ]
    search_fields = ["text", "speaker", "document__title", "actor__name"]
    list_select_related = ["document", "actor"]
    ordering = ["-score", "id"]
    readonly_fields = [
        "document",
        "in_article",
        *CLAIM_FIELDS[:6],
        "actor",
        "claim_disputes",
        *CLAIM_FIELDS[6:],
    ]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # The story page links to every claim of the story.
        return lookup == "document__story__id__exact" or super().lookup_allowed(
            lookup, value, request
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            return queryset.defer("embedding", "entities", "document__text", "document__raw_html")
        return queryset.defer("document__raw_html")

    @admin.display(description="Claim")
    def short_text(self, claim: Claim) -> str:
        return claim.text if len(claim.text) <= 120 else claim.text[:119] + "…"

    @admin.display(description="Document", ordering="document__title")
    def document_title(self, claim: Claim) -> str:
        return claim.document.title

    @admin.display(description="Outlet", ordering="document__outlet")
    def outlet(self, claim: Claim) -> str:
        return claim.document.outlet

    @admin.display(description="Disputes")
    def claim_disputes(self, claim: Claim) -> str:
        return disputes_html(claim.disputes.exclude(state=Dispute.State.DISMISSED))

    @admin.display(description="In the article")
    def in_article(self, claim: Claim) -> str:
        return claim_in_context_html(claim)
