"""Writes of the review workspace besides the transitions: evidence, notes with mentions,
tags and the checklist. Each needs the review held by the actor (or an editor) at the version
the actor read, under the row lock (reviews.services.review_lock_for_work)."""

import re

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from claims.models import Claim
from factdesk.roles import require_reviewer, user_is_editor
from reviews import events, selectors
from reviews.errors import NotHolder, ValidationFailed
from reviews.models import (
    ChecklistMark,
    ChecklistStep,
    EvidenceLink,
    Review,
    ReviewNote,
    ReviewTag,
    Tag,
)
from reviews.services import evidence_add, review_lock_for_work, review_touch

MAX_NOTE_CHARS = 5000
MAX_TAGS = 12
_MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")
_TAG_NAME = re.compile(r"^[\w][\w -]{0,58}[\w]$|^\w$")


def review_evidence_add(
    *,
    review_id: int,
    actor: AbstractBaseUser,
    version: int | None,
    url: str = "",
    document=None,
    excerpt: str = "",
    stance: str = EvidenceLink.Stance.CONTEXT,
    note: str = "",
) -> EvidenceLink:
    """Evidence for the review's claim; a new version of the review."""
    with transaction.atomic():
        review = review_lock_for_work(
            review_id=review_id, actor=actor, version=version, doing="add evidence to"
        )
        link = evidence_add(
            claim=review.claim,
            added_by=actor,
            url=url,
            document=document,
            excerpt=excerpt,
            stance=stance,
            note=note,
        )
        review_touch(review=review, actor=actor, reason=f"evidence added ({stance})")
    return link


def claim_evidence_add(
    *, claim: Claim, actor: AbstractBaseUser, version: int | None = None, **fields
) -> EvidenceLink:
    """Evidence for a claim over the API: on the claim's open review, by its holder or an
    editor (at `version`, when given); on a claim not on the desk, by an editor only."""
    require_reviewer(actor, "add evidence to a claim")
    review_id = (
        Review.objects.filter(claim=claim, state__in=Review.OPEN_STATES)
        .values_list("pk", flat=True)
        .first()
    )
    if review_id is not None:
        return review_evidence_add(review_id=review_id, actor=actor, version=version, **fields)
    if not user_is_editor(actor):
        raise NotHolder(
            "This claim is not on the desk, so only an editor can add evidence to it; "
            "nothing was saved."
        )
    return evidence_add(claim=claim, added_by=actor, **fields)


def review_note_add(
    *, review_id: int, actor: AbstractBaseUser, version: int | None, body: str
) -> ReviewNote:
    """A note in the review's thread; @username mentions of desk members notify them."""
    body = body.strip()
    if not body:
        raise ValidationFailed("A note needs some text.")
    if len(body) > MAX_NOTE_CHARS:
        raise ValidationFailed(f"A note is at most {MAX_NOTE_CHARS} characters.")
    with transaction.atomic():
        review = review_lock_for_work(
            review_id=review_id, actor=actor, version=version, doing="add a note to"
        )
        note = ReviewNote.objects.create(review=review, author=actor, body=body)
        named = {name.rstrip(".").lower() for name in _MENTION.findall(body)}
        mentioned = [
            user
            for user in selectors.desk_members()
            if user.get_username().lower() in named and user.pk != actor.pk
        ]
        note.mentions.set(mentioned)
        if mentioned:
            events.desk_event_announce(
                event=events.NOTE_MENTIONED,
                review_id=review.pk,
                actor_id=actor.pk,
                user_ids=[user.pk for user in mentioned],
            )
    return note


def review_checklist_mark(
    *, review_id: int, actor: AbstractBaseUser, version: int | None, step_id: int, done: bool
) -> None:
    """Marks a step of the desk's checklist done (or not done) on a review."""
    step = ChecklistStep.objects.filter(pk=step_id, active=True).first()
    if step is None:
        raise ValidationFailed(f"There is no checklist step {step_id}.")
    with transaction.atomic():
        review = review_lock_for_work(
            review_id=review_id, actor=actor, version=version, doing="tick the checklist of"
        )
        if done:
            ChecklistMark.objects.get_or_create(
                review=review, step=step, defaults={"done_by": actor}
            )
        else:
            ChecklistMark.objects.filter(review=review, step=step).delete()


def review_tags_set(
    *, review_id: int, actor: AbstractBaseUser, version: int | None, names: list[str]
) -> list[Tag]:
    """The review's tags become `names` (new tags are created, lower-cased)."""
    cleaned = sorted({" ".join(name.split()).lower() for name in names if name.strip()})
    if len(cleaned) > MAX_TAGS:
        raise ValidationFailed(f"A review has at most {MAX_TAGS} tags.")
    for name in cleaned:
        if not _TAG_NAME.match(name):
            raise ValidationFailed(
                f"{name!r} is not a tag: letters, digits, spaces and hyphens, up to 60."
            )
    with transaction.atomic():
        review = review_lock_for_work(
            review_id=review_id, actor=actor, version=version, doing="tag"
        )
        tags = [Tag.objects.get_or_create(name=name)[0] for name in cleaned]
        ReviewTag.objects.filter(review=review).exclude(tag__in=tags).delete()
        kept = set(ReviewTag.objects.filter(review=review).values_list("tag_id", flat=True))
        ReviewTag.objects.bulk_create(
            [
                ReviewTag(review=review, tag=tag, added_by=actor)
                for tag in tags
                if tag.pk not in kept
            ]
        )
    return tags
