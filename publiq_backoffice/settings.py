"""One settings module for every environment, read from the environment.

With nothing set it runs for development: the PostgreSQL cluster `make run` starts, a file-system
Celery broker and e-mail written to files, all under var/. Production sets DEBUG=false and real
services (see README.md).
"""

import datetime
import ipaddress
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from publiq_backoffice.env import REQUIRED, Env, cache_config

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.string("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.boolean("DEBUG", True)

if DEBUG:
    SECRET_KEY = env.string("SECRET_KEY", "development-only-secret-key-" + "0123456789" * 4)
else:
    SECRET_KEY = env.string("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY must be at least 50 random characters when DEBUG is off."
        )

ALLOWED_HOSTS = env.string_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else REQUIRED
)
CSRF_TRUSTED_ORIGINS = env.origin_list("CSRF_TRUSTED_ORIGINS", [])
# Public address used in links that leave the site (survey e-mails).
SITE_URL = env.url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https")).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_tables2",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "core",
    "events",
    "curation",
    "family",
    "museumpas",
    "surveys",
    "dashboards",
    "uitpas",
    "channels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.AdminInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves its collected static files itself; development and tests use
    # runserver's and the live server's own static handling (and Django's default STORAGES).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

ROOT_URLCONF = "publiq_backoffice.urls"
WSGI_APPLICATION = "publiq_backoffice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# Development: the cluster `make run` keeps in var/postgres (scripts/services.py dev).
DEV_POSTGRES_PORT = env.integer("DEV_POSTGRES_PORT", 54329, minimum=1, maximum=65535)
DATABASES = {
    "default": env.database(
        "DATABASE_URL",
        f"postgres://postgres@127.0.0.1:{DEV_POSTGRES_PORT}/backoffice" if DEBUG else REQUIRED,
    )
}
# No JIT compilation: it costs about a second per query whose estimate passes jit_above_cost
# (a channel's months, a UiTPAS period on a handful of rows) and saved nothing measurable on
# the largest (a UiTPAS custom range over 500,000 holders, docs/benchmarks.md).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_config(env.string("CACHE_URL", None), str(VAR_DIR / "cache"))}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): a user name and address pair is locked after repeated
# failures, so neither a guessed password nor a shared office address locks everyone out.
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env.integer("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.integer("PROXY_COUNT", 0, minimum=0)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.timezone("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# E-mail: SMTP when EMAIL_HOST is set, otherwise one file per message under var/mail/.
EMAIL_HOST = env.string("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.integer("EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env.string("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env.boolean("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
    EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 20, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "museumpas <no-reply@museumpas.be>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. The broker's visibility timeout must exceed every task's hard time limit, or Redis
# hands a still-running task to a second worker (Celery issues #2599, #3270, #4400); a test
# checks it (tests/core/test_celery.py).
CELERY_BROKER_URL = env.url(
    "CELERY_BROKER_URL",
    "filesystem://localhost/",
    schemes=("filesystem", "redis", "rediss", "memory"),
)
CELERY_BROKER_VISIBILITY_TIMEOUT = 3600
if CELERY_BROKER_URL.startswith("filesystem"):
    _celery_folder = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_folder / "queue"),
        "data_folder_out": str(_celery_folder / "queue"),
        "processed_folder": str(_celery_folder / "processed"),
        "control_folder": str(_celery_folder / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND = env.string("CELERY_RESULT_BACKEND", None)
CELERY_TIMEZONE = TIME_ZONE
# JSON only, and acknowledged on receipt (Celery's defaults): only tasks declared idempotent
# opt in to acks_late.
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Museumpas (museumpas app). Dates from outside (CSV imports, the visits API) before this day
# are refused: the Museumpas started in 2018. The later bounds are in museumpas/validators.py.
try:
    MUSEUMPAS_EARLIEST_DATE = datetime.date.fromisoformat(
        env.string("MUSEUMPAS_EARLIEST_DATE", "2018-01-01")
    )
except ValueError:
    raise ImproperlyConfigured("MUSEUMPAS_EARLIEST_DATE is not a date like 2018-01-01.") from None

# Surveys (surveys app): sending through Celery, retries, the sweep, the public pages' limits.
SURVEYS_SEND_CHUNK_SIZE = env.integer("SURVEYS_SEND_CHUNK_SIZE", 100, minimum=1, maximum=1000)
SURVEYS_SEND_MAX_ATTEMPTS = env.integer("SURVEYS_SEND_MAX_ATTEMPTS", 5, minimum=1, maximum=20)
# Retry n waits base * 2**(n-1) seconds, at most the cap, times a random factor in [0.5, 1.5).
# The cap stays far below the visibility timeout: a countdown is held unacknowledged by a worker.
SURVEYS_RETRY_BASE_SECONDS = env.integer("SURVEYS_RETRY_BASE_SECONDS", 30, minimum=0)
SURVEYS_RETRY_MAX_SECONDS = env.integer("SURVEYS_RETRY_MAX_SECONDS", 300, minimum=0, maximum=600)
# An invitation queued or in "sending" for longer than this was lost with a worker: the sweep
# puts it back. It must exceed a chunk task's hard time limit (surveys.tasks).
SURVEYS_STALE_AFTER_MINUTES = env.integer("SURVEYS_STALE_AFTER_MINUTES", 15, minimum=6)
SURVEYS_RATE_LOOKUPS = env.string("SURVEYS_RATE_LOOKUPS", "60/m")
SURVEYS_RATE_SUBMITS = env.string("SURVEYS_RATE_SUBMITS", "10/m")
RATELIMIT_IP_META_KEY = "surveys.public.client_address"
# Password reset requests per client address and per e-mail address (core.accounts).
ACCOUNTS_RESET_RATE_PER_ADDRESS = env.string("ACCOUNTS_RESET_RATE_PER_ADDRESS", "10/h")
ACCOUNTS_RESET_RATE_PER_EMAIL = env.string("ACCOUNTS_RESET_RATE_PER_EMAIL", "3/h")
PASSWORD_RESET_TIMEOUT = env.integer("PASSWORD_RESET_HOURS", 2, minimum=1) * 3600
# Seconds a process keeps its database connection (0: a new one per request or task). Sending
# workers run one task per chunk of mail; a fresh PostgreSQL backend per task cost about a tenth
# of the sending throughput, so production workers set this (e.g. 600).
DATABASES["default"]["CONN_MAX_AGE"] = env.integer("DATABASE_CONN_MAX_AGE", 0, minimum=0)

# Dashboards (dashboards app): the privacy rules of every museum-facing figure.
# A figure or breakdown resting on fewer responses than this is hidden (and so is any filter
# that would let one be derived); free-text comments need more; NPS warns below the last.
DASHBOARDS_MIN_RESPONSES = env.integer("DASHBOARDS_MIN_RESPONSES", 5, minimum=2)
DASHBOARDS_MIN_RESPONSES_FOR_COMMENTS = env.integer(
    "DASHBOARDS_MIN_RESPONSES_FOR_COMMENTS", 10, minimum=DASHBOARDS_MIN_RESPONSES
)
DASHBOARDS_NPS_WARNING_BELOW = env.integer("DASHBOARDS_NPS_WARNING_BELOW", 30, minimum=0)
# A benchmark (network, same size class) is shown only when at least this many museums
# contribute to it, so that no museum can subtract its own figures to find another's.
DASHBOARDS_MIN_BENCHMARK_MUSEUMS = env.integer("DASHBOARDS_MIN_BENCHMARK_MUSEUMS", 5, minimum=3)
# UiTPAS (uitpas/privacy.py): the scale of the noise on every published holder count, so that no
# difference of two figures gives a few holders away (in tenths: 10 is 1.0; 0 turns it off).
UITPAS_NOISE_SCALE = env.integer("UITPAS_NOISE_SCALE_TENTHS", 10, minimum=0) / 10

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "publiq back office API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Assets come from drf-spectacular-sidecar: the docs work without any CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# curation: the UiTdatabank event catalogue.
# Where the admin links an event: UiTdatabank's own page for it ({id} is the event's id).
UITDATABANK_EVENT_URL = env.url(
    "UITDATABANK_EVENT_URL",
    "https://www.uitdatabank.be/events/{id}/preview",
    schemes=("http", "https"),
)
if "{id}" not in UITDATABANK_EVENT_URL:
    raise ImproperlyConfigured("UITDATABANK_EVENT_URL must contain {id}, the event's id.")
# Search API v3 credentials for `import_events --url`: an API key (x-api-key) or a client id
# (x-client-id), whichever publiq issued.
UITDATABANK_API_KEY = env.string("UITDATABANK_API_KEY", "")
UITDATABANK_CLIENT_ID = env.string("UITDATABANK_CLIENT_ID", "")
# The Search API query the scheduled pull follows; empty: the scheduled pull does nothing.
UITDATABANK_SEARCH_URL = env.url("UITDATABANK_SEARCH_URL", "", schemes=("http", "https"))

# curation: review queues (issue 4).
# How long a claimed task stays a curator's without a decision; then it is free again.
CURATION_LEASE_MINUTES = env.integer("CURATION_LEASE_MINUTES", 15, minimum=1, maximum=24 * 60)
# How long a task an administrator assigns to a curator stays theirs.
CURATION_ASSIGNMENT_HOURS = env.integer("CURATION_ASSIGNMENT_HOURS", 24, minimum=1)
# A task a curator passes, skips or stops at is not handed to them again for this many hours,
# or before they log out.
CURATION_SET_ASIDE_HOURS = env.integer("CURATION_SET_ASIDE_HOURS", 12, minimum=1)
# How long the deciding curator may undo or amend a decision (administrators: always).
CURATION_UNDO_MINUTES = env.integer("CURATION_UNDO_MINUTES", 10, minimum=0)
# URL checks: at most this many seconds per check, all redirects included, and this many
# redirects; at most URL_CHECK_PER_HOST checks of one host per minute (shared cache).
URL_CHECK_TIMEOUT = env.integer("URL_CHECK_TIMEOUT", 10, minimum=1, maximum=60)
URL_CHECK_MAX_REDIRECTS = env.integer("URL_CHECK_MAX_REDIRECTS", 5, minimum=0, maximum=20)
URL_CHECK_PER_HOST = env.integer("URL_CHECK_PER_HOST", 30, minimum=1)
# Networks the URL check may connect to although they are private, loopback, link-local or
# multicast (comma-separated CIDR, e.g. 127.0.0.0/8 for tests); empty in production.
URL_CHECK_ALLOWED_NETWORKS = env.string_list("URL_CHECK_ALLOWED_NETWORKS", [])
for _network in URL_CHECK_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network)
    except ValueError:
        raise ImproperlyConfigured(
            f"URL_CHECK_ALLOWED_NETWORKS: {_network!r} is not a network like 127.0.0.0/8."
        ) from None

# curation: the family-offer rule (issue 5).
# The share of events the rule does not label that still go to the family queue, so that the
# evaluation can measure recall: a whole percentage, 0 to 100.
CURATION_FAMILY_AUDIT_PERCENT = env.integer(
    "CURATION_FAMILY_AUDIT_PERCENT", 5, minimum=0, maximum=100
)
# The family model's threshold keeps cross-validated precision at or above this (0.5 to 1).
# Scores within this many log-odds of the model's threshold wait for a curator (the family
# queue, least sure first); the others go out as automatic labels.
FAMILY_UNSURE_MARGIN = env.integer("FAMILY_UNSURE_MARGIN_TENTHS", 20, minimum=0) / 10
FAMILY_MIN_PRECISION = (
    env.integer("FAMILY_MIN_PRECISION_PERMILLE", 960, minimum=500, maximum=1000) / 1000
)

# Production hardening: on whenever DEBUG is off, each switchable for a proxy that terminates TLS.
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Django's defaults hold the rest: nosniff, Referrer-Policy same-origin, X-Frame-Options DENY,
# HttpOnly session cookies.
if env.boolean("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp), in development too: scripts only from our own static
# files, so a hostile event text that slipped into a page still runs nothing. The one inline
# script allowed is the handler `onchange="this.form.submit()"` of the language switch and the
# admin's select filters, by its hash ('unsafe-hashes' allows hashed handlers, nothing else).
# Inline styles stay allowed: the admin and the survey preview have some, and a style runs no
# code. Two pages are left out: Swagger UI and django-celery-beat's task form run inline
# scripts of their own, and neither shows outside text.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs/", "/admin/django_celery_beat/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [
            "'self'",
            "'unsafe-hashes'",
            "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='",  # this.form.submit()
        ],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOG_LEVEL = env.choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "core.logging.RedactTokens"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # runserver's request log: survey links carry tokens, so it goes through the filter.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
