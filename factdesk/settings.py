"""FactDesk settings, read from the environment; every value has a working default (README lists them)."""

import os
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


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "factdesk-insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "claims",
    "reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

if not DEBUG:
    # In debug mode runserver serves static files itself.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

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

# Documents can be up to FACTDESK_MAX_DOCUMENT_CHARS characters of up to four bytes each.
FACTDESK_MAX_DOCUMENT_CHARS = env_int("FACTDESK_MAX_DOCUMENT_CHARS", 1_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * FACTDESK_MAX_DOCUMENT_CHARS + 64 * 1024

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
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Domain errors (factdesk.errors) answer {"error", "detail"} with their status.
    "EXCEPTION_HANDLER": "factdesk.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "FactDesk API",
    "DESCRIPTION": "Documents, claims and the review desk of FactDesk.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
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
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

FACTDESK_QUEUE_THRESHOLD = env_float("FACTDESK_QUEUE_THRESHOLD", 0.5)
FACTDESK_REVIEW_LOCK_MINUTES = env_int("FACTDESK_REVIEW_LOCK_MINUTES", 30)
FACTDESK_ORGANIZATION_NAME = os.environ.get("FACTDESK_ORGANIZATION_NAME", "FactDesk")
FACTDESK_ORGANIZATION_URL = os.environ.get("FACTDESK_ORGANIZATION_URL", "https://factdesk.example")
FACTDESK_PUBLIC_URL_TEMPLATE = os.environ.get(
    "FACTDESK_PUBLIC_URL_TEMPLATE", "https://factdesk.example/fact-checks/{id}"
)
FACTDESK_WEBHOOK_URLS = env_list("FACTDESK_WEBHOOK_URLS")
# Ingestion: hosts allowed although they resolve to internal addresses (tests, intranets), and
# the limits every fetch runs under.
FACTDESK_FETCH_ALLOW_HOSTS = env_list("FACTDESK_FETCH_ALLOW_HOSTS")
FACTDESK_FETCH_MAX_BYTES = env_int("FACTDESK_FETCH_MAX_BYTES", 5 * 1024 * 1024)
FACTDESK_FETCH_CONNECT_TIMEOUT = env_float("FACTDESK_FETCH_CONNECT_TIMEOUT", 5.0)
FACTDESK_FETCH_TIMEOUT = env_float("FACTDESK_FETCH_TIMEOUT", 20.0)
FACTDESK_FETCH_MAX_REDIRECTS = env_int("FACTDESK_FETCH_MAX_REDIRECTS", 5)
FACTDESK_FEED_MAX_ITEMS = env_int("FACTDESK_FEED_MAX_ITEMS", 500)
FACTDESK_PENDING_SWEEP_MINUTES = env_int("FACTDESK_PENDING_SWEEP_MINUTES", 15)
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
        "schedule": 60.0 * FACTDESK_PENDING_SWEEP_MINUTES,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # One line per task run is noise when tasks run in-process during an ingest.
    "loggers": {"celery.app.trace": {"level": "WARNING"}},
}
