"""The review workflow, declared once.

`TRANSITIONS` is the one table of what can happen to a review: its name, the states it starts
from, the state it leads to, who may do it, what the caller sends and what else it requires.
From it

- the services (`reviews.services.review_<name>`) check the role, the state and the holder,
- the API builds its routes `POST /api/v1/reviews/{id}/<name>/` and their request bodies,
- the admin builds the review page's action panel and the changelist's bulk actions.

Adding a transition is one entry here and one service function `review_<name>(*, review_id,
actor, version, **inputs)` that starts with `_authorised(...)` and `_locked_for(...)`.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from reviews.models import Review

State = Review.State

# Roles (factdesk.roles): who may ask for a transition at all, checked before anything else.
REVIEWER = "reviewer"  # any desk member (reviewers and editors)
EDITOR = "editor"

# How the actor must stand to the review's holder (the assignee of a review in review).
ANYONE = "anyone"
HOLDER = "holder"  # only the holder
HOLDER_OR_EDITOR = "holder or editor"
# A review nobody holds, or (for an editor) one somebody else holds. The service also lets a
# reviewer take a held review whose lock ran out.
TAKER = "taker"


@dataclass(frozen=True)
class Input:
    """Something a transition needs from its caller besides the review's `version`."""

    kwarg: str  # the service's keyword argument
    api_field: str  # the field of the API's request body
    admin_field: str  # the field of the admin's panel and bulk action form
    optional: bool = False


INPUTS = {
    "assignee": Input("assignee", "assignee", "assignee", optional=True),
    "rating": Input("rating_id", "rating", "rating"),
    "summary": Input("summary", "summary", "summary"),
    "comment": Input("comment", "comment", "note"),
    "reason": Input("reason", "reason", "note"),
    "boost": Input("boost", "boost", "boost"),
}


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str | None  # None: the state stays
    who: str  # REVIEWER or EDITOR
    doing: str  # completes "Only an editor can ..." in the refusal
    holder: str = ANYONE
    inputs: tuple[str, ...] = ()  # keys of INPUTS
    requires: tuple[str, ...] = ()  # what else the service checks, in words
    button: str = ""  # the admin panel's button; empty: not on the panel
    bulk_label: str = ""  # the admin changelist's action; empty: not a bulk action
    bulk_verb: str = ""  # "Approved 3 review(s)."
    done: str = ""  # the admin's message after it

    @property
    def service_name(self) -> str:
        return f"review_{self.name}"

    def needs(self) -> Iterator[Input]:
        return (INPUTS[name] for name in self.inputs)


OPEN = tuple(Review.OPEN_STATES)

# Requirements the services check wherever a transition lists them.
CHECKLIST_DONE = "the desk's required checklist steps are done (reviews.ChecklistStep.required)"
ROOM_TO_HOLD = "the assignee holds fewer than FACTDESK_MAX_HELD_REVIEWS reviews"

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            name="assign",
            sources=(State.QUEUED, State.IN_REVIEW),
            target=State.IN_REVIEW,
            who=REVIEWER,
            holder=TAKER,
            doing="take a review",
            inputs=("assignee",),
            requires=(
                "assigning to someone else: an editor, and the assignee is a reviewer",
                "taking over a held review: an editor, or the holder's lock ran out",
                ROOM_TO_HOLD,
            ),
            button="Take this review",
            bulk_label="Assign (to me, or to the person chosen)",
            bulk_verb="Assigned",
            done="You hold this review now.",
        ),
        Transition(
            name="release",
            sources=(State.IN_REVIEW,),
            target=State.QUEUED,
            who=REVIEWER,
            holder=HOLDER_OR_EDITOR,
            doing="release a review",
            button="Release to the queue",
            bulk_label="Release to the queue",
            bulk_verb="Released",
            done="The review is back in the queue.",
        ),
        Transition(
            name="submit",
            sources=(State.IN_REVIEW,),
            target=State.SUBMITTED,
            who=REVIEWER,
            holder=HOLDER,
            doing="submit a verdict",
            inputs=("rating", "summary"),
            requires=(
                "a summary and an existing rating",
                "at least one evidence link on the claim",
                "the holder's lock has not run out (else the review goes back to the queue)",
                CHECKLIST_DONE,
            ),
            button="Submit for sign-off",
            done="Verdict submitted for sign-off.",
        ),
        Transition(
            name="approve",
            sources=(State.SUBMITTED,),
            target=State.APPROVED,
            who=EDITOR,
            doing="approve a verdict",
            requires=("four eyes: not the editor who submitted it", CHECKLIST_DONE),
            button="Approve",
            bulk_label="Approve (four eyes)",
            bulk_verb="Approved",
            done="Verdict approved.",
        ),
        Transition(
            name="return",
            sources=(State.SUBMITTED, State.APPROVED),
            target=State.IN_REVIEW,
            who=EDITOR,
            doing="return a verdict",
            inputs=("comment",),
            requires=(
                "a comment",
                "back to the reviewer who submitted it; to the queue when nobody did, or when "
                "they already hold FACTDESK_MAX_HELD_REVIEWS reviews",
            ),
            button="Return to the reviewer",
            bulk_label="Return to the reviewer (give a comment)",
            bulk_verb="Returned",
            done="Returned to the reviewer.",
        ),
        Transition(
            name="publish",
            sources=(State.APPROVED,),
            target=State.PUBLISHED,
            who=EDITOR,
            doing="publish a verdict",
            requires=("the verdict covers every appearance of the claim's cluster",),
            button="Publish",
            bulk_label="Publish",
            bulk_verb="Published",
            done="Verdict published.",
        ),
        Transition(
            name="dismiss",
            sources=OPEN,
            target=State.DISMISSED,
            who=EDITOR,
            doing="dismiss a claim",
            inputs=("reason",),
            requires=("a reason",),
            button="Dismiss the claim",
            bulk_label="Dismiss (give a reason)",
            bulk_verb="Dismissed",
            done="Claim dismissed.",
        ),
        Transition(
            name="boost",
            sources=OPEN,
            target=None,
            who=EDITOR,
            doing="boost a review",
            inputs=("boost",),
            requires=("a boost from -10 to 10",),
        ),
    ]
}


def offered(transition: Transition, *, state: str, is_editor: bool, holds: bool) -> bool:
    """Whether a screen offers the transition to this viewer (the service still decides)."""
    if state not in transition.sources:
        return False
    if transition.who == EDITOR and not is_editor:
        return False
    held = state == State.IN_REVIEW
    if transition.holder == HOLDER:
        return holds
    if transition.holder == HOLDER_OR_EDITOR:
        return holds or is_editor
    if transition.holder == TAKER:
        return not held or (is_editor and not holds)
    return True
