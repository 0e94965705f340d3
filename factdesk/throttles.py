"""Writes are throttled per user and per client address (reads are not): a runaway script or a
stolen token cannot flood the desk. Rates: FACTDESK_WRITE_RATE_USER, FACTDESK_WRITE_RATE_IP.
Counts live in the default cache, so per process (each gunicorn worker counts its own)."""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from factdesk.roles import client_ip


class _WriteThrottle(SimpleRateThrottle):
    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class WritesPerUser(_WriteThrottle):
    scope = "writes_per_user"

    def get_cache_key(self, request, view) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None  # anonymous writes are refused anyway; the address throttle counts them
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class WritesPerAddress(_WriteThrottle):
    scope = "writes_per_ip"

    def get_cache_key(self, request, view) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request)}
