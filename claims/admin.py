from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from claims import ingestion, readable, search, services
from claims.highlight import claim_spans, debris_spans, marked_text_html
from claims.models import (
    Claim,
    ClaimCluster,
    Document,
    DocumentFetch,
    IngestionRun,
    Source,
    Story,
)
from factdesk.errors import DomainError

admin.site.site_header = "FactDesk"
admin.site.site_title = "FactDesk"
admin.site.index_title = "The desk"

# How much of the article to show on either side of a highlighted claim.
HIGHLIGHT_CONTEXT_CHARS = 600


def claim_in_context_html(claim: Claim, context: int = HIGHLIGHT_CONTEXT_CHARS) -> str:
    """The claim highlighted inside the surrounding article text (debris marked), escaped."""
    text = claim.document.text
    before_start = max(0, claim.start - context)
    after_end = min(len(text), claim.end + context)
    spans = [*claim_spans([claim], current_id=claim.pk), *debris_spans(text)]
    return format_html(
        '<div class="factdesk-article">{}{}{}</div>',
        "… " if before_start > 0 else "",
        marked_text_html(text, spans, start=before_start, end=after_end),
        " …" if after_end < len(text) else "",
    )


APPEARANCE_CONTEXT_CHARS = 120


def appearances_html(claims: list[Claim], *, current_claim_id: int | None = None) -> str:
    """A table of a cluster's appearances: document, outlet, speaker, date and the sentence
    highlighted in its article, every part escaped. The claims need their documents' text."""
    rows = format_html_join(
        "",
        '<tr><td><a href="{}">{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                reverse("admin:claims_document_change", args=[claim.document_id]),
                claim.document.title or claim.document.url or f"Document {claim.document_id}",
                " (this claim)" if claim.pk == current_claim_id else "",
                claim.document.outlet or "—",
                claim.speaker or "—",
                _date_of(claim.document),
                claim_in_context_html(claim, APPEARANCE_CONTEXT_CHARS),
            )
            for claim in claims
        ),
    )
    return format_html(
        '<table class="factdesk-appearances"><thead><tr><th>Document</th><th>Outlet</th>'
        "<th>Speaker</th><th>Date</th><th>Sentence</th></tr></thead><tbody>{}</tbody></table>",
        rows,
    )


def _date_of(document: Document) -> str:
    moment = document.published_at or document.created_at
    return f"{moment:%Y-%m-%d}" if moment else "—"


ADMIN_SEARCH_RESULTS = 200


class RankedSearchMixin:
    """The changelist's search box through claims.search: tolerant of spelling, best first."""

    search_type = ""

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        if not search_term.strip():
            return queryset, False
        hits = self._search_hits(request, search_term)
        return queryset.filter(pk__in=[hit.id for hit in hits]), False

    def get_ordering(self, request: HttpRequest):
        term = request.GET.get("q", "")
        hits = self._search_hits(request, term) if term.strip() else []
        if not hits:
            return super().get_ordering(request)
        rank = Case(
            *(When(pk=hit.id, then=Value(position)) for position, hit in enumerate(hits)),
            default=Value(len(hits)),
            output_field=IntegerField(),
        )
        return [rank.asc()]

    def _search_hits(self, request: HttpRequest, term: str) -> list[search.Hit]:
        """One search per request, however often the changelist asks."""
        key = (self.search_type, term)
        cached = getattr(request, "_factdesk_search", None)
        if cached is None or cached[0] != key:
            try:
                hits = search.search(
                    query=term, type_name=self.search_type, limit=ADMIN_SEARCH_RESULTS
                )
            except DomainError as error:
                messages.warning(request, error.message)
                hits = []
            request._factdesk_search = (key, hits)
        return request._factdesk_search[1]


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
class DocumentAdmin(RankedSearchMixin, admin.ModelAdmin):
    search_type = "document"

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
        "added_by",
        "created_at",
        "updated_at",
        "text",
        "raw_html",
        "story",
        "claims_found",
        "marked_text",
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
        ("Claims", {"fields": ["claims_found"]}),
        ("Text", {"fields": ["marked_text"]}),
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
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["content_hash", "added_by", "created_at", "updated_at"],
            },
        ),
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

    @admin.display(description="Added by")
    def added_by(self, document: Document) -> str:
        # The name, not a link: the user pages are not the desk's.
        return username_or_dash(document.created_by)

    def _claims(self, document: Document) -> list[Claim]:
        if not hasattr(document, "_admin_claims"):
            document._admin_claims = list(
                document.claims.only(
                    "id", "document_id", "text", "start", "end", "speaker", "score", "claim_type"
                ).order_by("start")
            )
        return document._admin_claims

    @admin.display(description="Claims found")
    def claims_found(self, document: Document) -> str:
        claims = self._claims(document)
        if not claims:
            return "No claims found in this article."
        return format_html(
            '<ol class="factdesk-claims">{}</ol>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a> <span class="quiet">— {}, {} check-worthy '
                '(<a href="#claim-{}">in the text</a>)</span></li>',
                (
                    (
                        reverse("admin:claims_claim_change", args=[claim.pk]),
                        claim.text,
                        claim.speaker or "no one named",
                        f"{claim.score:.0%}",
                        claim.pk,
                    )
                    for claim in claims
                ),
            ),
        )

    @admin.display(description="Text (claims highlighted, scraping debris struck through)")
    def marked_text(self, document: Document) -> str:
        spans = [*claim_spans(self._claims(document)), *debris_spans(document.text)]
        return format_html(
            '<div class="factdesk-article">{}</div>', marked_text_html(document.text, spans)
        )

    @admin.action(description="Extract claims again")
    def extract_again(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        documents = list(queryset.only("id"))
        for document in documents:
            services.document_request_extraction(document=document)
        self.message_user(
            request, f"{len(documents)} documents queued for extraction.", messages.SUCCESS
        )


@admin.register(Claim)
class ClaimAdmin(RankedSearchMixin, admin.ModelAdmin):
    search_type = "claim"

    list_display = [
        "short_text",
        "speaker",
        "claim_type",
        "check_worthiness",
        "document_title",
        "outlet",
    ]
    list_filter = ["claim_type", "speaker_kind", "extractor_version", "document__outlet"]
    search_fields = ["text", "speaker", "document__title"]
    list_select_related = ["document"]
    ordering = ["-score", "id"]
    readonly_fields = [
        "document",
        "in_article",
        "said_by",
        "claim_type",
        "score_meaning",
        "figures_readable",
        "dates_readable",
        "names",
        "found",
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

    @admin.display(description="Said by")
    def said_by(self, claim: Claim) -> str:
        return readable.claim_speaker_text(claim)

    @admin.display(description="Check-worthiness", ordering="score")
    def check_worthiness(self, claim: Claim) -> str:
        return f"{claim.score:.0%}"

    @admin.display(description="Figures")
    def figures_readable(self, claim: Claim) -> str:
        return _lines([readable.figure_text(figure) for figure in claim.figures or []])

    @admin.display(description="Dates")
    def dates_readable(self, claim: Claim) -> str:
        return _lines([readable.date_text(date) for date in claim.dates or []])

    @admin.display(description="Names")
    def names(self, claim: Claim) -> str:
        return ", ".join(readable.entity_texts(claim.entities)) or "—"

    @admin.display(description="Found")
    def found(self, claim: Claim) -> str:
        return f"{claim.created_at:%d %B %Y, %H:%M}"


def username_or_dash(user) -> str:
    return user.get_username() if user is not None else "—"


def _lines(items: list[str]) -> str:
    if not items:
        return "—"
    return format_html_join("", "<div>{}</div>", ((item,) for item in items))


class ClaimClusterAdmin(SimpleHistoryAdmin):
    """Claims that assert the same thing, with every appearance; merges and splits are the desk's
    (reviews.admin adds them) and show in the history."""

    list_display = [
        "id",
        "short_text",
        "claim_count",
        "document_count",
        "outlet_count",
        "embedding_version",
        "created_at",
    ]
    list_filter = ["embedding_version"]
    search_fields = ["canonical_text", "claims__text"]
    ordering = ["-outlet_count", "-created_at", "-id"]
    readonly_fields = [
        "canonical_text",
        "claim_count",
        "document_count",
        "outlet_count",
        "embedding_version",
        "created_at",
        "updated_at",
        "appearances",
    ]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Claim")
    def short_text(self, cluster: ClaimCluster) -> str:
        text = cluster.canonical_text
        return text if len(text) <= 120 else text[:119] + "…"

    @admin.display(description="Appearances")
    def appearances(self, cluster: ClaimCluster) -> str:
        claims = list(
            cluster.claims.select_related("document")
            .defer("embedding", "document__raw_html", "document__fingerprint")
            .order_by("document__published_at", "document_id", "start")
        )
        return appearances_html(claims) if claims else "No claims."


admin.site.register(ClaimCluster, ClaimClusterAdmin)
