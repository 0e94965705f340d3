"""Clean failures: a request id on every request, and under /api/ an answer in JSON whatever
went wrong.

- A body over `DATA_UPLOAD_MAX_MEMORY_SIZE` is 413 before it is read into memory.
- A NUL character in the query string is 400 (PostgreSQL refuses NUL in text: it was a 500).
- The database or the broker down is 503 with `Retry-After`, in JSON under /api/.
- Anything else that escapes a view under /api/ is a JSON 500, logged with the request id;
  an HTML error page from Django under /api/ (404 of an unknown path, 400, 500) becomes JSON.
"""

import json
import logging

from django.conf import settings
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.exceptions import RequestDataTooBig
from django.db import DataError, InterfaceError
from django.db import OperationalError as DatabaseOperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from factdesk import requestid

logger = logging.getLogger("factdesk.errors")

RETRY_AFTER_SECONDS = 30
DRAIN_LIMIT = 64 * 1024 * 1024
DATABASE_DOWN = (DatabaseOperationalError, InterfaceError)
BROKER_DOWN = (BrokerOperationalError, RedisConnectionError)
ERROR_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "request_too_large",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
    503: "unavailable",
}


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_response(
    request: HttpRequest, status: int, detail: str, *, error: str | None = None, **headers: str
) -> HttpResponse:
    """`{"error", "detail", "request_id"}` under /api/ (and for /healthz), plain text elsewhere."""
    request_id = getattr(request, "request_id", requestid.current_request_id())
    if is_api(request) or request.path == "/healthz":
        response: HttpResponse = JsonResponse(
            {
                "error": error or ERROR_CODES.get(status, "error"),
                "detail": detail,
                "request_id": request_id,
            },
            status=status,
        )
    else:
        response = HttpResponse(
            f"{detail}\n(request id {request_id})\n",
            status=status,
            content_type="text/plain; charset=utf-8",
        )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def failure_response(request: HttpRequest, exception: BaseException) -> HttpResponse | None:
    """The answer to a failure that is not the caller's or the code's fault, or None."""
    if isinstance(exception, RequestDataTooBig):
        return _too_large(request)
    if isinstance(exception, (DataError, OverflowError)):
        # A number past the database's range (page=9223372036854775808, an id of 30 digits).
        return error_response(request, 400, "A value in the request is out of range.")
    if isinstance(exception, DATABASE_DOWN):
        logger.error("Database unavailable: %s", exception)
        return error_response(
            request,
            503,
            "The database is unavailable; try again shortly.",
            Retry_After=str(RETRY_AFTER_SECONDS),
        )
    if isinstance(exception, BROKER_DOWN):
        logger.error("Broker unavailable: %s", exception)
        return error_response(
            request,
            503,
            "The task broker is unavailable; try again shortly.",
            Retry_After=str(RETRY_AFTER_SECONDS),
        )
    return None


def _too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(
        request,
        413,
        f"The request body is larger than the {limit:,} byte limit "
        f"(documents hold up to {settings.FACTDESK_MAX_DOCUMENT_CHARS:,} characters).",
    )


class RequestIdMiddleware:
    """Outermost: binds the id for the logs while the request runs and returns it in a header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = requestid.new_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        # Bound until the next request on this thread, so that Django's own log line for the
        # answer, written after the middleware returns, carries it too.
        requestid.bind(request.request_id)
        response = self.get_response(request)
        response[requestid.HEADER] = request.request_id
        return response


class FailureMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._refuse_early(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if is_api(request) and response.status_code >= 400 and not response.streaming:
            response = self._as_json(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        failed = failure_response(request, exception)
        if failed is not None:
            return failed
        if is_api(request):
            logger.exception("Unhandled error on %s %s", request.method, request.path)
            return error_response(
                request, 500, "Internal error; quote the request id when you report it."
            )
        return None

    def _refuse_early(self, request: HttpRequest) -> HttpResponse | None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(request, 400, "Invalid Content-Length.")
        content_type = request.META.get("CONTENT_TYPE", "")
        if limit is not None and length > limit and not content_type.startswith("multipart/"):
            self._drain(request, length)
            return _too_large(request)
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return error_response(request, 400, "The query string contains a NUL character.")
        return None

    @staticmethod
    def _drain(request: HttpRequest, length: int) -> None:
        """Reads and drops a refused body (up to a bound) so the client sees the 413 rather
        than a connection reset while it is still sending."""
        stream = request.META.get("wsgi.input")
        if stream is None or length > DRAIN_LIMIT:
            return
        left = length
        try:
            while left > 0:
                chunk = stream.read(min(left, 1024 * 1024))
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:
            pass

    @staticmethod
    def _as_json(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        content_type = response.get("Content-Type", "")
        if "json" not in content_type:
            detail = ERROR_CODES.get(response.status_code, "error").replace("_", " ")
            replaced = error_response(request, response.status_code, detail.capitalize() + ".")
            for name in ("Retry-After", "Allow", "WWW-Authenticate"):
                if name in response:
                    replaced[name] = response[name]
            return replaced
        try:
            body = json.loads(response.content)
        except ValueError:
            return response
        if isinstance(body, dict) and not {"error", "detail", "request_id"} <= set(body):
            # Field errors keep their fields; every error body also says what and which request.
            body.setdefault("error", ERROR_CODES.get(response.status_code, "error"))
            body.setdefault("detail", "Invalid input: see the fields named.")
            body.setdefault("request_id", getattr(request, "request_id", "-"))
            response.content = json.dumps(body).encode()
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


# The browser's session stack, skipped for a token-authenticated API call: a request under /api/
# that carries no session cookie has no session to load, no signed-in user to find from one and
# no flash messages, so the session, authentication and messages middleware do nothing useful
# for it (DRF authenticates it by its token). With a session cookie, or anywhere else, they run
# as Django's own. CSRF, security headers, the request id and everything else run as before.


def sessionless_api_call(request: HttpRequest) -> bool:
    flag = getattr(request, "_factdesk_sessionless", None)
    if flag is None:
        flag = is_api(request) and settings.SESSION_COOKIE_NAME not in request.COOKIES
        request._factdesk_sessionless = flag
    return flag


class SessionMiddleware(DjangoSessionMiddleware):
    def __call__(self, request: HttpRequest) -> HttpResponse:
        if sessionless_api_call(request):
            return self.get_response(request)
        return super().__call__(request)


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    def __call__(self, request: HttpRequest) -> HttpResponse:
        if sessionless_api_call(request):
            # DRF replaces it with the token's user once it authenticates the call.
            request.user = AnonymousUser()
            return self.get_response(request)
        return super().__call__(request)


class MessageMiddleware(DjangoMessageMiddleware):
    def __call__(self, request: HttpRequest) -> HttpResponse:
        if sessionless_api_call(request):
            return self.get_response(request)
        return super().__call__(request)
