"""The API's one exception handler (settings REST_FRAMEWORK["EXCEPTION_HANDLER"]).

A domain error raised anywhere below a view answers with its status and
`{"error": code, "detail": message}`; views never map errors themselves. Everything else is
DRF's default handling.
"""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from factdesk.errors import DomainError


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        return Response({"error": exc.code, "detail": exc.message}, status=exc.status)
    return drf_exception_handler(exc, context)
