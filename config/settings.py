"""Caseflow settings.

One module; everything that differs per deployment comes from the environment
(``DJANGO_``-prefixed where it is Django's own). Defaults give the demo: SQLite and
in-process (eager) Celery tasks. With DEBUG off, a missing SECRET_KEY stops start-up.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
DEMO_MODE = env.bool("CASEFLOW_DEMO", default=DEBUG)
# Django's debug 404/500 pages instead of the app's (developers only; config/error_pages.py).
DEBUG_PAGES = env.bool("CASEFLOW_DEBUG_PAGES", default=False)

_INSECURE_KEY = "django-insecure-caseflow-local-only"
_PLACEHOLDER_KEY_PREFIX = "change-me"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production)."
        )
    SECRET_KEY = _INSECURE_KEY
elif not DEBUG and (SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters."
    )
elif not DEBUG and SECRET_KEY.lower().startswith(_PLACEHOLDER_KEY_PREFIX):
    # .env.example's placeholder is long enough to pass the length rule: a copied-but-
    # unedited .env must not reach production with a key published in the repository.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is still the .env.example placeholder: generate a random key."
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "django_tables2",
    "drf_spectacular",
    "simple_history",
    "django_structlog",
    "crispy_forms",
    "crispy_forms_gds",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "accounts",
    "referrals",
    "casework",
    "metrics",
    "workforce",
    "ops",
    "api",
    "earlyhelp",
    "care",
]

MIDDLEWARE = [
    # First: the container's own /healthz and /readyz probe, before the host check and the
    # https redirect (config/health.py says why).
    "config.health.LoopbackProbeMiddleware",
    "config.error_pages.DemoErrorPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads a parameter: a NUL character is a 400, not a database error.
    "config.request_guards.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Access controls (issue 8): session limits, then 2FA, then per-child guard and audit.
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.ChildAccessMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
    # KPI pages may read the streaming replica (config/replica.py); off without one.
    "config.replica.ReplicaReadsMiddleware",
    # django-axes asks to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

WSGI_APPLICATION = "config.wsgi.application"

# DATABASE_URL unset means the embedded SQLite demo database.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'caseflow.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo serves several requests at once, each in one transaction (ATOMIC_REQUESTS).
    # SQLite's default "deferred" transactions take the write lock only at the first write,
    # and a reader that then writes while another holds it fails at once with "database is
    # locked" (the busy timeout cannot help a lock upgrade). Taking the write lock when the
    # transaction begins makes writers queue for up to `timeout` seconds instead; WAL lets
    # readers go on beside the one writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # PostgreSQL's JIT compiles any query whose estimated cost is high, and per-row
    # subqueries (the KPI and return queries' allocation lookups) make every estimate
    # high: at medium scale 1.6-2.8 s of compiling went into each KPI query that then ran
    # in 0.3 s. Caseflow's queries are all short, so JIT never pays for itself here.
    pg_options = "-c jit=off"
    # A ceiling on any one statement (milliseconds; unset means none). The test run sets
    # one so a query that regresses into a runaway plan fails instead of hanging CI.
    if statement_timeout := env.int("CASEFLOW_DB_STATEMENT_TIMEOUT_MS", default=0):
        pg_options += f" -c statement_timeout={statement_timeout}"
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", pg_options)
# A PostgreSQL streaming replica (issue 25): the KPI pages, drill-downs and downloads read
# from it, everything else from the primary (config/replica.py says which and why). In
# tests it mirrors the primary (the test databases reach the replica by streaming), and
# only tests marked `replica` send reads to the real one.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]
CASEFLOW_READ_REPLICA = env.bool("CASEFLOW_READ_REPLICA", default=True)
# How long a session that wrote reads the primary only (its own writes, whatever the lag).
CASEFLOW_REPLICA_STICKY_SECONDS = env.int("CASEFLOW_REPLICA_STICKY_SECONDS", default=30)
# The PostgreSQL role the web processes and Celery run as (accounts/db_roles.py): owns
# nothing, may only INSERT and SELECT the audit table. `migrate`, run as the owner,
# grants it its rights. Unset (SQLite, or one role for everything): no grants.
CASEFLOW_DB_APP_ROLE = env.str("CASEFLOW_DB_APP_ROLE", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: refuses a locked-out user+address before the password is checked.
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("CASEFLOW_MEDIA_ROOT", default=BASE_DIR / "var" / "media")

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
DJANGO_TABLES2_TEMPLATE = "tables/govuk_table.html"

# Celery: CELERY_BROKER_URL unset means tasks run in-process (eager) for the demo.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Parallel test processes (pytest-xdist sets PYTEST_XDIST_WORKER=gwN) each have their own
# test database, so each gets its own Redis database too: one process's Celery worker must
# never take another's tasks. The worker subprocess inherits the variable and agrees.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if CELERY_BROKER_URL.startswith("redis://") and _XDIST_WORKER.startswith("gw"):
    CELERY_BROKER_URL = f"{CELERY_BROKER_URL.rsplit('/', 1)[0]}/{1 + int(_XDIST_WORKER[2:])}"
    # Celery reads the variable itself before any setting, so it must agree too.
    os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# Above the longest job, so a slow job is not redelivered while it still runs; a job whose
# worker died unacknowledged is redelivered after this many seconds.
CELERY_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 900
)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT and not DEBUG:
    raise ImproperlyConfigured(
        "CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT, or a long job is "
        "handed to a second worker while the first still runs it."
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # How often a worker sweeps for unacknowledged messages past the visibility timeout
    # (kombu's defaults: every 10 s, scanning on every 10th sweep). The fault tests lower
    # both so a killed worker's job is redelivered in seconds, not ~100 s.
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
# A job's result state tells a running job from a queued one (for operators, and for the
# fault tests that kill a worker part-way through a job).
CELERY_TASK_TRACK_STARTED = True
CELERY_TIMEZONE = TIME_ZONE
# Recompute the KPI periods a write affects as soon as it commits (needs a real worker).
CASEFLOW_KPI_INCREMENTAL = env.bool("CASEFLOW_KPI_INCREMENTAL", default=bool(CELERY_BROKER_URL))
# The authority's ONS (upper-tier) code: the SSDA903 validator places each postcode in an LA
# and compares it with this one (placed in or out of the authority, own provision in area).
# The default is the demo authority's (LA 850, Hampshire).
CASEFLOW_LA_ONS_CODE = env.str("CASEFLOW_LA_ONS_CODE", default="E10000014")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so a request without credentials gets 401 with WWW-Authenticate.
        "api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # A depth limit and a NUL check on every JSON body (api/parsers.py says why).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.authentication.TokenScopePermission",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Caseflow API",
    "DESCRIPTION": "Children's social care case flow: contacts to child protection plans.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status", "outcome" or "kind": name each choice set.
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStatusEnum": "casework.models.Assessment.Status",
        "ContactStatusEnum": "referrals.models.Contact.Status",
        "ReferralStatusEnum": "referrals.models.Referral.Status",
        "Section47StatusEnum": "casework.models.Section47Enquiry.Status",
        "ConferenceStatusEnum": "casework.models.ChildProtectionConference.Status",
        "PlanStatusEnum": "casework.models.ChildProtectionPlan.Status",
        "AssessmentOutcomeEnum": "casework.models.AssessmentOutcome",
        "Section47OutcomeEnum": "casework.models.S47Outcome",
        "ConferenceOutcomeEnum": "casework.models.ConferenceOutcome",
        "InitialConferenceOutcomeEnum": "api.schema.ICPC_OUTCOMES",
        "ReviewConferenceOutcomeEnum": "api.schema.REVIEW_OUTCOMES",
        "ConferenceKindEnum": "casework.models.ConferenceKind",
        "VisitKindEnum": "casework.models.VisitKind",
        "AbuseCategoryEnum": "casework.codes.AbuseCategory",
    },
}

SESSION_COOKIE_AGE = env.int("CASEFLOW_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
# Absolute session limit however active the user (accounts.middleware).
CASEFLOW_SESSION_MAX_AGE_SECONDS = env.int("CASEFLOW_SESSION_MAX_AGE_SECONDS", default=10 * 3600)

# Two-factor sign-in (TOTP, django-otp) for every account, except in the demo.
CASEFLOW_REQUIRE_2FA = env.bool("CASEFLOW_REQUIRE_2FA", default=not DEMO_MODE)
OTP_TOTP_ISSUER = env.str("CASEFLOW_OTP_ISSUER", default="Caseflow")

# The header the reverse proxy in front of us sets to the client address (Django META
# name, e.g. HTTP_X_FORWARDED_FOR) and how many trusted proxies append to it. Unset:
# REMOTE_ADDR is the client. Used by the audit trail and the sign-in lockout.
CASEFLOW_TRUSTED_PROXY_HEADER = env.str("CASEFLOW_TRUSTED_PROXY_HEADER", default="")
CASEFLOW_TRUSTED_PROXY_COUNT = env.int("CASEFLOW_TRUSTED_PROXY_COUNT", default=1)
if CASEFLOW_TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("CASEFLOW_TRUSTED_PROXY_COUNT must be 1 or more.")

# Sign-in lockout (django-axes): 5 failures for one username from one address locks
# that pair out for 15 minutes; each failure and lockout is logged by axes.
AXES_FAILURE_LIMIT = env.int("CASEFLOW_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("CASEFLOW_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.audit.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

# Headers. Only our own files may run or style pages: no inline script, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Probes speak plain http to the app itself; a 301 would pass `curl -f` while the
    # app was never checked.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="caseflow-demo-2026")

# Structured logs (config/logging.py): JSON lines unless DEBUG, with a request id that
# follows the request into the Celery tasks it queues.
LOGGING_CONFIG = None
CASEFLOW_LOG_LEVEL = env.str("CASEFLOW_LOG_LEVEL", default="INFO")
CASEFLOW_LOG_JSON = env.bool("CASEFLOW_LOG_JSON", default=not DEBUG)
DJANGO_STRUCTLOG_CELERY_ENABLED = True

from config.logging import configure as _configure_logging  # noqa: E402

_configure_logging(level=CASEFLOW_LOG_LEVEL, json=CASEFLOW_LOG_JSON)
