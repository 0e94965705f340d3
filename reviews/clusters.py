"""The desk's merges and splits of claim clusters, and what becomes of their reviews.

A reviewer merges two clusters the engine kept apart, or splits out a claim it joined wrongly.
Both run in one transaction with the clusters and their open reviews locked, and both are kept
in the clusters' and the reviews' history (claims.clusters does the claims' part).
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from claims.clusters import cluster_absorb, cluster_detach
from claims.models import Claim, ClaimCluster
from factdesk.roles import require_reviewer
from reviews import services
from reviews.errors import InvalidTransition, NotFound, ValidationFailed
from reviews.models import Review

State = Review.State
# How far along an open review is: a merge keeps the one furthest along.
PROGRESS = {State.QUEUED: 1, State.IN_REVIEW: 2, State.SUBMITTED: 3, State.APPROVED: 4}


def cluster_merge(*, cluster_id: int, into_id: int, actor: AbstractBaseUser) -> ClaimCluster:
    """Every claim of one cluster joins another. Where both have an open review, the one
    furthest along (the older on a tie) goes on and the other is dismissed as merged into it;
    clusters under open reviews held by two different reviewers are not merged (409)."""
    require_reviewer(actor, "merge claim clusters")
    if cluster_id == into_id:
        raise InvalidTransition("A cluster cannot be merged into itself.")
    with transaction.atomic():
        clusters = ClaimCluster.objects.select_for_update().in_bulk([cluster_id, into_id])
        for pk in (cluster_id, into_id):
            if pk not in clusters:
                raise NotFound(f"There is no cluster {pk}.")
        open_reviews = {
            review.cluster_id: review
            for review in Review.objects.select_for_update(of=("self",))
            .select_related("assignee")
            .filter(cluster_id__in=[cluster_id, into_id], state__in=Review.OPEN_STATES)
        }
        merged, kept = open_reviews.get(cluster_id), open_reviews.get(into_id)
        if merged and kept:
            _refuse_two_holders(merged, kept)
            kept, merged = sorted((merged, kept), key=lambda r: (-PROGRESS[r.state], r.pk))
            merged.state = State.DISMISSED
            merged.dismiss_reason = (
                f"merged into review {kept.pk} (cluster {cluster_id} joined {into_id})"
            )
            merged.assignee = None
            merged.locked_until = None
            _record(merged, actor, f"dismissed: merged into review {kept.pk}")
            merged.version += 1
            merged.save()
        Review.objects.filter(cluster_id=cluster_id).update(cluster_id=into_id)
        for review in Review.objects.filter(cluster_id=into_id, state__in=Review.OPEN_STATES):
            _record(review, actor, f"cluster {cluster_id} merged into this review's cluster")
            review.save()
        target = cluster_absorb(cluster=clusters[cluster_id], into=clusters[into_id], actor=actor)
        services.review_refresh_spread(cluster_ids=[into_id])
    return target


def cluster_split(*, cluster_id: int, claim_id: int, actor: AbstractBaseUser) -> ClaimCluster:
    """A claim leaves its cluster for a cluster of its own (queued if check-worthy); returns the
    new cluster. The open review stays with the cluster, showing another of its claims if it
    showed this one; a published verdict on this very claim goes with it."""
    require_reviewer(actor, "split a claim out of its cluster")
    with transaction.atomic():
        cluster = ClaimCluster.objects.select_for_update().filter(pk=cluster_id).first()
        if cluster is None:
            raise NotFound(f"There is no cluster {cluster_id}.")
        claim = Claim.objects.filter(pk=claim_id).first()
        if claim is None or claim.cluster_id != cluster_id:
            raise ValidationFailed(f"Claim {claim_id} is not in cluster {cluster_id}.")
        new = cluster_detach(claim=claim, actor=actor)
        reviews = Review.objects.select_for_update(of=("self",)).filter(cluster_id=cluster_id)
        for review in reviews:
            if review.claim_id == claim_id and review.state == State.PUBLISHED:
                review.cluster = new
                _record(review, actor, f"its claim {claim_id} split out into cluster {new.pk}")
            elif review.claim_id == claim_id:
                shown = cluster.claims.order_by("-score", "id").first()
                review.claim = shown
                _record(
                    review,
                    actor,
                    f"claim {claim_id} split out into cluster {new.pk}; now shows claim {shown.pk}",
                )
            else:
                _record(review, actor, f"claim {claim_id} split out into cluster {new.pk}")
            review.save()
        services.reviews_enqueue_claims(claims=[claim])
        services.review_refresh_spread(cluster_ids=[cluster_id, new.pk])
    return new


def _refuse_two_holders(first: Review, second: Review) -> None:
    if first.assignee_id and second.assignee_id and first.assignee_id != second.assignee_id:
        raise InvalidTransition(
            f"Cluster {first.cluster_id} is under review by {first.assignee.get_username()} "
            f"(review {first.pk}) and cluster {second.cluster_id} by "
            f"{second.assignee.get_username()} (review {second.pk}); one of them has to release "
            "it before the clusters can be merged."
        )


def _record(review: Review, actor: AbstractBaseUser, reason: str) -> None:
    review._history_user = actor
    review._change_reason = reason[:100]
