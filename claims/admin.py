from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from claims import ingestion, services
from claims.models import CLAIM_FIELDS, Claim, Document, DocumentFetch, IngestionRun, Source, Story

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


class StoryDocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = ["title", "outlet", "published_at", "url"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Document]:
        return (
            super()
            .get_queryset(request)
            .only("id", "story_id", "title", "outlet", "published_at", "url")
        )


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "appearances", "created_at"]
    search_fields = ["title", "documents__outlet"]
    date_hierarchy = "created_at"
    inlines = [StoryDocumentInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Story]:
        return super().get_queryset(request).annotate(appearances=Count("documents"))

    @admin.display(description="Appearances", ordering="appearances")
    def appearances(self, story: Story) -> int:
        return story.appearances


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
        "extraction_status",
        "claim_count",
        "created_at",
    ]
    list_filter = ["extraction_status", "outlet", "language", "source"]
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
    list_display = ["short_text", "speaker", "claim_type", "score", "document_title", "outlet"]
    list_filter = ["claim_type", "speaker_kind", "extractor_version", "document__outlet"]
    search_fields = ["text", "speaker", "document__title"]
    list_select_related = ["document"]
    ordering = ["-score", "id"]
    # the score is shown with what it means (a calibrated probability, and the one threshold)
    readonly_fields = [
        "document",
        "in_article",
        *("score_meaning" if field == "score" else field for field in CLAIM_FIELDS),
    ]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

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

    @admin.display(description="Check-worthiness")
    def score_meaning(self, claim: Claim) -> str:
        threshold = settings.FACTDESK_QUEUE_THRESHOLD
        state = "queued" if claim.score >= threshold else "not queued"
        return (
            f"{claim.score:.2f}: a calibrated probability. Of sentences scored about "
            f"{claim.score:.2f} on debates the model had not seen, about {claim.score:.0%} were "
            f"check-worthy. Claims at or above {threshold:.2f} (FACTDESK_QUEUE_THRESHOLD) are "
            f"check-worthy and enter the queue: {state}."
        )

    @admin.display(description="In the article")
    def in_article(self, claim: Claim) -> str:
        return claim_in_context_html(claim)
