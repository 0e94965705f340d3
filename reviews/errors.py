"""Why a review desk action was refused; the API and the admin show these messages as they are."""


class ReviewError(Exception):
    """Base of every refusal of a review transition."""

    code = "review_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(ReviewError):
    """The actor's role or relation to the review does not allow the action."""

    code = "permission_denied"


class InvalidTransition(ReviewError):
    """The review's state does not allow the action."""

    code = "invalid_transition"


class LockExpired(InvalidTransition):
    """The actor held the review, but the lock ran out and the review went back to the queue."""

    code = "lock_expired"


class StaleVersion(ReviewError):
    """Someone changed the review since the actor loaded it."""

    code = "stale_version"


class ValidationFailed(ReviewError):
    """The input is incomplete or wrong."""

    code = "validation_failed"


class HoldLimitReached(InvalidTransition):
    """The reviewer already holds as many reviews as FACTDESK_MAX_HELD_REVIEWS allows."""

    code = "hold_limit_reached"


class NotHolder(InvalidTransition):
    """Work on a review (evidence, notes, a verdict) needs its holder or an editor."""

    code = "not_holder"
