"""The transitions table is the one place the workflow is declared: the services, the API
routes, the admin panel and the bulk actions all follow it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import services, workflow
from reviews.admin import ReviewAdmin, _desk_actions
from reviews.errors import InvalidTransition
from reviews.models import Review
from reviews.tests.factories import EvidenceLinkFactory, ReviewFactory

State = Review.State
INPUT_VALUES = {
    "assignee": None,
    "rating_id": None,  # filled with a real rating
    "summary": "A summary.",
    "comment": "A comment.",
    "reason": "A reason.",
    "boost": 1.0,
}


def inputs_for(transition: workflow.Transition, rating) -> dict:
    values = {**INPUT_VALUES, "rating_id": rating.pk}
    return {needed.kwarg: values[needed.kwarg] for needed in transition.needs()}


def test_every_transition_has_its_service_route_and_admin_entries():
    bulk = set(ReviewAdmin.actions)
    for transition in workflow.TRANSITIONS.values():
        assert callable(getattr(services, transition.service_name))
        assert reverse(f"review-{transition.name}", args=[1]) == (
            f"/api/v1/reviews/1/{transition.name}/"
        )
        assert (f"{transition.name}_selected" in bulk) == bool(transition.bulk_label)
        assert set(transition.inputs) <= set(workflow.INPUTS)
        assert set(transition.sources) <= set(State.values)


@pytest.mark.parametrize(
    ("name", "state"),
    [
        (t.name, state)
        for t in workflow.TRANSITIONS.values()
        for state in State.values
        if state not in t.sources
    ],
)
def test_services_refuse_every_state_the_table_does_not_start_from(name, state, editor, rating):
    transition = workflow.TRANSITIONS[name]
    review = ReviewFactory(state=state, assignee=editor if state == State.IN_REVIEW else None)
    service = getattr(services, transition.service_name)

    with pytest.raises(InvalidTransition, match=f"Cannot {name} a review that is"):
        service(review_id=review.pk, actor=editor, version=1, **inputs_for(transition, rating))

    review.refresh_from_db()
    assert (review.state, review.version) == (state, 1)


def test_each_transition_leads_to_the_state_the_table_names(
    reviewer, editor, second_editor, rating
):
    review = ReviewFactory()
    EvidenceLinkFactory(claim=review.claim)
    path = [
        ("assign", reviewer),
        ("release", reviewer),
        ("assign", reviewer),
        ("submit", reviewer),
        ("return", editor),
        ("submit", reviewer),
        ("approve", editor),
        ("boost", editor),
        ("publish", second_editor),
    ]
    seen = set()
    for name, actor in path:
        transition = workflow.TRANSITIONS[name]
        before = review.state
        review = getattr(services, transition.service_name)(
            review_id=review.pk,
            actor=actor,
            version=review.version,
            **inputs_for(transition, rating),
        )
        assert review.state == (transition.target or before), name
        seen.add(name)
    other = ReviewFactory()
    dismissed = services.review_dismiss(
        review_id=other.pk, actor=editor, version=1, reason="Not checkable."
    )
    assert dismissed.state == workflow.TRANSITIONS["dismiss"].target
    assert seen | {"dismiss"} == set(workflow.TRANSITIONS)


@pytest.mark.parametrize(
    ("state", "is_editor", "holds", "expected"),
    [
        (State.QUEUED, False, False, ["assign"]),
        (State.QUEUED, True, False, ["assign", "dismiss"]),
        (State.IN_REVIEW, False, True, ["release", "evidence", "submit"]),
        (State.IN_REVIEW, False, False, []),
        (State.IN_REVIEW, True, False, ["assign", "release", "dismiss"]),
        (State.IN_REVIEW, True, True, ["release", "evidence", "submit", "dismiss"]),
        (State.SUBMITTED, False, False, []),
        (State.SUBMITTED, True, False, ["approve", "return", "dismiss"]),
        (State.APPROVED, True, False, ["return", "publish", "dismiss"]),
        (State.PUBLISHED, True, False, []),
        (State.DISMISSED, True, False, []),
    ],
)
def test_the_admin_panel_offers_what_the_table_allows(state, is_editor, holds, expected):
    review = Review(state=state, locked_until=timezone.now())
    assert _desk_actions(review, is_editor=is_editor, holds=holds) == expected
