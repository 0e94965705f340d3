"""Every write of the review desk: the queue, its order, evidence, and the transitions of a verdict.

Each transition is declared in `reviews.workflow.TRANSITIONS`; its service checks the actor's
role, the review's version, state and holder from that entry (`_authorised`, `_locked_for`), and
runs in one transaction with the review's row locked; history records who did what
(django-simple-history).
"""

from collections.abc import Collection
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.db.models import signals as models_signals
from django.db.models.functions import Round
from django.utils import timezone

from claims.clusters import claims_cluster
from claims.models import Claim, ClaimCluster, Dispute, Document
from factdesk.roles import require_editor, require_reviewer, user_is_editor, user_is_reviewer
from reviews import events, priority, selectors, workflow
from reviews.errors import (
    HoldLimitReached,
    InvalidTransition,
    LockExpired,
    NotFound,
    NotHolder,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)
from reviews.models import EvidenceLink, Rating, Review

MAX_BOOST = 10.0
EXPIRED_LOCKS_BATCH = 500

State = Review.State


# The queue and its order


def reviews_enqueue_claims(*, claims: list[Claim]) -> int:
    """One queue item per cluster: queues the best claim at or above the threshold of each
    cluster that has never had a review; the other claims are its appearances, and the spread
    of every cluster they joined is counted again."""
    unclustered = [claim for claim in claims if claim.cluster_id is None]
    if unclustered:
        claims_cluster(claims=unclustered)
    cluster_ids = {claim.cluster_id for claim in claims}
    reviewed = set(
        Review.objects.filter(cluster_id__in=cluster_ids).values_list("cluster_id", flat=True)
    )
    threshold = settings.FACTDESK_QUEUE_THRESHOLD
    best: dict[int, Claim] = {}
    for claim in sorted(claims, key=lambda c: (-c.score, c.pk)):
        if claim.score >= threshold and claim.cluster_id not in reviewed:
            best.setdefault(claim.cluster_id, claim)
    created = []
    with transaction.atomic():
        if best:
            documents = Document.objects.only(
                "id", "story_id", "outlet", "published_at", "undated", "created_at"
            ).in_bulk({c.document_id for c in best.values()})
            disputed = _confirmed_disputes(cluster_ids=best.keys())
            now = timezone.now()
            reviews = [
                _new_review(
                    claim=c,
                    document=documents[c.document_id],
                    now=now,
                    disputes=disputed.get(c.cluster_id, 0),
                )
                for c in best.values()
            ]
            created = Review.objects.bulk_create(reviews, ignore_conflicts=True)
        review_refresh_spread(cluster_ids=cluster_ids)
        if best:
            events.desk_event_announce(
                event=events.CLAIMS_QUEUED, claim_ids=[c.pk for c in best.values()]
            )
    return len(created)


def review_promote(*, claim_id: int, actor: AbstractBaseUser) -> Review:
    """An editor puts a claim below the threshold into the queue."""
    require_editor(actor, "promote a claim into the queue")
    with transaction.atomic():
        claim = (
            Claim.objects.select_related("document")
            .only(
                "id",
                "text",
                "score",
                "claim_type",
                "cluster_id",
                "document__story_id",
                "document__outlet",
                "document__published_at",
                "document__undated",
                "document__created_at",
            )
            .get(pk=claim_id)
        )
        if claim.cluster_id is None:
            claims_cluster(claims=[claim])
        open_review = Review.objects.filter(
            cluster_id=claim.cluster_id, state__in=Review.OPEN_STATES
        ).first()
        if open_review is not None:
            raise InvalidTransition(
                f"This claim's cluster is already on the desk (review {open_review.pk}, "
                f"{open_review.get_state_display().lower()})."
            )
        review = _new_review(
            claim=claim,
            document=claim.document,
            now=timezone.now(),
            disputes=_confirmed_disputes(cluster_ids=[claim.cluster_id]).get(claim.cluster_id, 0),
        )
        _record(review, actor=actor, reason="promoted into the queue by an editor")
        try:
            with transaction.atomic():
                review.save()
        except IntegrityError as error:
            raise InvalidTransition("Someone put this claim on the desk a moment ago.") from error
        review_refresh_spread(cluster_ids=[claim.cluster_id])
    review.refresh_from_db()
    return review


def review_boost(*, review_id: int, actor: AbstractBaseUser, version: int, boost: float) -> Review:
    transition = _authorised("boost", actor)
    if not -MAX_BOOST <= boost <= MAX_BOOST:
        raise ValidationFailed(f"A boost runs from -{MAX_BOOST:g} to {MAX_BOOST:g}.")
    with transaction.atomic():
        review = _locked_for(transition, review_id=review_id, version=version, actor=actor)
        review.priority_boost = boost
        review.priority = _total(review)
        _record(review, actor=actor, reason=f"boost set to {boost:g}")
        return _save(review)


def review_refresh_spread(*, cluster_ids: Collection[int]) -> None:
    """The spread of a cluster's reviews: the documents and distinct outlets of its claims
    (claims.clusters keeps the counts); updates their order."""
    counts = ClaimCluster.objects.filter(pk__in=set(cluster_ids)).values_list(
        "pk", "document_count", "outlet_count"
    )
    for cluster_id, documents, outlets in counts:
        spread = priority.spread_part(outlets=outlets)
        Review.objects.filter(cluster_id=cluster_id).update(
            appearance_documents=max(documents, 1),
            appearance_outlets=max(outlets, 1),
            priority_spread=spread,
            priority=Round(
                F("priority_score")
                + spread
                + F("priority_recency")
                + F("priority_dispute")
                + F("priority_boost"),
                4,
            ),
        )


def reviews_refresh_story(*, document_ids: Collection[int]) -> None:
    """Documents joined a story: their reviews follow them (the spread is the cluster's and does
    not change)."""
    reviews = Review.objects.filter(claim__document_id__in=document_ids).values_list(
        "pk", "story_id", "claim__document__story_id"
    )
    for review_id, old_story_id, story_id in list(reviews):
        if old_story_id != story_id:
            Review.objects.filter(pk=review_id).update(story_id=story_id)


def reviews_refresh_disputes(*, claim_ids: Collection[int]) -> int:
    """A dispute was confirmed or dismissed: the open reviews of its claims' clusters gain or
    lose the dispute part of their priority."""
    cluster_ids = set(
        Claim.objects.filter(pk__in=claim_ids)
        .exclude(cluster=None)
        .values_list("cluster_id", flat=True)
    )
    disputed = _confirmed_disputes(cluster_ids=cluster_ids)
    changed = []
    for review in Review.objects.filter(cluster_id__in=cluster_ids, state__in=Review.OPEN_STATES):
        review.priority_dispute = priority.dispute_part(
            confirmed_disputes=disputed.get(review.cluster_id, 0)
        )
        review.priority = _total(review)
        changed.append(review)
    Review.objects.bulk_update(changed, ["priority_dispute", "priority"])
    return len(changed)


def _confirmed_disputes(*, cluster_ids: Collection[int]) -> dict[int, int]:
    """Confirmed disputes per cluster: those any claim of the cluster is in."""
    rows = (
        Dispute.claims.through.objects.filter(
            claim__cluster_id__in=cluster_ids, dispute__state=Dispute.State.CONFIRMED
        )
        .values("claim__cluster_id")
        .annotate(count=Count("dispute_id", distinct=True))
    )
    return {row["claim__cluster_id"]: row["count"] for row in rows}


def reviews_refresh_recency(*, now: datetime | None = None) -> int:
    """Recency fades with time: recomputes the open reviews that still carry a recency bonus."""
    now = now or timezone.now()
    fading = (
        Review.objects.filter(state__in=Review.OPEN_STATES, priority_recency__gt=0)
        .select_related("claim__document")
        .only(
            "id",
            "priority_score",
            "priority_spread",
            "priority_boost",
            "priority_dispute",
            "claim__id",
            "claim__document__published_at",
            "claim__document__undated",
            "claim__document__created_at",
        )
    )
    changed = []
    for review in fading.iterator(chunk_size=1000):
        review.priority_recency = priority.recency_part(
            published=_published(review.claim.document), now=now
        )
        review.priority = _total(review)
        changed.append(review)
    Review.objects.bulk_update(changed, ["priority_recency", "priority"], batch_size=1000)
    return len(changed)


def reviews_claims_kept(*, claims) -> object:
    """Of claims about to be retired (an older engine's), the ids the desk needs kept: those
    with evidence, or with a review someone has worked on (assigned, or past the queue)."""
    return claims.filter(
        Q(evidence__isnull=False)
        | Q(reviews__assignee__isnull=False)
        | (Q(reviews__isnull=False) & ~Q(reviews__state=State.QUEUED))
    ).values("pk")


# Evidence


def evidence_add(
    *,
    claim: Claim,
    added_by: AbstractBaseUser,
    url: str = "",
    document: Document | None = None,
    excerpt: str = "",
    stance: str = EvidenceLink.Stance.CONTEXT,
    note: str = "",
) -> EvidenceLink:
    """A reviewer or an editor cites a source for or against a claim; the history says who."""
    require_reviewer(added_by, "add evidence to a claim")
    if not url and document is None:
        raise ValidationFailed("Evidence needs a URL or a document.")
    link = EvidenceLink(
        claim=claim,
        url=url,
        document=document,
        excerpt=excerpt,
        stance=stance,
        note=note,
        added_by=added_by,
    )
    link._history_user = added_by
    link._change_reason = f"evidence added ({link.get_stance_display().lower()})"
    link.save()
    return link


# Taking and giving back work


def review_claim_next(*, actor: AbstractBaseUser) -> Review | None:
    """Assigns the highest-priority queued review to the actor; None when the queue is empty.

    Answers the review with what its page shows (as `selectors.review_get`). On PostgreSQL the
    top row is picked, locked, taken and read back in one statement (`_claim_next_statement`),
    concurrent callers skipping each other's locked rows; on SQLite the immediate transaction
    makes writers take turns. Either way no review is handed out twice, the hold limit holds
    and the history records who took it.
    """
    require_reviewer(actor, "take work from the queue")
    reviews_release_expired_locks()
    with transaction.atomic():
        _require_room_to_hold(actor)
        if connection.vendor == "postgresql":
            return _claim_next_statement(actor)
        candidates = Review.objects.filter(state=State.QUEUED).order_by("-priority", "id")
        skip_locked = connection.features.has_select_for_update_skip_locked
        review = candidates.select_for_update(skip_locked=skip_locked).first()
        if review is None:
            return None
        _start_review(review, assignee=actor)
        _record(review, actor=actor, reason="taken from the queue")
        _save(review)
    return selectors.review_get(review_id=review.pk)


def _claim_next_statement(actor: AbstractBaseUser) -> Review | None:
    """PostgreSQL: `UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING` the
    review, joined in the same statement to what its page shows, then its history row.

    The states are literals in the SQL and the values are bound client-side (Django's default
    with psycopg 3), so no generic plan is cached for a parameterised state: the planner always
    sees `state = 'queued'` and uses the queue's index. The history row is written by the same
    receivers as a `save()` (django-simple-history's post_save), with who and why.
    """
    plan = _claim_next_plan()
    now = timezone.now()
    locked_until = now + timedelta(minutes=settings.FACTDESK_REVIEW_LOCK_MINUTES)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, [actor.pk, locked_until, now])
        row = cursor.fetchone()
    if row is None:
        return None
    values = iter(row)
    db = connection.alias
    review = _from_row(Review, plan.review_fields, values, db)
    claim = _from_row(Claim, plan.claim_fields, values, db)
    claim.document = _from_row(Document, plan.document_fields, values, db)
    review.claim = claim
    review.assignee = actor
    review.rating = _from_row(Rating, plan.rating_fields, values, db)
    review.submitted_by = _from_row(plan.user_model, plan.user_fields, values, db)
    review.approved_by = _from_row(plan.user_model, plan.user_fields, values, db)
    _record(review, actor=actor, reason="taken from the queue")
    models_signals.post_save.send(
        sender=Review, instance=review, created=False, update_fields=None, raw=False, using=db
    )
    return review


class _ClaimNextPlan:
    """The claim-next statement and the fields it reads, in order (built once per process)."""

    def __init__(self) -> None:
        qn = connection.ops.quote_name
        self.user_model = get_user_model()
        self.review_fields = [f.attname for f in Review._meta.concrete_fields]
        self.claim_fields = [
            f.attname for f in Claim._meta.concrete_fields if f.attname not in {"embedding"}
        ]
        self.document_fields = [
            f.attname
            for f in Document._meta.concrete_fields
            if f.attname not in {"raw_html", "text"}
        ]
        self.rating_fields = [f.attname for f in Rating._meta.concrete_fields]
        self.user_fields = [f.attname for f in self.user_model._meta.concrete_fields]

        def columns(model, fields: list[str], alias: str) -> list[str]:
            by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
            return [f"{alias}.{qn(by_attname[name])}" for name in fields]

        review_table = qn(Review._meta.db_table)
        user_table = qn(self.user_model._meta.db_table)
        picked = [qn(Review._meta.get_field(name).column) for name in self.review_fields]
        selected = [
            *(f"picked.{column}" for column in picked),
            *columns(Claim, self.claim_fields, "c"),
            *columns(Document, self.document_fields, "d"),
            *columns(Rating, self.rating_fields, "r"),
            *columns(self.user_model, self.user_fields, "s"),
            *columns(self.user_model, self.user_fields, "a"),
        ]
        queued, in_review = State.QUEUED.value, State.IN_REVIEW.value
        self.sql = f"""
            WITH picked AS (
                UPDATE {review_table}
                SET state = '{in_review}', assignee_id = %s, locked_until = %s,
                    version = version + 1, updated_at = %s
                WHERE id = (
                    SELECT id FROM {review_table}
                    WHERE state = '{queued}'
                    ORDER BY priority DESC, id
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED
                ) AND state = '{queued}'
                RETURNING {", ".join(picked)}
            )
            SELECT {", ".join(selected)}
            FROM picked
            JOIN {qn(Claim._meta.db_table)} c ON c.id = picked.claim_id
            JOIN {qn(Document._meta.db_table)} d ON d.id = c.document_id
            LEFT JOIN {qn(Rating._meta.db_table)} r ON r.id = picked.rating_id
            LEFT JOIN {user_table} s ON s.id = picked.submitted_by_id
            LEFT JOIN {user_table} a ON a.id = picked.approved_by_id
        """


_CLAIM_NEXT_PLAN: _ClaimNextPlan | None = None


def _claim_next_plan() -> _ClaimNextPlan:
    global _CLAIM_NEXT_PLAN
    if _CLAIM_NEXT_PLAN is None:
        _CLAIM_NEXT_PLAN = _ClaimNextPlan()
    return _CLAIM_NEXT_PLAN


def _from_row(model, fields: list[str], values, db: str):
    """A model instance from the next len(fields) values of a row, converted as the ORM converts
    them (JSON, for one); None when its key is NULL (a LEFT JOIN that found nothing). Fields not
    read are deferred, as with `.only()`."""
    taken = []
    for name in fields:
        value = next(values)
        field = model._meta.get_field(name) if name != model._meta.pk.attname else model._meta.pk
        if value is not None:
            for converter in field.get_db_converters(connection):
                value = converter(value, field.cached_col, connection)
        taken.append(value)
    if taken[fields.index(model._meta.pk.attname)] is None:
        return None
    return model.from_db(db, fields, taken)


def review_assign(
    *,
    review_id: int,
    actor: AbstractBaseUser,
    version: int,
    assignee: AbstractBaseUser | None = None,
) -> Review:
    """A reviewer takes a review; an editor may give it (or a held one) to any reviewer."""
    assignee = assignee or actor
    transition = _authorised("assign", actor)
    actor_is_editor = user_is_editor(actor)
    if assignee.pk != actor.pk and not actor_is_editor:
        raise PermissionDenied("Only an editor can assign a review to someone else.")
    if assignee.pk != actor.pk and not user_is_reviewer(assignee):
        raise ValidationFailed(f"{assignee.get_username()} is not a reviewer.")
    with transaction.atomic():
        review = _locked_for(transition, review_id=review_id, version=version, actor=actor)
        if review.state == State.IN_REVIEW and not actor_is_editor and not _lock_ran_out(review):
            raise InvalidTransition(
                f"{_username(review.assignee)} holds this review until {review.locked_until:%H:%M %Z}."
            )
        _require_room_to_hold(assignee, besides=review)
        _start_review(review, assignee=assignee)
        _record(review, actor=actor, reason=f"assigned to {assignee.get_username()}")
        review = _save(review)
        if assignee.pk != actor.pk:
            events.desk_event_announce(
                event=events.REVIEW_ASSIGNED,
                review_id=review.pk,
                actor_id=actor.pk,
                user_ids=[assignee.pk],
            )
        return review


def review_release(*, review_id: int, actor: AbstractBaseUser, version: int) -> Review:
    """The holder (or an editor) puts a review back into the queue."""
    transition = _authorised("release", actor)
    with transaction.atomic():
        review = _locked_for(transition, review_id=review_id, version=version, actor=actor)
        _return_to_queue(review)
        _record(review, actor=actor, reason="released to the queue")
        return _save(review)


def reviews_release_expired_locks(*, now: datetime | None = None) -> int:
    """Returns reviews whose lock ran out to the queue; run lazily and by a periodic task."""
    now = now or timezone.now()
    expired = Review.objects.filter(state=State.IN_REVIEW, locked_until__lte=now)
    if not expired.exists():
        return 0
    skip_locked = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        batch = list(
            expired.order_by("locked_until")
            .select_related("assignee")
            .select_for_update(skip_locked=skip_locked, of=("self",))[:EXPIRED_LOCKS_BATCH]
        )
        for review in batch:
            holder = _username(review.assignee)
            _return_to_queue(review)
            _record(review, actor=None, reason=f"lock of {holder} expired; back in the queue")
            _save(review)
    return len(batch)


# The verdict


def review_submit(
    *, review_id: int, actor: AbstractBaseUser, version: int, rating_id: int, summary: str
) -> Review:
    """The holder records a rating and a summary; the claim needs at least one piece of evidence."""
    transition = _authorised("submit", actor)
    summary = summary.strip()
    if not summary:
        raise ValidationFailed("A verdict needs a summary.")
    rating = Rating.objects.filter(pk=rating_id).first()
    if rating is None:
        raise ValidationFailed(f"There is no rating with id {rating_id}; see /api/v1/ratings/.")
    with transaction.atomic():
        review = _locked_for(transition, review_id=review_id, version=version, actor=actor)
        expired_at = _return_to_queue_if_lock_ran_out(review)
        if expired_at is None:
            if not EvidenceLink.objects.filter(claim_id=review.claim_id).exists():
                raise ValidationFailed(
                    "Add at least one evidence link to the claim before submitting the verdict."
                )
            _check_listed_requirements(transition, review)
            now = timezone.now()
            review.state = transition.target
            review.rating = rating
            review.summary = summary
            review.submitted_by = actor
            review.submitted_at = now
            review.locked_until = None
            _record(review, actor=actor, reason=f"submitted with rating {rating.name}")
            return _save(review)
    raise LockExpired(
        f"Your lock on this review ran out at {expired_at:%H:%M %Z}; it went back to the queue "
        "and nothing was saved. Take it again to continue."
    )


def review_approve(*, review_id: int, actor: AbstractBaseUser, version: int) -> Review:
    """An editor who did not write the verdict signs it off (four eyes)."""
    transition = _authorised("approve", actor)
    with transaction.atomic():
        review = _locked_for(transition, review_id=review_id, version=version, actor=actor)
        if review.submitted_by_id == actor.pk:
            raise PermissionDenied(
                "Four eyes: you submitted this verdict, so another editor has to approve it."
            )
        _check_listed_requirements(transition, review)
        review.state = transition.target
        review.approved_by = actor
        review.approved_at = timezone.now()
        _record(review, actor=actor, reason="approved")
        return _save(review)


def review_return(*, review_id: int, actor: AbstractBaseUser, version: int, comment: str) -> Review:
    """An editor sends a verdict back to the reviewer who wrote it, with a comment."""
    transition = _authorised("return", actor)
    comment = comment.strip()
    if not comment:
        raise ValidationFailed("Say what needs to change: returning a verdict needs a comment.")
    with transaction.atomic():
        review = _locked_for(transition, review_id=review_id, version=version, actor=actor)
        review.editor_comment = comment
        review.approved_by = None
        review.approved_at = None
        reason = f"returned: {comment[:80]}"
        if review.submitted_by is not None and _has_room_to_hold(review.submitted_by):
            _start_review(review, assignee=review.submitted_by)
        else:
            # The author already holds as many reviews as anyone may: the verdict goes back to
            # the queue, draft and comment kept, for them or anyone to take.
            _return_to_queue(review)
            if review.submitted_by is not None:
                reason += " (to the queue: the author holds the most reviews one may)"
        _record(review, actor=actor, reason=reason)
        review = _save(review)
        _announce(review=review, event="review.returned", actor=actor)
        if review.submitted_by_id is not None:
            events.desk_event_announce(
                event=events.REVIEW_RETURNED,
                review_id=review.pk,
                actor_id=actor.pk,
                user_ids=[review.submitted_by_id],
            )
        return review


def review_publish(*, review_id: int, actor: AbstractBaseUser, version: int) -> Review:
    transition = _authorised("publish", actor)
    with transaction.atomic():
        review = _locked_for(transition, review_id=review_id, version=version, actor=actor)
        review.state = transition.target
        review.published_at = timezone.now()
        review.assignee = None
        review.locked_until = None
        _record(review, actor=actor, reason="published")
        review = _save(review)
        _announce(review=review, event="review.published", actor=actor)
        events.on_review_published.announce(review=review)
        return review


def review_dismiss(*, review_id: int, actor: AbstractBaseUser, version: int, reason: str) -> Review:
    """An editor takes a claim that is not worth checking off the desk."""
    transition = _authorised("dismiss", actor)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("Dismissing a claim needs a reason.")
    with transaction.atomic():
        review = _locked_for(transition, review_id=review_id, version=version, actor=actor)
        review.state = transition.target
        review.dismiss_reason = reason
        review.assignee = None
        review.locked_until = None
        _record(review, actor=actor, reason=f"dismissed: {reason[:80]}")
        return _save(review)


# Work on a review: evidence, notes, the checklist


def review_lock_for_work(
    *, review_id: int, actor: AbstractBaseUser, version: int | None, doing: str
) -> Review:
    """Inside a transaction: the review, row-locked, at the version the actor read (when given),
    open, and held by the actor (an editor may work on any open review). Refuses otherwise,
    so that a stale tab saves nothing."""
    require_reviewer(actor, doing)
    review = _locked(review_id=review_id, version=version)
    if user_is_editor(actor):
        _require_state(review, Review.OPEN_STATES, doing)
        return review
    _require_state(review, (State.IN_REVIEW,), doing)
    if review.assignee_id != actor.pk or _lock_ran_out(review):
        raise NotHolder(
            f"You do not hold this review any more, so you cannot {doing} it; nothing was "
            "saved. Take it again from the queue."
        )
    return review


def review_touch(*, review: Review, actor: AbstractBaseUser, reason: str) -> Review:
    """Records a change to a review's work (new evidence) as a new version."""
    _record(review, actor=actor, reason=reason)
    return _save(review)


def _check_listed_requirements(transition: workflow.Transition, review: Review) -> None:
    """The requirements of the table that are checked the same way wherever they are listed."""
    if workflow.CHECKLIST_DONE not in transition.requires:
        return
    missing = selectors.review_missing_required_steps(review=review)
    if missing:
        raise ValidationFailed(
            "The desk's checklist is not done: " + ", ".join(step.name for step in missing) + "."
        )


# Helpers


def _new_review(*, claim: Claim, document: Document, now: datetime, disputes: int = 0) -> Review:
    review = Review(
        claim=claim,
        cluster_id=claim.cluster_id,
        story_id=document.story_id,
        claim_type=claim.claim_type,
        outlet_key=document.outlet.casefold(),
        fingerprint=priority.claim_fingerprint(claim.text),
        priority_score=claim.score,
        priority_recency=priority.recency_part(published=_published(document), now=now),
        priority_dispute=priority.dispute_part(confirmed_disputes=disputes),
    )
    review.priority = _total(review)
    return review


def _published(document: Document) -> datetime | None:
    """When the article came out, for the recency bonus; None for an undated one, which gets
    none (it may be an old article going round again)."""
    if document.undated:
        return None
    return document.published_at or document.created_at or timezone.now()


def _total(review: Review) -> float:
    return priority.Priority(
        score=review.priority_score,
        spread=review.priority_spread,
        recency=review.priority_recency,
        boost=review.priority_boost,
        dispute=review.priority_dispute,
    ).total


def _authorised(name: str, actor: AbstractBaseUser) -> workflow.Transition:
    """The transition's entry, once the actor's role allows it (checked before any input)."""
    transition = workflow.TRANSITIONS[name]
    require = require_editor if transition.who == workflow.EDITOR else require_reviewer
    require(actor, transition.doing)
    return transition


def _locked_for(
    transition: workflow.Transition, *, review_id: int, version: int, actor: AbstractBaseUser
) -> Review:
    """The review, row-locked, at the version the actor read, in a state the transition starts
    from, and held as the transition requires (the `TAKER` rule is the assign service's own)."""
    review = _locked(review_id=review_id, version=version)
    _require_state(review, transition.sources, transition.name)
    if transition.holder == workflow.HOLDER or (
        transition.holder == workflow.HOLDER_OR_EDITOR and not user_is_editor(actor)
    ):
        _require_holder(review, actor)
    return review


def _locked(*, review_id: int, version: int | None) -> Review:
    """The review, row-locked; StaleVersion unless it is at `version` (None: work added over
    the API without a version, checked against the holder only)."""
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("assignee")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise NotFound("No such review.")
    if version is not None and version != review.version:
        raise StaleVersion(
            f"The review changed since you loaded it: you sent version {version}, it is now at "
            f"version {review.version} ({review.get_state_display().lower()}). Reload it and "
            "try again."
        )
    return review


def _require_state(review: Review, allowed: tuple[str, ...], action: str) -> None:
    if review.state not in allowed:
        names = " or ".join(State(state).label.lower() for state in allowed)
        raise InvalidTransition(
            f"Cannot {action} a review that is {review.get_state_display().lower()}; "
            f"it must be {names}."
        )


def _require_holder(review: Review, actor: AbstractBaseUser) -> None:
    if review.assignee_id != actor.pk:
        holder = _username(review.assignee)
        raise PermissionDenied(
            f"You do not hold this review ({holder} does); take it from the queue first."
            if review.assignee_id
            else "You do not hold this review; take it from the queue first."
        )


def _require_room_to_hold(assignee: AbstractBaseUser, *, besides: Review | None = None) -> None:
    """A reviewer holds at most FACTDESK_MAX_HELD_REVIEWS reviews (lapsed locks do not count).

    The assignee's user row is locked first, so that two requests for the same person take turns.
    """
    limit = settings.FACTDESK_MAX_HELD_REVIEWS
    list(get_user_model().objects.select_for_update().filter(pk=assignee.pk).values_list("pk"))
    held = Review.objects.filter(
        state=State.IN_REVIEW, assignee_id=assignee.pk, locked_until__gt=timezone.now()
    )
    if besides is not None:
        held = held.exclude(pk=besides.pk)
    if held.count() >= limit:
        who = "You hold" if besides is None else f"{assignee.get_username()} holds"
        raise HoldLimitReached(
            f"{who} {limit} reviews already, the most one reviewer may hold "
            "(FACTDESK_MAX_HELD_REVIEWS). Submit or release one first."
        )


def _has_room_to_hold(assignee: AbstractBaseUser) -> bool:
    try:
        _require_room_to_hold(assignee)
    except HoldLimitReached:
        return False
    return True


def _lock_ran_out(review: Review) -> bool:
    return review.locked_until is not None and review.locked_until <= timezone.now()


def _return_to_queue_if_lock_ran_out(review: Review) -> datetime | None:
    """When the holder's lock ran out, the review goes back to the queue; returns when it ran out."""
    if not _lock_ran_out(review):
        return None
    expired_at = review.locked_until
    holder = _username(review.assignee)
    _return_to_queue(review)
    _record(review, actor=None, reason=f"lock of {holder} expired; back in the queue")
    _save(review)
    return expired_at


def _start_review(review: Review, *, assignee: AbstractBaseUser) -> None:
    review.state = State.IN_REVIEW
    review.assignee = assignee
    review.locked_until = timezone.now() + timedelta(minutes=settings.FACTDESK_REVIEW_LOCK_MINUTES)


def _return_to_queue(review: Review) -> None:
    review.state = State.QUEUED
    review.assignee = None
    review.locked_until = None


def _record(review: Review, *, actor: AbstractBaseUser | None, reason: str) -> None:
    review._history_user = actor
    review._change_reason = reason


def _save(review: Review) -> Review:
    review.version += 1
    review.save()
    return review


def _username(user: AbstractBaseUser | None) -> str:
    return user.get_username() if user is not None else "nobody"


def _announce(*, review: Review, event: str, actor: AbstractBaseUser) -> None:
    from reviews.webhooks import webhooks_announce

    webhooks_announce(review=review, event=event, actor=actor)
