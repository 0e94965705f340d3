"""`/healthz`: ok or degraded, per part, for load balancers and anyone; the reasons for staff.

Driver errors name internal hosts and ports, so an anonymous caller sees only whether each part
works; a signed-in staff user also sees what failed.
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse

from factdesk.celery import app as celery_app

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    database_ok, database_detail = _check_database()
    broker_ok, broker_detail = _check_broker()
    status = 200 if database_ok and broker_ok else 503
    parts = {"database": (database_ok, database_detail), "broker": (broker_ok, broker_detail)}
    staff = database_ok and _is_staff(request)
    body: dict[str, object] = {"status": "ok" if status == 200 else "degraded"}
    for name, (ok, detail) in parts.items():
        body[name] = {"ok": ok, "status": "ok" if ok else "degraded"}
        if staff:
            body[name]["detail"] = detail
        if not ok:
            logger.warning("Health check: %s degraded: %s", name, detail)
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _is_staff(request: HttpRequest) -> bool:
    try:
        return bool(request.user.is_authenticated and request.user.is_staff)
    except Exception:  # noqa: BLE001 - no session store: treat as anonymous
        return False


def _check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, connection.vendor
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        return False, str(error)


def _check_broker() -> tuple[bool, str]:
    if not settings.CELERY_BROKER_URL:
        return True, "none configured: tasks run in-process"
    try:
        with celery_app.connection_for_write() as conn:
            # One quick retry, no back-off: /healthz must answer within a prober's timeout
            # even when the broker is down.
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
        return True, "reachable"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        return False, str(error)
