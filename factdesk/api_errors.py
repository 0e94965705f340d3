"""The API's one exception handler (settings REST_FRAMEWORK["EXCEPTION_HANDLER"]).

A domain error raised anywhere below a view answers with its status and
`{"error": code, "detail": message}`; views never map errors themselves. The database or the
broker down is a 503 with Retry-After, a value out of the database's range a 400, and anything
else unexpected a JSON 500 that is logged with the request id (factdesk/middleware.py does the
same for what is not a DRF view, and adds the request id to every error body).
"""

import logging

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from factdesk.errors import DomainError
from factdesk.middleware import error_response, failure_response

logger = logging.getLogger("factdesk.errors")


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        return Response({"error": exc.code, "detail": exc.message}, status=exc.status)
    handled = drf_exception_handler(exc, context)
    if handled is not None:
        return handled
    request = context["request"]._request
    failed = failure_response(request, exc)
    if failed is not None:
        return failed
    logger.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(request, 500, "Internal error; quote the request id when you report it.")
