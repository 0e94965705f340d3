"""Domain errors: why a service refused. Services raise them; the API answers each with its
HTTP status and `{"error": code, "detail": message}` (factdesk.api_errors), the admin shows the
message as it is."""


class DomainError(Exception):
    """Base of every refusal a service explains to its caller."""

    code = "error"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    """The input is incomplete or wrong."""

    code = "validation_failed"
    status = 400


class PermissionDenied(DomainError):
    """The actor's role or relation to the object does not allow the action."""

    code = "permission_denied"
    status = 403


class NotFound(DomainError):
    """The object acted on does not exist."""

    code = "not_found"
    status = 404


class InvalidTransition(DomainError):
    """The object's state does not allow the action."""

    code = "invalid_transition"
    status = 409


class StaleVersion(DomainError):
    """Someone changed the object since the actor loaded it."""

    code = "stale_version"
    status = 409
