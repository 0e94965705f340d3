"""One id per request: taken from a sane `X-Request-ID` or made up, logged on every line the
request causes, sent back in the `X-Request-ID` header and in every error body."""

import contextvars
import logging
import re
import uuid

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
HEADER = "X-Request-ID"


def current_request_id() -> str:
    return _current.get()


def new_request_id(offered: str | None) -> str:
    return offered if offered and _SANE.match(offered) else uuid.uuid4().hex


def bind(request_id: str) -> contextvars.Token:
    return _current.set(request_id)


def unbind(token: contextvars.Token) -> None:
    _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (`-` outside a request, e.g. in the worker)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True
