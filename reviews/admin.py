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

from claims.admin import claim_in_context_html, disputes_html
from claims.models import Claim, Dispute, EvidenceLink
from claims.services import DocumentRejected, evidence_add
from reviews import priority, selectors, services
from reviews.errors import ReviewError
from reviews.models import Rating, Review

State = Review.State
EDITOR_ACTIONS = ["approve_selected", "return_selected", "publish_selected", "dismiss_selected"]
HISTORY_ROWS = 50


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
        .objects.filter(groups__name__in=[selectors.REVIEWER_GROUP, selectors.EDITOR_GROUP])
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
    actions = [
        "assign_selected",
        "release_selected",
        "approve_selected",
        "return_selected",
        "publish_selected",
        "dismiss_selected",
    ]
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
        if not selectors.user_is_editor(request.user):
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
        is_editor = selectors.user_is_editor(request.user)
        holds = review.assignee_id == request.user.pk
        context = {
            "desk_actions": _desk_actions(review, is_editor=is_editor, holds=holds),
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
        data = request.POST
        try:
            version = int(data.get("version", ""))
            rating_id = int(data["rating"]) if action == "submit" else 0
        except (ValueError, KeyError):
            self.message_user(request, "The form was incomplete; reload the page.", messages.ERROR)
            return HttpResponseRedirect(change_url)
        actor = request.user
        common = {"review_id": review_id, "actor": actor, "version": version}
        run = {
            "assign": lambda: services.review_assign(**common),
            "release": lambda: services.review_release(**common),
            "submit": lambda: services.review_submit(
                **common, rating_id=rating_id, summary=data.get("summary", "")
            ),
            "approve": lambda: services.review_approve(**common),
            "return": lambda: services.review_return(**common, comment=data.get("note", "")),
            "publish": lambda: services.review_publish(**common),
            "dismiss": lambda: services.review_dismiss(**common, reason=data.get("note", "")),
            "evidence": lambda: self._add_evidence(request, review_id),
        }.get(action)
        if run is None:
            self.message_user(request, f"Unknown action {action!r}.", messages.ERROR)
            return HttpResponseRedirect(change_url)
        try:
            run()
        except (ReviewError, DocumentRejected) as error:
            self.message_user(request, str(error), messages.ERROR)
        except forms.ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, DONE_MESSAGES[action], messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def _add_evidence(self, request: HttpRequest, review_id: int) -> None:
        review = get_object_or_404(Review.objects.select_related("claim"), pk=review_id)
        url = forms.URLField(max_length=2000, assume_scheme="https").clean(
            request.POST.get("url", "")
        )
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Evidence URLs must be http or https.")
        stance = request.POST.get("stance", EvidenceLink.Stance.CONTEXT)
        if stance not in EvidenceLink.Stance.values:
            raise forms.ValidationError(f"Unknown stance {stance!r}.")
        evidence_add(
            claim=review.claim,
            added_by=request.user,
            url=url,
            excerpt=request.POST.get("excerpt", "")[:10_000],
            stance=stance,
        )

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

    def _note(self, request: HttpRequest) -> str:
        return request.POST.get("note", "")

    @admin.action(description="Assign (to me, or to the person chosen)")
    def assign_selected(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        try:
            assignee = ReviewActionForm.base_fields["assignee"].clean(request.POST.get("assignee"))
        except forms.ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self._apply(
            request,
            queryset,
            "Assigned",
            lambda review_id, version: services.review_assign(
                review_id=review_id, actor=request.user, version=version, assignee=assignee
            ),
        )

    @admin.action(description="Release to the queue")
    def release_selected(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        self._apply(
            request,
            queryset,
            "Released",
            lambda review_id, version: services.review_release(
                review_id=review_id, actor=request.user, version=version
            ),
        )

    @admin.action(description="Approve (four eyes)")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        self._apply(
            request,
            queryset,
            "Approved",
            lambda review_id, version: services.review_approve(
                review_id=review_id, actor=request.user, version=version
            ),
        )

    @admin.action(description="Return to the reviewer (give a comment)")
    def return_selected(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        comment = self._note(request)
        self._apply(
            request,
            queryset,
            "Returned",
            lambda review_id, version: services.review_return(
                review_id=review_id, actor=request.user, version=version, comment=comment
            ),
        )

    @admin.action(description="Publish")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        self._apply(
            request,
            queryset,
            "Published",
            lambda review_id, version: services.review_publish(
                review_id=review_id, actor=request.user, version=version
            ),
        )

    @admin.action(description="Dismiss (give a reason)")
    def dismiss_selected(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        reason = self._note(request)
        self._apply(
            request,
            queryset,
            "Dismissed",
            lambda review_id, version: services.review_dismiss(
                review_id=review_id, actor=request.user, version=version, reason=reason
            ),
        )


DONE_MESSAGES = {
    "assign": "You hold this review now.",
    "release": "The review is back in the queue.",
    "submit": "Verdict submitted for sign-off.",
    "approve": "Verdict approved.",
    "return": "Returned to the reviewer.",
    "publish": "Verdict published.",
    "dismiss": "Claim dismissed.",
    "evidence": "Evidence added.",
}


def _desk_actions(review: Review, *, is_editor: bool, holds: bool) -> list[str]:
    """The panel's forms that make sense for this viewer and state (the services still decide)."""
    actions = []
    if review.state == State.QUEUED or (
        review.state == State.IN_REVIEW and is_editor and not holds
    ):
        actions.append("assign")
    if review.state == State.IN_REVIEW and (holds or is_editor):
        actions.append("release")
    if review.state == State.IN_REVIEW and holds:
        actions += ["evidence", "submit"]
    if is_editor and review.state == State.SUBMITTED:
        actions.append("approve")
    if is_editor and review.state in (State.SUBMITTED, State.APPROVED):
        actions.append("return")
    if is_editor and review.state == State.APPROVED:
        actions.append("publish")
    if is_editor and review.state in Review.OPEN_STATES:
        actions.append("dismiss")
    return actions


def _figure_text(figure: object) -> str:
    if isinstance(figure, dict):
        shown = {
            k: v for k, v in figure.items() if k not in ("start", "end") and v not in ("", None)
        }
        return ", ".join(f"{key}: {value}" for key, value in shown.items())
    return str(figure)
