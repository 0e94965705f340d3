"""Disputes of a story: found in its claims (claims.extraction.disputes), stored, and confirmed
or dismissed by a reviewer. Finding them again changes nothing a reviewer decided."""

from collections import defaultdict
from collections.abc import Hashable

import numpy as np
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims.actors import head_nouns, story_sides
from claims.events import on_dispute_decided
from claims.extraction import disputes as detection
from claims.models import Actor, ActorAlias, Claim, Dispute, Story
from factdesk.errors import ValidationFailed
from factdesk.roles import require_reviewer

Kind, State = Dispute.Kind, Dispute.State
# Claims grouped in clusters (the matching app) are compared within their cluster too; without
# clusters, within buckets of similar embeddings alone.
_CLUSTER_FIELD = ("cluster_id",) if any(f.name == "cluster" for f in Claim._meta.fields) else ()


class DisputeChangeRefused(ValidationFailed):
    """A reviewer's decision on a dispute that cannot be made; the message says why."""


def story_disputes_find(*, story: Story) -> list[Dispute]:
    """Finds the story's disputes again and stores them: new ones are proposed, proposed ones
    follow their claims, decided ones keep their state and claims; proposed ones no longer
    found go."""
    claims = list(
        Claim.objects.filter(document__story=story)
        .select_related("actor__affiliation")
        .only(
            "id",
            "text",
            "start",
            "document_id",
            "figures",
            "dates",
            "entities",
            "embedding",
            "actor__id",
            "actor__name",
            "actor__kind",
            "actor__affiliation__id",
            "actor__affiliation__name",
            *_CLUSTER_FIELD,
        )
    )
    sides = story_sides(claim.actor for claim in claims if claim.actor_id is not None)
    found = detection.find_disputes(
        [_for_detection(claim, sides) for claim in claims], _actor_names(sides)
    )
    found = _unique_keys(found)
    with transaction.atomic():
        stored = {d.key: d for d in Dispute.objects.select_for_update().filter(story=story)}
        kept = []
        for dispute in found:
            current = stored.pop(dispute.key, None)
            kept.append(_dispute_store(story=story, found=dispute, current=current))
        Dispute.objects.filter(
            pk__in=[d.pk for d in stored.values() if d.state == State.PROPOSED]
        ).delete()
    return kept


def _for_detection(claim: Claim, sides: dict[int, Actor]) -> detection.ClaimForDisputes:
    actor = claim.actor
    by = None
    if actor is not None:
        side = sides[actor.pk]
        name = actor.name if side.pk == actor.pk else f"{actor.name} ({side.name})"
        by = detection.SideOf(actor=actor.pk, side=side.pk, name=name, side_name=side.name)
    embedding = np.frombuffer(bytes(claim.embedding), dtype=np.float32) if claim.embedding else None
    return detection.ClaimForDisputes(
        id=claim.pk,
        text=claim.text,
        by=by,
        figures=[_relative(figure, claim.start) for figure in claim.figures],
        dates=claim.dates,
        entities=[_relative(entity, claim.start) for entity in claim.entities],
        embedding=embedding,
        cluster=getattr(claim, "cluster_id", None) if _CLUSTER_FIELD else None,
        document=claim.document_id,
        start=claim.start,
    )


def _relative(item: dict, offset: int) -> dict:
    """Stored spans point into the article; detection reads them within the claim."""
    if "start" not in item:
        return item
    return item | {"start": item["start"] - offset, "end": item.get("end", 0) - offset}


def _actor_names(sides: dict[int, Actor]) -> list[detection.ActorNames]:
    """Each side with the names it goes by: its own aliases and those of its members."""
    names: dict[Hashable, set[str]] = defaultdict(set)
    for actor_id, name in ActorAlias.objects.filter(actor_id__in=sides).values_list(
        "actor_id", "name"
    ):
        names[sides[actor_id].pk].add(name)
    units = {side.pk: side for side in sides.values()}
    # "the ministry's allegations": a head noun names the story's one side that goes by it.
    heads: dict[str, set[int]] = defaultdict(set)
    for pk, side in units.items():
        for head in head_nouns(side):
            heads[head].add(pk)
    for head, owners in heads.items():
        if len(owners) == 1:
            names[next(iter(owners))].add(f"the {head}")
    return [
        detection.ActorNames(side=pk, name=side.name, aliases=tuple(sorted(names[pk])))
        for pk, side in units.items()
    ]


def _unique_keys(found: list[detection.Dispute]) -> list[detection.Dispute]:
    """Two groups about one counted thing get keys of their own, in a stable order."""
    seen: dict[str, int] = defaultdict(int)
    unique = []
    for dispute in sorted(found, key=lambda d: (d.key, min(d.claims))):
        seen[dispute.key] += 1
        key = dispute.key if seen[dispute.key] == 1 else f"{dispute.key}#{seen[dispute.key]}"
        unique.append(
            detection.Dispute(dispute.kind, dispute.claims, dispute.detail, key=key[:300])
        )
    return unique


def _dispute_store(*, story: Story, found: detection.Dispute, current: Dispute | None) -> Dispute:
    if current is None:
        dispute = Dispute(story=story, kind=found.kind, key=found.key, detail=found.detail)
        dispute._change_reason = "found in the story's claims"
        dispute.save()
        dispute.claims.set(found.claims)
        return dispute
    if current.state == State.PROPOSED and (
        current.detail != found.detail
        or set(current.claims.values_list("id", flat=True)) != set(found.claims)
    ):
        current.detail = found.detail
        current._change_reason = "its claims changed"
        current.save(update_fields=["detail", "updated_at"])
        current.claims.set(found.claims)
    return current


def dispute_confirm(*, dispute: Dispute, by: AbstractBaseUser) -> Dispute:
    """A reviewer agrees the claims disagree: the dispute shows on each claim's review."""
    return _dispute_decide(dispute=dispute, by=by, state=State.CONFIRMED, doing="confirm")


def dispute_dismiss(*, dispute: Dispute, by: AbstractBaseUser) -> Dispute:
    """A reviewer finds no disagreement; finding the disputes again does not bring it back."""
    return _dispute_decide(dispute=dispute, by=by, state=State.DISMISSED, doing="dismiss")


def _dispute_decide(*, dispute: Dispute, by: AbstractBaseUser, state: str, doing: str) -> Dispute:
    require_reviewer(by, f"{doing} a dispute")
    with transaction.atomic():
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if dispute.state == state:
            raise DisputeChangeRefused(
                f"The dispute is already {dispute.get_state_display().lower()}."
            )
        dispute.state = state
        dispute.decided_by = by
        dispute.decided_at = timezone.now()
        dispute._history_user = by
        dispute._change_reason = f"{State(state).label.lower()} by {by.get_username()}"
        dispute.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
        on_dispute_decided.announce(claim_ids=list(dispute.claims.values_list("id", flat=True)))
    return dispute
