from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse

from factdesk.celery import app as celery_app


def healthz(request: HttpRequest) -> JsonResponse:
    database_ok, database_detail = _check_database()
    broker_ok, broker_detail = _check_broker()
    status = 200 if database_ok and broker_ok else 503
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "degraded",
            "database": {"ok": database_ok, "detail": database_detail},
            "broker": {"ok": broker_ok, "detail": broker_detail},
        },
        status=status,
    )


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
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "reachable"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        return False, str(error)
