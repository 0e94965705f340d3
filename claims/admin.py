from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from claims import actors, disputes, ingestion, readable, search, selectors, services
from claims.highlight import claim_spans, debris_spans, marked_text_html
from claims.models import (
    Actor,
    ActorAlias,
    Claim,
    ClaimCluster,
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


def claim_in_context_html(
    claim: Claim, context: int = HIGHLIGHT_CONTEXT_CHARS, *, anchored: bool = True
) -> str:
    """The claim highlighted inside the surrounding article text (debris marked), escaped.
    `anchored=False` leaves out the highlight's `id`, for a page that already shows the claim."""
    text = claim.document.text
    before_start = max(0, claim.start - context)
    after_end = min(len(text), claim.end + context)
    spans = [*claim_spans([claim], current_id=claim.pk, anchored=anchored), *debris_spans(text)]
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
                # The review page shows the claim itself above: one element per id.
                claim_in_context_html(claim, APPEARANCE_CONTEXT_CHARS, anchored=False),
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


def disputes_html(found: QuerySet[Dispute], *, empty: str = "—") -> str:
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
        return empty
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
class DocumentAdmin(RankedSearchMixin, admin.ModelAdmin):
    search_type = "document"

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
        "added_by",
        "created_at",
        "updated_at",
        "text",
        "raw_html",
        "story",
        "claims_found",
        "marked_text",
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
        "actor",
        "claim_type",
        "check_worthiness",
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
        "said_by",
        "actor",
        "claim_disputes",
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

    @admin.display(description="Disputes")
    def claim_disputes(self, claim: Claim) -> str:
        return disputes_html(claim.disputes.exclude(state=Dispute.State.DISMISSED))

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
