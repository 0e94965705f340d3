"""Why a review desk action was refused: the shared domain errors (factdesk.errors), plus the
desk's own. The API answers them through factdesk.api_errors; the admin shows the messages."""

from factdesk.errors import (
    DomainError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)

# Every refusal of a desk action is a domain error.
ReviewError = DomainError


class LockExpired(InvalidTransition):
    """The actor held the review, but the lock ran out and the review went back to the queue."""

    code = "lock_expired"


class HoldLimitReached(InvalidTransition):
    """The reviewer already holds as many reviews as FACTDESK_MAX_HELD_REVIEWS allows."""

    code = "hold_limit_reached"


class NotHolder(InvalidTransition):
    """Work on a review (evidence, notes, a verdict) needs its holder or an editor."""

    code = "not_holder"


__all__ = [
    "HoldLimitReached",
    "InvalidTransition",
    "LockExpired",
    "NotFound",
    "NotHolder",
    "PermissionDenied",
    "ReviewError",
    "StaleVersion",
    "ValidationFailed",
]
