from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import QuerySet
from django.http import (
    Http404,
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
from claims import selectors as claim_selectors
from claims.admin import (
    ClaimAdmin,
    ClaimClusterAdmin,
    appearances_html,
    claim_in_context_html,
    disputes_html,
    username_or_dash,
)
from claims.models import Claim, ClaimCluster, Dispute
from factdesk.roles import user_is_editor, user_is_reviewer
from reviews import clusters, priority, selectors, services, workflow, workspace
from reviews.api.serializers import EvidenceCreateSerializer
from reviews.errors import ReviewError
from reviews.models import ChecklistStep, EvidenceLink, Rating, Review

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
    actions = [f"{t.name}_selected" for t in BULK_TRANSITIONS]
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
        if not str(object_id).isdigit():
            raise Http404("No review has that id.")
        review = get_object_or_404(selectors.review_detail_queryset(), pk=object_id)
        context = {**workspace_context(request, review), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def open_evidence_view(self, request: HttpRequest, link_id: int) -> HttpResponse:
        """The desk's pages link to a source through here, so that they name no other host and
        the source sees no admin address as the referrer."""
        if not user_is_reviewer(request.user):
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
        """A form of the review page: a transition of the table, or a piece of work."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        change_url = reverse("admin:reviews_review_change", args=[review_id])
        transition = workflow.TRANSITIONS.get(action)
        work = WORK_ACTIONS.get(action)
        if work is None and (transition is None or not transition.button):
            self.message_user(request, f"Unknown action {action!r}.", messages.ERROR)
            return HttpResponseRedirect(change_url)
        try:
            if transition is not None:
                self._transition(request, transition, review_id)
            else:
                work(self, request, review_id)
        except ReviewError as error:
            self.message_user(request, error.message, messages.ERROR)
        except forms.ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            done = transition.done if transition is not None else WORK_DONE[action]
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def _transition(
        self, request: HttpRequest, transition: workflow.Transition, review_id: int
    ) -> None:
        """Runs a panel form's transition: its service, with the inputs the table names."""
        data = request.POST
        if transition.name == "submit" and not data.get("rating"):
            raise forms.ValidationError("Choose a rating for the verdict.")
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
        form = EvidenceCreateSerializer(
            data={
                "url": request.POST.get("url", ""),
                "excerpt": request.POST.get("excerpt", "")[:10_000],
                "stance": request.POST.get("stance", EvidenceLink.Stance.CONTEXT),
                "note": request.POST.get("note", "")[:10_000],
            }
        )
        if not form.is_valid():
            raise forms.ValidationError(
                [str(message) for messages_ in form.errors.values() for message in messages_]
            )
        fields = {key: value for key, value in form.validated_data.items() if key != "version"}
        workspace.review_evidence_add(
            review_id=review_id,
            actor=request.user,
            version=_int(request.POST.get("version")),
            **fields,
        )

    def _add_note(self, request: HttpRequest, review_id: int) -> None:
        workspace.review_note_add(
            review_id=review_id,
            actor=request.user,
            version=_int(request.POST.get("version")),
            body=request.POST.get("body", ""),
        )

    def _mark_step(self, request: HttpRequest, review_id: int) -> None:
        workspace.review_checklist_mark(
            review_id=review_id,
            actor=request.user,
            version=_int(request.POST.get("version")),
            step_id=_int(request.POST.get("step")),
            done=request.POST.get("done") == "1",
        )

    def _set_tags(self, request: HttpRequest, review_id: int) -> None:
        workspace.review_tags_set(
            review_id=review_id,
            actor=request.user,
            version=_int(request.POST.get("version")),
            names=request.POST.get("tags", "").split(","),
        )

    def _reassign(self, request: HttpRequest, review_id: int) -> None:
        services.review_assign(
            review_id=review_id,
            actor=request.user,
            version=_int(request.POST.get("version")),
            assignee=_desk_member(request.POST.get("assignee")),
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


# The review page's work besides the transitions: each needs the holder (or an editor) at the
# version the page was loaded at (reviews.workspace).
WORK_ACTIONS = {
    "evidence": ReviewAdmin._add_evidence,
    "note": ReviewAdmin._add_note,
    "checklist": ReviewAdmin._mark_step,
    "tags": ReviewAdmin._set_tags,
    "reassign": ReviewAdmin._reassign,
}
WORK_DONE = {
    "evidence": "Evidence added.",
    "note": "Note added.",
    "checklist": "Checklist updated.",
    "tags": "Tags saved.",
    "reassign": "Review reassigned.",
}


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


def review_appearances_html(review: Review) -> str:
    """Every claim of the review's cluster: document, outlet, speaker, date and the sentence
    highlighted; empty when the claim appears in its own article only."""
    if review.cluster_id is None:
        return ""
    claims = list(selectors.cluster_appearances(cluster_ids=[review.cluster_id]))
    if len(claims) <= 1:
        return ""
    return appearances_html(claims, current_claim_id=review.claim_id)


def review_disputes_html(review: Review) -> str:
    """Confirmed and proposed disputes of the review's claims (its cluster's): what another
    side says against them; empty when there are none."""
    found = Dispute.objects.exclude(state=Dispute.State.DISMISSED)
    if review.cluster_id is not None:
        found = found.filter(claims__cluster_id=review.cluster_id).distinct()
    else:
        found = found.filter(claims__id=review.claim_id)
    return disputes_html(found, empty="")


def earlier_factchecks_html(review: Review) -> str:
    """Fact-checks from the archive that fit the review's cluster (stored by the matching app,
    read through claims' selector so that reviews does not import it); empty when none."""
    matches = claim_selectors.cluster_matches(
        cluster_id=review.cluster_id, claim_id=review.claim_id
    )[:10]
    return format_html_join(
        "",
        '<li class="factcheck-match"><strong>{}</strong>: rated {} ({}, {}) <a href="{}" '
        'rel="noopener noreferrer">{}</a>, score {}, <a href="{}">confirm or reject</a></li>',
        (
            (
                "Checked before, to confirm"
                if m.state == "checked_before"
                else m.get_state_display(),
                m.factcheck.rating,
                m.factcheck.publisher or "unknown publisher",
                m.factcheck.reviewed_on or "undated",
                m.factcheck.url if m.factcheck.url.startswith(("http://", "https://")) else "#",
                m.factcheck.claim_text[:200],
                f"{m.score:.2f}",
                reverse("admin:matching_match_change", args=[m.pk]),
            )
            for m in matches
        ),
    )


def workspace_context(request: HttpRequest, review: Review) -> dict:
    """What the review workspace shows this viewer: the claim in its article, the work, the
    discussion, the checklist and the history, and the transitions that fit (from the table)."""
    user = request.user
    is_editor = user_is_editor(user)
    holds = review.assignee_id == user.pk
    claim = (
        Claim.objects.select_related("document")
        .defer("embedding", "document__raw_html")
        .get(pk=review.claim_id)
    )
    review.claim = claim
    actions = _desk_actions(review, is_editor=is_editor, holds=holds)
    offered = [workflow.TRANSITIONS[name] for name in actions if name in workflow.TRANSITIONS]
    can_work = review.state in Review.OPEN_STATES and (
        is_editor or (holds and review.state == State.IN_REVIEW)
    )
    can_reassign = is_editor and review.state in (State.QUEUED, State.IN_REVIEW)
    history = review.history.select_related("history_user").order_by("-history_date")[:HISTORY_ROWS]
    published = review.state == State.PUBLISHED
    return {
        "desk_actions": actions,
        # Buttons that need nothing but the version, and those that need the note.
        "desk_buttons": [t for t in offered if all(i.optional for i in t.needs())],
        "note_buttons": [t for t in offered if any(i.admin_field == "note" for i in t.needs())],
        "ratings": Rating.objects.order_by("order", "value"),
        "stances": EvidenceLink.Stance.choices,
        "ws": {
            "review": review,
            "claim": claim,
            "is_editor": is_editor,
            "holds": holds,
            "can_work": can_work,
            "can_reassign": can_reassign,
            "in_article": claim_in_context_html(claim),
            "speaker": readable.claim_speaker_text(claim),
            "figures": [readable.figure_text(figure) for figure in claim.figures or []],
            "dates": [readable.date_text(date) for date in claim.dates or []],
            "appearances": review_appearances_html(review),
            "earlier_factchecks": earlier_factchecks_html(review),
            "disputes": review_disputes_html(review),
            "priority": priority.priority_explanation(review),
            "evidence": list(selectors.review_evidence(review=review)),
            "notes": list(selectors.review_notes(review=review)),
            "tags": list(selectors.review_tags(review=review)),
            "checklist": selectors.review_checklist(review=review),
            "history": list(history),
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


# Evidence: on its own list and on the claim's page (the claims app knows nothing of it).


class EvidenceLinkInline(admin.TabularInline):
    model = EvidenceLink
    extra = 0
    fields = ["url", "document", "stance", "excerpt", "note", "added_by_name", "created_at"]
    readonly_fields = ["added_by_name", "created_at"]
    raw_id_fields = ["document"]

    @admin.display(description="Added by")
    def added_by_name(self, link: EvidenceLink) -> str:
        return username_or_dash(link.added_by)

    def has_add_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        # Reviewers add evidence on the review they hold (reviews.workspace); editors may add
        # it here too.
        return user_is_editor(request.user) and super().has_add_permission(request, obj)


admin.site.unregister(Claim)


@admin.register(Claim)
class ClaimWithEvidenceAdmin(ClaimAdmin):
    """The claims app's claim page, with the desk's evidence and its place on the desk."""

    inlines = [*ClaimAdmin.inlines, EvidenceLinkInline]
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

    actions = ["split_selected"]

    @admin.action(description="Split the selected claims out of their clusters")
    def split_selected(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        for claim in queryset.exclude(cluster=None).order_by("id"):
            try:
                new = clusters.cluster_split(
                    cluster_id=claim.cluster_id, claim_id=claim.pk, actor=request.user
                )
            except ReviewError as error:
                messages.error(request, f"Claim {claim.pk}: {error.message}")
            else:
                messages.success(request, f"Claim {claim.pk} is now cluster {new.pk} of its own.")

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
    fields = [
        "claim",
        "url",
        "document",
        "excerpt",
        "stance",
        "note",
        "added_by_name",
        "created_at",
    ]
    readonly_fields = ["added_by_name", "created_at"]

    @admin.display(description="Added by")
    def added_by_name(self, link: EvidenceLink) -> str:
        return username_or_dash(link.added_by)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Evidence is added on the review page, through reviews.workspace.
        return False


@admin.register(ChecklistStep)
class ChecklistStepAdmin(admin.ModelAdmin):
    """The desk's checklist; editors add steps and mark them required before sign-off."""

    list_display = ["name", "required", "active", "order", "help_text"]
    list_editable = ["required", "active", "order"]
    ordering = ["order", "id"]


admin.site.unregister(ClaimCluster)


@admin.register(ClaimCluster)
class DeskClaimClusterAdmin(ClaimClusterAdmin):
    """Clusters with the desk's merge; a claim is split out on the claims list."""

    actions = ["merge_selected"]

    @admin.action(description="Merge the selected clusters (into the one carried by most outlets)")
    def merge_selected(self, request: HttpRequest, queryset: QuerySet[ClaimCluster]) -> None:
        chosen = list(queryset.order_by("-outlet_count", "created_at", "id"))
        if len(chosen) < 2:
            messages.error(request, "Select at least two clusters to merge.")
            return
        into = chosen[0]
        for cluster in chosen[1:]:
            try:
                clusters.cluster_merge(cluster_id=cluster.pk, into_id=into.pk, actor=request.user)
            except ReviewError as error:
                messages.error(request, f"Cluster {cluster.pk}: {error.message}")
            else:
                messages.success(request, f"Cluster {cluster.pk} merged into cluster {into.pk}.")
