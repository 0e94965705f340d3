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


__all__ = [
    "InvalidTransition",
    "LockExpired",
    "NotFound",
    "PermissionDenied",
    "ReviewError",
    "StaleVersion",
    "ValidationFailed",
]
