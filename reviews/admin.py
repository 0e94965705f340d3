from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from claims import readable
from claims.admin import ClaimAdmin, claim_in_context_html
from claims.models import Claim, EvidenceLink
from claims.services import DocumentRejected
from reviews import priority, selectors, services, workspace
from reviews.errors import ReviewError
from reviews.models import ChecklistStep, Rating, Review

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


class ReviewActionForm(ActionForm):
    note = forms.CharField(
        required=False,
        label="Comment or reason",
        help_text="Needed to return or dismiss.",
        widget=forms.TextInput(attrs={"size": 40}),
    )
    assignee = forms.ModelChoiceField(
        queryset=selectors.desk_members(), required=False, label="Assign to", empty_label="me"
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
        "holder",
        "rating",
        "priority_order",
        "updated",
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
    # The change page is the workspace (templates/admin/reviews/review/change_form.html),
    # built from `workspace_context`; these fields only back the admin's view-only form.
    fields = ["state", "rating", "summary"]
    readonly_fields = fields

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

    @admin.display(description="Held by", ordering="assignee__username")
    def holder(self, review: Review) -> str:
        """The holder as text (the user pages are not the desk's), with the lock's end."""
        if review.assignee is None:
            return "—"
        if review.state == State.IN_REVIEW and review.locked_until:
            local = timezone.localtime(review.locked_until)
            return f"{review.assignee.get_username()} until {local:%H:%M}"
        return review.assignee.get_username()

    @admin.display(description="Updated", ordering="updated_at")
    def updated(self, review: Review) -> str:
        return readable_moment(review.updated_at)

    @admin.display(description="Priority", ordering="-priority")
    def priority_order(self, review: Review) -> str:
        return priority.priority_explanation(review)

    # The desk panel on the review page and the "take the next claim" button

    def get_urls(self):
        own = [
            path(
                "claim-next/",
                self.admin_site.admin_view(self.claim_next_view),
                name="reviews_review_claim_next",
            ),
            path(
                "evidence/<int:link_id>/open/",
                self.admin_site.admin_view(self.open_evidence_view),
                name="reviews_review_open_evidence",
            ),
            path(
                "<int:review_id>/desk/<str:action>/",
                self.admin_site.admin_view(self.desk_action_view),
                name="reviews_review_desk_action",
            ),
        ]
        return own + super().get_urls()

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        review = get_object_or_404(selectors.review_detail_queryset(), pk=object_id)
        context = {**workspace_context(request, review), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def open_evidence_view(self, request: HttpRequest, link_id: int) -> HttpResponse:
        """The desk's pages link to a source through here, so that they name no other host and
        the source sees no admin address as the referrer."""
        if not selectors.user_is_reviewer(request.user):
            return HttpResponseForbidden("Only reviewers and editors open evidence links.")
        link = get_object_or_404(EvidenceLink.objects.only("id", "url"), pk=link_id)
        if not link.url.lower().startswith(("http://", "https://")):
            return HttpResponseBadRequest("This evidence has no web address.")
        response = HttpResponseRedirect(link.url)
        response["Referrer-Policy"] = "no-referrer"
        return response

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
        if action == "submit" and not data.get("rating"):
            self.message_user(request, "Choose a rating for the verdict.", messages.ERROR)
            return HttpResponseRedirect(change_url)
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
            "evidence": lambda: self._add_evidence(request, review_id, version),
            "note": lambda: workspace.review_note_add(**common, body=data.get("body", "")),
            "checklist": lambda: workspace.review_checklist_mark(
                **common, step_id=_int(data.get("step")), done=data.get("done") == "1"
            ),
            "tags": lambda: workspace.review_tags_set(
                **common, names=data.get("tags", "").split(",")
            ),
            "reassign": lambda: services.review_assign(
                **common, assignee=_desk_member(data.get("assignee"))
            ),
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

    def _add_evidence(self, request: HttpRequest, review_id: int, version: int) -> None:
        url = forms.URLField(max_length=2000, assume_scheme="https").clean(
            request.POST.get("url", "")
        )
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Evidence URLs must be http or https.")
        stance = request.POST.get("stance", EvidenceLink.Stance.CONTEXT)
        if stance not in EvidenceLink.Stance.values:
            raise forms.ValidationError(f"Unknown stance {stance!r}.")
        workspace.review_evidence_add(
            review_id=review_id,
            actor=request.user,
            version=version,
            url=url,
            excerpt=request.POST.get("excerpt", "")[:10_000],
            stance=stance,
            note=request.POST.get("note", "")[:10_000],
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
    "note": "Note added.",
    "checklist": "Checklist updated.",
    "tags": "Tags saved.",
    "reassign": "Review reassigned.",
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


def readable_moment(moment: datetime | None) -> str:
    """ "14:05" today, "2 Dec 14:05" this year, "2 Dec 2025" before."""
    if moment is None:
        return "—"
    local, now = timezone.localtime(moment), timezone.localtime()
    if local.date() == now.date():
        return f"{local:%H:%M}"
    if local.year == now.year:
        return f"{local.day} {local:%b %H:%M}"
    return f"{local.day} {local:%b %Y}"


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError as error:
        raise forms.ValidationError("The form was incomplete; reload the page.") from error


def _desk_member(user_id: str | None):
    member = selectors.desk_members().filter(pk=_int(user_id)).first()
    if member is None:
        raise forms.ValidationError("Choose a reviewer from the desk.")
    return member


def workspace_context(request: HttpRequest, review: Review) -> dict:
    """What the review workspace shows this viewer: the claim in its article, the work, the
    discussion, the checklist and the history, and the actions that fit."""
    user = request.user
    is_editor = selectors.user_is_editor(user)
    holds = review.assignee_id == user.pk
    claim = (
        Claim.objects.select_related("document")
        .defer("embedding", "document__raw_html")
        .get(pk=review.claim_id)
    )
    review.claim = claim
    actions = _desk_actions(review, is_editor=is_editor, holds=holds)
    can_work = review.state in Review.OPEN_STATES and (
        is_editor or (holds and review.state == State.IN_REVIEW)
    )
    can_reassign = is_editor and review.state in (State.QUEUED, State.IN_REVIEW)
    history = review.history.select_related("history_user").order_by("-history_date")[:HISTORY_ROWS]
    published = review.state == State.PUBLISHED
    return {
        "desk_actions": actions,
        "ratings": Rating.objects.order_by("order", "value"),
        "stances": EvidenceLink.Stance.choices,
        "ws": {
            "review": review,
            "claim": claim,
            "is_editor": is_editor,
            "holds": holds,
            "can_work": can_work,
            "in_article": claim_in_context_html(claim),
            "speaker": readable.claim_speaker_text(claim),
            "figures": [readable.figure_text(figure) for figure in claim.figures or []],
            "dates": [readable.date_text(date) for date in claim.dates or []],
            "appearances": list(selectors.review_appearances(review=review)),
            "priority": priority.priority_explanation(review),
            "evidence": list(selectors.review_evidence(review=review)),
            "notes": list(selectors.review_notes(review=review)),
            "tags": list(selectors.review_tags(review=review)),
            "checklist": selectors.review_checklist(review=review),
            "history": list(history),
            "can_reassign": can_reassign,
            "members": list(selectors.desk_members()) if can_reassign else [],
            "public_path": reverse("public-factcheck", args=[review.pk]) if published else "",
            "public_url": settings.FACTDESK_PUBLIC_URL_TEMPLATE.format(id=review.pk)
            if published
            else "",
            "locked_until": timezone.localtime(review.locked_until)
            if review.locked_until
            else None,
        },
    }


class ClaimWithReviewAdmin(ClaimAdmin):
    """The claim page with its place on the desk (the claims app knows nothing of reviews)."""

    readonly_fields = [*ClaimAdmin.readonly_fields, "on_the_desk"]
    fields = readonly_fields

    @admin.display(description="On the desk")
    def on_the_desk(self, claim: Claim) -> str:
        reviews = list(
            Review.objects.filter(claim=claim)
            .select_related("assignee", "rating")
            .only("id", "state", "assignee__username", "rating__name", "published_at")
            .order_by("-created_at")
        )
        if not reviews:
            return "Not on the desk (below the queue's threshold)."
        return format_html_join(
            "",
            '<div><a href="{}">Review {}</a>: {}{}{}</div>',
            (
                (
                    reverse("admin:reviews_review_change", args=[review.pk]),
                    review.pk,
                    review.get_state_display().lower(),
                    f", held by {review.assignee.username}" if review.assignee else "",
                    f", rated {review.rating.name}" if review.rating else "",
                )
                for review in reviews
            ),
        )


admin.site.unregister(Claim)
admin.site.register(Claim, ClaimWithReviewAdmin)


@admin.register(ChecklistStep)
class ChecklistStepAdmin(admin.ModelAdmin):
    """The desk's checklist; editors add steps and mark them required before sign-off."""

    list_display = ["name", "required", "active", "order", "help_text"]
    list_editable = ["required", "active", "order"]
    ordering = ["order", "id"]
