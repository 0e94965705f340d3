"""FactDesk settings, read from the environment; every value has a working default (README lists them)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    return float(value) if value.strip() else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: `make run` sets DJANGO_DEBUG=1, and so does a test run (pytest sets
# PYTEST_VERSION while it runs, for the processes the tests start too).
DEBUG = env_bool("DJANGO_DEBUG", bool(os.environ.get("PYTEST_VERSION")))
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "factdesk-insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The desk's dashboard and look (its templates override the admin's, so it comes first), then
    # the Django admin with the desk's site: the dashboard as its index, open to desk members.
    "dashboard",
    "dashboard.admin_config.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "axes",
    "factdesk",
    "claims",
    "reviews",
    "alerts",
    "matching",
]

MIDDLEWARE = [
    "factdesk.middleware.RequestIdMiddleware",
    "factdesk.middleware.FailureMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Django's session, authentication and messages middleware, skipped for calls under /api/
    # that carry no session cookie (token clients): factdesk/middleware.py.
    "factdesk.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "factdesk.middleware.AuthenticationMiddleware",
    "factdesk.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: locks out repeated failed logins (admin and any login form).
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # In debug mode runserver serves static files itself.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "factdesk.urls"
WSGI_APPLICATION = "factdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "factdesk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "factdesk.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# PostgreSQL: the token lookup and the queue's pages as server-side prepared statements, planned
# once per connection (factdesk/db.py). Off by default: see docs/operations.md for what it gives.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and immediate transactions let the threaded dev server and the admin write at once
    # without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Failed logins are counted per user name and per address by django-axes: after
# FACTDESK_LOGIN_FAILURE_LIMIT failures either is locked out for FACTDESK_LOGIN_LOCKOUT_MINUTES
# (HTTP 429), whatever the password tried next. A success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("FACTDESK_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("FACTDESK_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# Behind N reverse proxies (FACTDESK_PROXY_COUNT), the client's address is the Nth from the
# right of X-Forwarded-For; with none (the default) it is the connection's address.
FACTDESK_PROXY_COUNT = env_int("FACTDESK_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "factdesk.roles.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}


def body_limit_for(max_document_chars: int) -> int:
    """The largest request body: a document of the longest length in characters of up to four
    bytes each, plus room for its other fields. A larger body is answered 413."""
    return 4 * max_document_chars + 64 * 1024


FACTDESK_MAX_DOCUMENT_CHARS = env_int("FACTDESK_MAX_DOCUMENT_CHARS", 1_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = body_limit_for(FACTDESK_MAX_DOCUMENT_CHARS)

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's token authentication, reading the user's role groups in the same query.
        "factdesk.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # A signed-in user with no role (reviewer, editor, api-client) gets nothing (factdesk/roles.py).
    "DEFAULT_PERMISSION_CLASSES": ["factdesk.roles.HasRole"],
    # Writes (POST, PUT, PATCH, DELETE) per user and per client address (factdesk/throttles.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "factdesk.throttles.WritesPerUser",
        "factdesk.throttles.WritesPerAddress",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "writes_per_user": os.environ.get("FACTDESK_WRITE_RATE_USER", "600/min"),
        "writes_per_ip": os.environ.get("FACTDESK_WRITE_RATE_IP", "1200/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON nested past a sane depth, or with NUL in a string, is a 400 (factdesk/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "factdesk.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Domain errors (factdesk.errors) answer {"error", "detail"} with their status.
    "EXCEPTION_HANDLER": "factdesk.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "FactDesk API",
    "DESCRIPTION": "Documents, claims and the review desk of FactDesk.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the pinned drf-spectacular-sidecar package: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No online validator badge (it would call validator.swagger.io).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "factdesk.schema.document_error_responses",
    ],
}

REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
# With no broker the embedded default runs every task in-process, so nothing needs a server.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("FACTDESK_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must not hold a request: connect and publish give up quickly (the
# document is stored; the sweep enqueues it when the broker is back).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# One threshold for "check-worthy" (the engine) and "queued" (the review desk). Scores are
# calibrated probabilities; the default is the committed model's threshold, chosen on the
# training file's latest debates (claims/extraction/models/checkworthiness.json; a test keeps
# the two equal).
FACTDESK_QUEUE_THRESHOLD = env_float("FACTDESK_QUEUE_THRESHOLD", 0.39)
# Re-ranker scores (0..1) above which an archived fact-check is shown on a claim, and above which
# the claim is marked "checked before" for an editor to confirm; chosen on the train queries
# (matching/ranking/models/reranker.json, docs/matching.md).
FACTDESK_MATCH_SUGGEST = env_float("FACTDESK_MATCH_SUGGEST", 0.355)
FACTDESK_MATCH_AUTO = env_float("FACTDESK_MATCH_AUTO", 0.968)
# ... and only when the two claims' MiniLM cosine is at least this: the 2nd percentile of the
# true pairs' cosine in the train queries before the speaker candidates (kept: docs/matching.md).
FACTDESK_MATCH_MIN_COSINE = env_float("FACTDESK_MATCH_MIN_COSINE", 0.37)
# From this many fact-checks on, matching takes its cosine candidates from the nearest-neighbour
# index persisted here (claims/vectorindex.py) instead of scanning every embedding.
FACTDESK_MATCH_INDEX_MIN = env_int("FACTDESK_MATCH_INDEX_MIN", 20000)
FACTDESK_MATCH_INDEX_PATH = os.environ.get(
    "FACTDESK_MATCH_INDEX_PATH", str(BASE_DIR / "var" / "matching" / "factchecks.index")
)
FACTDESK_REVIEW_LOCK_MINUTES = env_int("FACTDESK_REVIEW_LOCK_MINUTES", 30)
FACTDESK_MAX_HELD_REVIEWS = env_int("FACTDESK_MAX_HELD_REVIEWS", 3)
# "onnx-int8" (int8 MiniLM on ONNX Runtime) or "torch-fp32"; see claims/extraction/embeddings.py.
FACTDESK_EMBEDDING_BACKEND = os.environ.get("FACTDESK_EMBEDDING_BACKEND", "onnx-int8")
# Claim clusters (docs/clusters.md): a new claim is compared with the newest claims stored
# within the window, at most this many of them.
FACTDESK_CLUSTER_WINDOW_DAYS = env_int("FACTDESK_CLUSTER_WINDOW_DAYS", 30)
FACTDESK_CLUSTER_MAX_CANDIDATES = env_int("FACTDESK_CLUSTER_MAX_CANDIDATES", 20000)
# Search (claims.search): rows scored per query at most.
FACTDESK_SEARCH_CANDIDATES = env_int("FACTDESK_SEARCH_CANDIDATES", 2000)
FACTDESK_ORGANIZATION_NAME = os.environ.get("FACTDESK_ORGANIZATION_NAME", "FactDesk")
FACTDESK_ORGANIZATION_URL = os.environ.get("FACTDESK_ORGANIZATION_URL", "https://factdesk.example")
FACTDESK_PUBLIC_URL_TEMPLATE = os.environ.get(
    "FACTDESK_PUBLIC_URL_TEMPLATE", "https://factdesk.example/fact-checks/{id}"
)
FACTDESK_WEBHOOK_URLS = env_list("FACTDESK_WEBHOOK_URLS")
# Where the desk's admin is reached: the links in alert e-mails start with it.
FACTDESK_DESK_URL = os.environ.get("FACTDESK_DESK_URL", "http://127.0.0.1:8000")
# How often the alerts' digest e-mail goes out (daily by default).
FACTDESK_DIGEST_MINUTES = env_int("FACTDESK_DIGEST_MINUTES", 24 * 60)
# Ingestion: hosts allowed although they resolve to internal addresses (tests, intranets), and
# the limits every fetch runs under.
FACTDESK_FETCH_ALLOW_HOSTS = env_list("FACTDESK_FETCH_ALLOW_HOSTS")
FACTDESK_FETCH_MAX_BYTES = env_int("FACTDESK_FETCH_MAX_BYTES", 5 * 1024 * 1024)
FACTDESK_FETCH_CONNECT_TIMEOUT = env_float("FACTDESK_FETCH_CONNECT_TIMEOUT", 5.0)
FACTDESK_FETCH_TIMEOUT = env_float("FACTDESK_FETCH_TIMEOUT", 20.0)
FACTDESK_FETCH_MAX_REDIRECTS = env_int("FACTDESK_FETCH_MAX_REDIRECTS", 5)
FACTDESK_FEED_MAX_ITEMS = env_int("FACTDESK_FEED_MAX_ITEMS", 500)
# Nothing stranded: the sweep runs every FACTDESK_SWEEP_SECONDS and enqueues again a document or
# fetch still pending after FACTDESK_PENDING_SWEEP_SECONDS (broker down when it was stored), and
# one still extracting or fetching after FACTDESK_DOCUMENT_TASK_TIME_LIMIT seconds (its worker
# died: that task would have been killed by then).
FACTDESK_SWEEP_SECONDS = env_int("FACTDESK_SWEEP_SECONDS", 60)
FACTDESK_PENDING_SWEEP_SECONDS = env_int("FACTDESK_PENDING_SWEEP_SECONDS", 60)
FACTDESK_DOCUMENT_TASK_TIME_LIMIT = env_int("FACTDESK_DOCUMENT_TASK_TIME_LIMIT", 180)
# Articles about one event published within this many days of each other join one story.
FACTDESK_STORY_WINDOW_DAYS = env_int("FACTDESK_STORY_WINDOW_DAYS", 7)

# The one beat schedule (docs/review-desk.md and docs/ingestion.md list it; a test holds them
# to it). Feed polls are scheduled per source in the database (django-celery-beat).
CELERY_BEAT_SCHEDULE = {
    "reviews-release-expired-locks": {
        "task": "reviews.tasks.reviews_release_expired_locks",
        "schedule": 60.0,
    },
    "reviews-refresh-recency": {
        "task": "reviews.tasks.reviews_refresh_recency",
        "schedule": 15 * 60.0,
    },
    "ingestion-sweep": {
        "task": "claims.tasks.ingestion_sweep",
        "schedule": float(FACTDESK_SWEEP_SECONDS),
    },
    "alerts-daily-digest": {
        "task": "alerts.tasks.alerts_send_digests",
        "schedule": 60.0 * FACTDESK_DIGEST_MINUTES,
    },
}

# Alerts go out by e-mail; the console backend prints them unless a real backend is configured.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "factdesk@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "factdesk.requestid.RequestIdFilter"}},
    "formatters": {
        "with_request_id": {
            "format": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s] %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "with_request_id",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # One line per task run is noise when tasks run in-process during an ingest.
    "loggers": {"celery.app.trace": {"level": "WARNING"}},
}
