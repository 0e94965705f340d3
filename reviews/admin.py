from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from claims.admin import ClaimAdmin, claim_in_context_html, disputes_html
from claims.models import Claim, Dispute
from factdesk.roles import DESK_GROUPS, user_is_editor, user_is_reviewer
from reviews import priority, selectors, services, workflow
from reviews.api.serializers import EvidenceCreateSerializer
from reviews.errors import ReviewError
from reviews.models import EvidenceLink, Rating, Review

State = Review.State
HISTORY_ROWS = 50
# The changelist's bulk actions: the transitions the table marks as such, editors' ones hidden
# from reviewers.
BULK_TRANSITIONS = [t for t in workflow.TRANSITIONS.values() if t.bulk_label]
EDITOR_ACTIONS = [f"{t.name}_selected" for t in BULK_TRANSITIONS if t.who == workflow.EDITOR]
# The panel's evidence form goes with the transition that needs evidence.
EVIDENCE_BEFORE = "submit"


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["name", "value", "order", "description"]
    ordering = ["order", "value"]


class DeskFilter(admin.SimpleListFilter):
    """The desk's working lists: my reviews, unassigned, awaiting sign-off, published."""

    title = "desk"
    parameter_name = "desk"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [
            ("mine", "My reviews"),
            ("unassigned", "Unassigned"),
            ("awaiting", "Awaiting sign-off"),
            ("published", "Published"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Review]) -> QuerySet[Review]:
        match self.value():
            case "mine":
                return queryset.filter(assignee=request.user, state__in=Review.OPEN_STATES)
            case "unassigned":
                return queryset.filter(state=State.QUEUED)
            case "awaiting":
                return queryset.filter(state__in=[State.SUBMITTED, State.APPROVED])
            case "published":
                return queryset.filter(state=State.PUBLISHED)
        return queryset


def desk_members() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(groups__name__in=DESK_GROUPS)
        .distinct()
        .order_by("username")
    )


class ReviewActionForm(ActionForm):
    note = forms.CharField(
        required=False,
        label="Comment or reason",
        help_text="Needed to return or dismiss.",
        widget=forms.TextInput(attrs={"size": 40}),
    )
    assignee = forms.ModelChoiceField(
        queryset=desk_members(), required=False, label="Assign to", empty_label="me"
    )


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    change_list_template = "admin/reviews/review/change_list.html"
    change_form_template = "admin/reviews/review/change_form.html"
    list_display = [
        "id",
        "short_claim",
        "outlet",
        "state",
        "assignee",
        "rating",
        "priority_order",
        "locked_until",
        "updated_at",
    ]
    list_display_links = ["id", "short_claim"]
    list_filter = [DeskFilter, "state", "rating", "claim__claim_type"]
    search_fields = ["claim__text", "summary", "assignee__username"]
    list_select_related = ["claim__document", "assignee", "rating"]
    ordering = ["-priority", "id"]
    action_form = ReviewActionForm
    actions = [f"{t.name}_selected" for t in BULK_TRANSITIONS]
    fieldsets = [
        (
            "Claim",
            {
                "fields": [
                    "in_article",
                    "speaker",
                    "figures",
                    "appearances",
                    "claim_disputes",
                    "priority_order",
                ]
            },
        ),
        ("Evidence", {"fields": ["evidence"]}),
        (
            "Verdict",
            {
                "fields": [
                    "state",
                    "assignee",
                    "locked_until",
                    "rating",
                    "summary",
                    "editor_comment",
                    "dismiss_reason",
                    "submitted_by",
                    "approved_by",
                    "version",
                ]
            },
        ),
        ("History", {"fields": ["audit_trail"]}),
    ]
    readonly_fields = [field for _, options in fieldsets for field in options["fields"]]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        return (
            super()
            .get_queryset(request)
            .defer("claim__embedding", "claim__document__text", "claim__document__raw_html")
        )

    def get_object(self, request: HttpRequest, object_id: str, from_field=None) -> Review | None:
        review = super().get_object(request, object_id, from_field)
        if review is not None:
            # The change page shows the claim inside its article.
            review.claim = (
                Claim.objects.select_related("document")
                .defer("embedding", "document__raw_html")
                .get(pk=review.claim_id)
            )
        return review

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if not user_is_editor(request.user):
            for name in EDITOR_ACTIONS:
                actions.pop(name, None)
        return actions

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        # Reviews change only through the desk's transitions (the panel and the actions).
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        return False

    # Columns and read-only fields

    @admin.display(description="Claim")
    def short_claim(self, review: Review) -> str:
        text = review.claim.text
        return text if len(text) <= 110 else text[:109] + "…"

    @admin.display(description="Outlet", ordering="claim__document__outlet")
    def outlet(self, review: Review) -> str:
        return review.claim.document.outlet

    @admin.display(description="Priority", ordering="-priority")
    def priority_order(self, review: Review) -> str:
        return priority.priority_explanation(review)

    @admin.display(description="In the article")
    def in_article(self, review: Review) -> str:
        return claim_in_context_html(review.claim)

    @admin.display(description="Disputes")
    def claim_disputes(self, review: Review) -> str:
        """Confirmed and proposed disputes of the claim: what another side says against it."""
        return disputes_html(review.claim.disputes.exclude(state=Dispute.State.DISMISSED))

    @admin.display(description="Speaker")
    def speaker(self, review: Review) -> str:
        claim = review.claim
        if claim.speaker_kind == Claim.SpeakerKind.UNRESOLVED:
            mention = f' ("{claim.speaker}")' if claim.speaker else ""
            return f"Not resolved: the text does not say who{mention}"
        if not claim.speaker:
            return f"{claim.document.outlet or 'The outlet'} (nobody named)"
        role = f", {claim.speaker_role}" if claim.speaker_role else ""
        return f"{claim.speaker}{role} ({claim.get_speaker_kind_display().lower()})"

    @admin.display(description="Figures")
    def figures(self, review: Review) -> str:
        figures = review.claim.figures or []
        if not figures:
            return "—"
        return format_html_join(
            "", "<div>{}</div>", ((_figure_text(figure),) for figure in figures)
        )

    @admin.display(description="Appearances")
    def appearances(self, review: Review) -> str:
        """Every document of the claim's story that carries the claim."""
        appearances = list(selectors.review_appearances(review=review))
        if len(appearances) <= 1:
            return "Only in this article."
        return format_html_join(
            "",
            '<div><a href="{}">{}</a> — {}{}</div>',
            (
                (
                    reverse("admin:claims_document_change", args=[d.pk]),
                    d.title or d.url,
                    d.outlet,
                    " (this article)" if d.pk == review.claim.document_id else "",
                )
                for d in appearances
            ),
        )

    @admin.display(description="Evidence")
    def evidence(self, review: Review) -> str:
        links = EvidenceLink.objects.filter(claim_id=review.claim_id).select_related(
            "added_by", "document"
        )
        rows = [
            (
                link.get_stance_display(),
                link.url or (link.document.title if link.document else ""),
                link.url or "#",
                link.excerpt,
                link.added_by.get_username() if link.added_by else "",
            )
            for link in links
        ]
        if not rows:
            return "No evidence yet."
        return format_html(
            '<table class="factdesk-evidence">{}</table>',
            format_html_join(
                "",
                '<tr><td>{}</td><td><a href="{}" rel="noopener noreferrer">{}</a>'
                "</td><td>{}</td><td>{}</td></tr>",
                ((stance, href, label, excerpt, who) for stance, label, href, excerpt, who in rows),
            ),
        )

    @admin.display(description="Who did what")
    def audit_trail(self, review: Review) -> str:
        records = review.history.select_related("history_user").order_by("-history_date")[
            :HISTORY_ROWS
        ]
        return format_html(
            '<table class="factdesk-history">{}</table>',
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        record.history_date.strftime("%Y-%m-%d %H:%M:%S"),
                        record.history_user.get_username() if record.history_user else "FactDesk",
                        record.get_state_display(),
                        record.history_change_reason or record.get_history_type_display(),
                    )
                    for record in records
                ),
            ),
        )

    # The desk panel on the review page and the "take the next claim" button

    def get_urls(self):
        own = [
            path(
                "claim-next/",
                self.admin_site.admin_view(self.claim_next_view),
                name="reviews_review_claim_next",
            ),
            path(
                "<int:review_id>/desk/<str:action>/",
                self.admin_site.admin_view(self.desk_action_view),
                name="reviews_review_desk_action",
            ),
        ]
        return own + super().get_urls()

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        review = get_object_or_404(Review.objects.only("id", "state", "assignee_id"), pk=object_id)
        is_editor = user_is_editor(request.user)
        holds = review.assignee_id == request.user.pk
        actions = _desk_actions(review, is_editor=is_editor, holds=holds)
        offered = [workflow.TRANSITIONS[name] for name in actions if name in workflow.TRANSITIONS]
        context = {
            "desk_actions": actions,
            # Buttons that need nothing but the version, and those that need the note.
            "desk_buttons": [t for t in offered if all(i.optional for i in t.needs())],
            "note_buttons": [t for t in offered if any(i.admin_field == "note" for i in t.needs())],
            "ratings": Rating.objects.order_by("value"),
            "stances": EvidenceLink.Stance.choices,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def claim_next_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            review = services.review_claim_next(actor=request.user)
        except ReviewError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:reviews_review_changelist"))
        if review is None:
            self.message_user(request, "The queue is empty.", messages.INFO)
            return HttpResponseRedirect(reverse("admin:reviews_review_changelist"))
        self.message_user(request, f"You hold this review until {review.locked_until:%H:%M %Z}.")
        return HttpResponseRedirect(reverse("admin:reviews_review_change", args=[review.pk]))

    def desk_action_view(self, request: HttpRequest, review_id: int, action: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        change_url = reverse("admin:reviews_review_change", args=[review_id])
        transition = workflow.TRANSITIONS.get(action)
        if action != "evidence" and (transition is None or not transition.button):
            self.message_user(request, f"Unknown action {action!r}.", messages.ERROR)
            return HttpResponseRedirect(change_url)
        try:
            if transition is None:
                self._add_evidence(request, review_id)
            else:
                self._transition(request, transition, review_id)
        except ReviewError as error:
            self.message_user(request, error.message, messages.ERROR)
        except forms.ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            done = transition.done if transition else "Evidence added."
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def _transition(
        self, request: HttpRequest, transition: workflow.Transition, review_id: int
    ) -> None:
        """Runs a panel form's transition: its service, with the inputs the table names."""
        data = request.POST
        try:
            version = int(data.get("version", ""))
            inputs = {
                needed.kwarg: _panel_input(needed, data.get(needed.admin_field))
                for needed in transition.needs()
            }
        except (ValueError, TypeError) as error:
            raise forms.ValidationError("The form was incomplete; reload the page.") from error
        service = getattr(services, transition.service_name)
        service(review_id=review_id, actor=request.user, version=version, **inputs)

    def _add_evidence(self, request: HttpRequest, review_id: int) -> None:
        review = get_object_or_404(Review.objects.select_related("claim"), pk=review_id)
        form = EvidenceCreateSerializer(
            data={
                "url": request.POST.get("url", ""),
                "excerpt": request.POST.get("excerpt", "")[:10_000],
                "stance": request.POST.get("stance", EvidenceLink.Stance.CONTEXT),
            }
        )
        if not form.is_valid():
            raise forms.ValidationError(
                [str(message) for messages_ in form.errors.values() for message in messages_]
            )
        services.evidence_add(claim=review.claim, added_by=request.user, **form.validated_data)

    # Changelist actions, each through the services

    def _apply(self, request: HttpRequest, queryset: QuerySet[Review], verb: str, run) -> None:
        done, refused = 0, []
        for review_id, version in queryset.values_list("pk", "version"):
            try:
                run(review_id, version)
            except ReviewError as error:
                refused.append(f"review {review_id}: {error.message}")
            else:
                done += 1
        if done:
            self.message_user(request, f"{verb} {done} review(s).", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    def _bulk_inputs(self, request: HttpRequest, transition: workflow.Transition) -> dict:
        """The bulk action form's values for the transition's inputs."""
        inputs = {}
        for needed in transition.needs():
            raw = request.POST.get(needed.admin_field)
            if needed.admin_field == "assignee":
                inputs[needed.kwarg] = ReviewActionForm.base_fields["assignee"].clean(raw)
            else:
                inputs[needed.kwarg] = raw or ""
        return inputs


def _bulk_action(transition: workflow.Transition):
    """The changelist action of one transition: its service on each selected review."""

    def run(model_admin: ReviewAdmin, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        try:
            inputs = model_admin._bulk_inputs(request, transition)
        except forms.ValidationError as error:
            model_admin.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        service = getattr(services, transition.service_name)
        model_admin._apply(
            request,
            queryset,
            transition.bulk_verb,
            lambda review_id, version: service(
                review_id=review_id, actor=request.user, version=version, **inputs
            ),
        )

    run.__name__ = f"{transition.name}_selected"
    return admin.action(description=transition.bulk_label)(run)


for _transition in BULK_TRANSITIONS:
    setattr(ReviewAdmin, f"{_transition.name}_selected", _bulk_action(_transition))


def _panel_input(needed: workflow.Input, raw: str | None) -> object:
    """A panel form's value for one input; the panel assigns to the viewer."""
    if needed.kwarg == "rating_id":
        return int(raw)
    if needed.optional:
        return None
    return raw or ""


def _desk_actions(review: Review, *, is_editor: bool, holds: bool) -> list[str]:
    """The panel's forms that make sense for this viewer and state, from the transitions table
    (the services still decide); the evidence form comes with the verdict form."""
    actions = []
    for transition in workflow.TRANSITIONS.values():
        if not transition.button:
            continue
        if workflow.offered(transition, state=review.state, is_editor=is_editor, holds=holds):
            if transition.name == EVIDENCE_BEFORE:
                actions.append("evidence")
            actions.append(transition.name)
    return actions


def _figure_text(figure: object) -> str:
    if isinstance(figure, dict):
        shown = {
            k: v for k, v in figure.items() if k not in ("start", "end") and v not in ("", None)
        }
        return ", ".join(f"{key}: {value}" for key, value in shown.items())
    return str(figure)


# Evidence: on its own list and on the claim's page (the claims app knows nothing of it).


class EvidenceLinkInline(admin.TabularInline):
    model = EvidenceLink
    extra = 0
    fields = ["url", "document", "stance", "excerpt", "note", "added_by", "created_at"]
    readonly_fields = ["added_by", "created_at"]
    raw_id_fields = ["document"]

    def has_add_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        # Evidence is added through services.evidence_add, which only desk members may do.
        return user_is_reviewer(request.user) and super().has_add_permission(request, obj)


admin.site.unregister(Claim)


@admin.register(Claim)
class ClaimWithEvidenceAdmin(ClaimAdmin):
    """The claims app's claim page, with the desk's evidence on it."""

    inlines = [*ClaimAdmin.inlines, EvidenceLinkInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not EvidenceLink:
            return super().save_formset(request, form, formset, change)
        for link in formset.save(commit=False):
            if link.pk is None:
                services.evidence_add(
                    claim=link.claim,
                    added_by=request.user,
                    url=link.url,
                    document=link.document,
                    excerpt=link.excerpt,
                    stance=link.stance,
                    note=link.note,
                )
            else:
                link.save()
        for link in formset.deleted_objects:
            link.delete()
        return None


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(SimpleHistoryAdmin):
    list_display = ["claim", "url", "stance", "added_by", "created_at"]
    list_filter = ["stance"]
    search_fields = ["url", "excerpt", "note", "claim__text"]
    list_select_related = ["claim", "added_by"]
    raw_id_fields = ["claim", "document"]
    readonly_fields = ["added_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Evidence is added on the claim or review page, through services.evidence_add.
        return False
