"""OpenCTPAT settings: one file, every deployment choice from environment variables.

Defaults are safe for production (DEBUG off, secure cookies, no hosts allowed);
`.env.example` holds the values for a developer machine. Test overrides live in
the root `conftest.py`, not here.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from portal.env import ConfigurationError, env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("CTPAT_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)
# The shared reference data (MSC catalogue, watchlists) shipped beside the repository.
SHARED_DATA_DIR = Path(env_str("CTPAT_SHARED_DATA_DIR", str(BASE_DIR.parent / "shared" / "data")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigurationError("SECRET_KEY is not set (see .env.example)")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = env_str("SITE_NAME", "OpenCTPAT")
# The portal's public address, for links in e-mails sent outside a request (reminders).
CTPAT_SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    "accounts.admin_config.PortalAdminConfig",  # the Django admin behind allauth's sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_countries",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    # OpenCTPAT apps, one per domain concept.
    "core",
    "accounts",
    "companies",
    "notices",
    "eligibility",
    "applications",
    "catalogue",
    "profiles",
    "actions",
    "audits",
    "training",
    "personnel",
    "certification",
    "verification",
    "inspections",
    "seals",
    "incidents",
    "partners",
    "screening",
    "recognition",
    "questionnaires",
    "tradecompliance",
    "siteaudits",
    "sharing",
    "threats",
    "risk",
    # Project level, above every domain app: the demo world of `make run`.
    "demo",
]

MIDDLEWARE = [
    # First: the request id every later log line carries, and the request metrics.
    "portal.observability.RequestIdMiddleware",
    # What the first requests load lazily, out of the cycle collector's walks too.
    "portal.startup.RefreezeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    # /healthz, /readyz, /metrics: answered before the Host check (internal names).
    "portal.observability.OperationsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files come precompressed): gzip for pages, JSON and CSV.
    "core.middleware.CompressTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # A person's own change shows in the header's task count at once.
    "notices.middleware.TaskCountMiddleware",
    # Program-office read-only pages read from DATABASE_REPLICA_URL when one is set.
    "core.replica.ReplicaMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.navigation.navigation",
            ],
        },
    },
]

# SQLite in WAL mode is the embedded default; PostgreSQL through DATABASE_URL.
_default_sqlite = f"sqlite:///{DATA_DIR / 'ctpat.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE makes a write
        # transaction take the lock at BEGIN so concurrent writers wait instead of failing.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it pays off on long reports, not on a web request. A page's
    # query with a correlated subquery a row (the training counts over 5,000 people) is
    # estimated costly enough to be compiled, and compiling took 40 ms to 2 s of a query
    # that runs in 30 ms (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Keeping connections open spares SQLite its file open and WAL pragmas on every request
# (the status look-up benchmark found it the largest cost) and PostgreSQL its handshake.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL connection pool (psycopg_pool through Django 5.2's OPTIONS["pool"]): each
# process keeps DATABASE_POOL_MIN..MAX open connections and lends one per request instead
# of one persistent connection per thread (docs/configuration.md, "Database").
DATABASE_POOL = env_bool("DATABASE_POOL", False)
if DATABASE_POOL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ConfigurationError("DATABASE_POOL=true needs a PostgreSQL DATABASE_URL")
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections, not Django
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 2),
        "max_size": env_int("DATABASE_POOL_MAX", 10),
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
    }
# A read-only PostgreSQL replica for the program office's read-only pages (core.replica):
# GET requests to the URL names in DATABASE_REPLICA_VIEWS read from it, everything else
# (and every write) uses the primary. Tests treat it as a mirror of the primary.
_replica_url = env_str("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url)
    DATABASES["replica"].setdefault("OPTIONS", {})["options"] = "-c jit=off"  # as the primary
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASE_POOL:
        DATABASES["replica"].setdefault("OPTIONS", {})["pool"] = DATABASES["default"]["OPTIONS"][
            "pool"
        ]
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
DATABASE_REPLICA_VIEWS = env_list(
    "DATABASE_REPLICA_VIEWS",
    [
        "certification:dashboard",
        "certification:certification-list",
        "certification:deadline-list",
    ],
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The database cache needs no extra server and is shared by every worker process,
# which the login-failure lockout relies on; a Redis cache replaces it by setting REDIS_URL
# (REDIS_KEY_PREFIX keeps several portals, or test runs, apart on one Redis).
_redis_url = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": env_str("REDIS_KEY_PREFIX", "ctpat"),
        }
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ctpat_cache"}
    ),
    # Row counts of large lists (core.lists.ListPaginator), kept in each process's memory:
    # reading them costs no query, and a stale one is corrected when a page disagrees.
    "list_counts": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ctpat-list-counts",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # Public status cards (verification.workflow.lookup_card) kept a few seconds in each
    # process's memory in front of the shared cache: the busiest public route then reads
    # no cache row for a card it answered a moment ago.
    "status_cards": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ctpat-status-cards",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
# Lists of at least this many rows remember their COUNT for CTPAT_LIST_COUNT_SECONDS.
CTPAT_LIST_COUNT_CACHE_FROM = env_int("CTPAT_LIST_COUNT_CACHE_FROM", 5000)
CTPAT_LIST_COUNT_SECONDS = env_int("CTPAT_LIST_COUNT_SECONDS", 60)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"  # each role's home (portal/homes.py)
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: e-mail login, sign-up, password reset, TOTP and lockout.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Lockout: after this many failed logins for one account the account refuses further
# attempts for the window, whatever the password (allauth's "login_failed" rate limit).
CTPAT_LOGIN_FAILURES = env_int("CTPAT_LOGIN_FAILURES", 5)
CTPAT_LOCKOUT_MINUTES = env_int("CTPAT_LOCKOUT_MINUTES", 15)
# Days an e-mailed invitation to join a company stays valid (companies.workflow).
CTPAT_INVITATION_DAYS = env_int("CTPAT_INVITATION_DAYS", 14)

# Clocks this organisation chooses (CBP publishes no figure for them); the pages label them
# as the organisation's rule, not CBP's. docs/domain-sources.md lists every clock's source.
CTPAT_VALIDATION_RESPONSE_DAYS = env_int("CTPAT_VALIDATION_RESPONSE_DAYS", 30)
CTPAT_INCIDENT_NOTIFY_HOURS = env_int("CTPAT_INCIDENT_NOTIFY_HOURS", 24)
CTPAT_SUSPENSION_RESPONSE_DAYS = env_int("CTPAT_SUSPENSION_RESPONSE_DAYS", 90)
CTPAT_REAPPLY_BAR_YEARS = env_int("CTPAT_REAPPLY_BAR_YEARS", 1)
# Months between on-site audits of a business partner, by its criticality tier (0: no visit
# due for that tier), and days the partner's link to answer an audit's corrective actions
# stays valid (siteaudits.schedule, siteaudits.workflow).
CTPAT_SITE_AUDIT_MONTHS_HIGH = env_int("CTPAT_SITE_AUDIT_MONTHS_HIGH", 12)
CTPAT_SITE_AUDIT_MONTHS_MEDIUM = env_int("CTPAT_SITE_AUDIT_MONTHS_MEDIUM", 24)
CTPAT_SITE_AUDIT_MONTHS_LOW = env_int("CTPAT_SITE_AUDIT_MONTHS_LOW", 36)
CTPAT_SITE_AUDIT_LINK_DAYS = env_int("CTPAT_SITE_AUDIT_LINK_DAYS", 60)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{CTPAT_LOGIN_FAILURES}/{CTPAT_LOCKOUT_MINUTES}m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300

# E-mail: printed on the console unless an SMTP server is configured.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OpenCTPAT <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Security: secure cookies and headers unless a developer turns them off in .env.
SECURE_COOKIES = env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Health checks and Prometheus reach the portal over plain HTTP inside the deployment.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind the TLS proxy browsers are told to use HTTPS only, for a year, unless set otherwise;
# without the proxy the portal cannot know it is reached over TLS, so HSTS stays off.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if BEHIND_TLS_PROXY else 0)
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy (django-csp): every script comes from the portal itself (the
# vendored HTMX, Chart.js and Mermaid and our own files); no inline script, no eval, no
# plugin, no framing. Styles allow inline because Mermaid draws its diagrams with <style>
# inside the SVG it generates and Chart.js sizes its canvas with style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        # data: for the TOTP set-up QR code and Mermaid's icons.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features the portal never uses are switched off for it and anything it embeds;
# the camera stays available to the portal itself (inspection photos on a phone).
PERMISSIONS_POLICY = env_str(
    "PERMISSIONS_POLICY",
    "accelerometer=(), autoplay=(), camera=(self), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
)
# How many reverse proxies of ours append to X-Forwarded-For. core.clientip reads the
# client's address from it for every rate limit and signature; 0 ignores the header, which
# a client can write itself.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_TLS_PROXY else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ConfigurationError("TRUSTED_PROXY_COUNT must be 0 or more")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The Docker image collects them at build time outside the data volume (CTPAT_STATIC_ROOT).
STATIC_ROOT = Path(env_str("CTPAT_STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads on S3-compatible object storage (django-storages) when S3_BUCKET is set;
# otherwise under MEDIA_ROOT. Pair it with CTPAT_FILE_SENDFILE=redirect so downloads go
# straight from the storage by a short-lived signed URL after the permission check.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_secret("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_secret("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX"),
            "addressing_style": env_str("S3_ADDRESSING_STYLE") or None,
            # Private objects; every read is a signed URL valid this many seconds.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("S3_URL_SECONDS", 300),
            "file_overwrite": False,
        },
    }
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
# Largest evidence, photo or document upload accepted, in megabytes.
CTPAT_UPLOAD_MAX_MB = env_int("CTPAT_UPLOAD_MAX_MB", 20)
# Uploaded files are only served by core/files.py after a permission check, never from
# MEDIA_URL. Who sends the bytes: "" Django; "x-accel-redirect" nginx (internal location
# CTPAT_FILE_ACCEL_PREFIX aliased to MEDIA_ROOT); "x-sendfile" Apache/lighttpd;
# "redirect" the storage's own short-lived URL (object storage).
CTPAT_FILE_SENDFILE = env_str("CTPAT_FILE_SENDFILE", "").strip().lower()
if CTPAT_FILE_SENDFILE not in ("", "x-accel-redirect", "x-sendfile", "redirect"):
    raise ConfigurationError(
        f"CTPAT_FILE_SENDFILE={CTPAT_FILE_SENDFILE!r}: use x-accel-redirect, x-sendfile, "
        "redirect, or leave it empty"
    )
CTPAT_FILE_ACCEL_PREFIX = env_str("CTPAT_FILE_ACCEL_PREFIX", "/protected-media/")
# Background exports (core/export_jobs.py): hours a finished export's file is kept.
CTPAT_EXPORT_KEEP_HOURS = env_int("CTPAT_EXPORT_KEEP_HOURS", 24)
# Imports (CSV/Excel read by core.importing): largest file and most data rows per file.
# The partner import takes a whole supplier base, so it has its own, larger limits.
CTPAT_IMPORT_MAX_MB = env_int("CTPAT_IMPORT_MAX_MB", 10)
CTPAT_IMPORT_MAX_ROWS = env_int("CTPAT_IMPORT_MAX_ROWS", 5000)
CTPAT_PARTNER_IMPORT_MAX_MB = env_int("CTPAT_PARTNER_IMPORT_MAX_MB", 50)
CTPAT_PARTNER_IMPORT_MAX_ROWS = env_int("CTPAT_PARTNER_IMPORT_MAX_ROWS", 100_000)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["core.filters.TenantFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # Our throttles derive from core.throttling.ClientAddressThrottle; this keeps DRF's own
    # get_ident, should anything still call it, from keying on a client-written header.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OpenCTPAT API",
    "DESCRIPTION": "Versioned JSON API of the OpenCTPAT portal. Authenticate with "
    "`Authorization: Token ctpat_<key_id>.<secret>` (`Bearer` works too); tokens are created "
    "on the API tokens page, shown once, and may be read-only or expire. A token acts with "
    "its owner's current roles; officers and program-office staff need two-factor "
    "authentication set up, or every request answers 403.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI from the portal's own static files (no CDN; the CSP allows only 'self').
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Separate request and response components: read-only fields (ids, timestamps) are
    # not asked for in a request, write-only ones (`my_role`) not promised in an answer.
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set that several serializers use.
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "django_countries.countries",
        "LevelEnum": "threats.models.Level",
        "TierEnum": "partners.models.Tier",
        "SubmissionKindEnum": "profiles.choices.SubmissionKind",
        "IncidentKindEnum": "incidents.choices.IncidentKind",
        "IncidentStatusEnum": "incidents.choices.IncidentStatus",
        "IdentifierTypeEnum": "companies.identifiers.IdentifierType",
        "PointResultEnum": "inspections.choices.Result",
        "MembershipRoleEnum": "companies.choices.Role",
        "ActionStatusEnum": "actions.choices.ActionStatus",
        "ApplicationStatusEnum": "applications.models.Application.Status",
        "SealStatusEnum": "seals.choices.SealStatus",
        "CertificationStateEnum": "certification.choices.State",
        "TradeComplianceStatusEnum": "tradecompliance.models.Status",
    },
}

# Requests per client address to the public status look-up API (DRF throttle rate).
STATUS_LOOKUP_RATE = env_str("STATUS_LOOKUP_RATE", "60/min")

AUDITLOG_INCLUDE_ALL_MODELS = False

# Screening alerts: a second reviewer confirms every decision (a company may override).
SCREENING_FOUR_EYES = env_bool("SCREENING_FOUR_EYES", False)
# Built screening indexes (memory-mapped, keyed by the list versions' SHA-256): every
# process maps the same files instead of building its own. Empty = build in each process.
SCREENING_INDEX_DIR = env_str("SCREENING_INDEX_DIR", str(DATA_DIR / "screening-index"))
# Web processes load the screening index in a background thread when they start.
SCREENING_WARM_ON_START = env_bool("SCREENING_WARM_ON_START", True)
# Partner imports with more rows than this are screened by a background task.
PARTNER_IMPORT_BACKGROUND_ROWS = env_int("PARTNER_IMPORT_BACKGROUND_ROWS", 500)

# Background work through the Django tasks API. The database backend needs no extra server;
# `ctpat db_worker` runs the queue (make run starts one). Periodic jobs are management
# commands that a cron entry or systemd timer runs, and they enqueue tasks.
# A deployment that outgrows one machine runs the queue on RQ instead:
# TASKS_BACKEND=django_tasks_rq.RQBackend with REDIS_URL, workers `ctpat rqworker
# --job-class django_tasks_rq.Job default`.
RQ_BACKEND = "django_tasks_rq.RQBackend"
# Short names: TASKS_BACKEND=rq or TASKS_BACKEND=database.
_TASK_BACKENDS = {"rq": RQ_BACKEND, "database": "django_tasks_db.DatabaseBackend"}
_tasks_backend = env_str("TASKS_BACKEND", "database").strip() or "database"
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS.get(_tasks_backend.lower(), _tasks_backend),
    }
}
if TASKS["default"]["BACKEND"] == RQ_BACKEND:
    if not _redis_url:
        raise ConfigurationError(f"TASKS_BACKEND={RQ_BACKEND} needs REDIS_URL")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]  # type: ignore[assignment]
RQ_QUEUES = {"default": {"URL": _redis_url or "redis://127.0.0.1:6379/0"}}
# A long task (a background import screening) renews a heartbeat after every chunk; one
# silent for longer than the lease lost its worker and is marked stopped, then resumed by
# `ctpat recover_tasks`. Chunks must take well under the lease.
TASK_LEASE_SECONDS = env_int("TASK_LEASE_SECONDS", 300)
PARTNER_SCREENING_CHUNK = env_int("PARTNER_SCREENING_CHUNK", 2000)
# On RQ a background import of more partners than this is split into tasks of this many,
# so several workers screen it (partners.workflow.screen_import).
PARTNER_SCREENING_TASK_ROWS = env_int("PARTNER_SCREENING_TASK_ROWS", 10_000)

# The daily jobs (management commands) `ctpat run_daily` runs once a day across all
# machines (core.scheduler); a claim left unfinished this long is taken over.
CTPAT_DAILY_JOBS = env_list("CTPAT_DAILY_JOBS", ["send_reminders", "send_digest"])
CTPAT_DAILY_LEASE_SECONDS = env_int("CTPAT_DAILY_LEASE_SECONDS", 3600)

# Observability (docs/observability.md). /readyz fails when the oldest task waiting to run
# has waited longer than this.
READYZ_TASK_BACKLOG_SECONDS = env_int("READYZ_TASK_BACKLOG_SECONDS", 900)
# /metrics is open unless one or both of these are set; each one set must then pass.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", [])
try:
    METRICS_ALLOWED_NETWORKS = [
        ipaddress.ip_network(item, strict=False) for item in METRICS_ALLOWED_IPS
    ]
except ValueError as exc:
    raise ConfigurationError(f"METRICS_ALLOWED_IPS: {exc}") from exc
METRICS_BEARER_TOKEN = env_secret("METRICS_BEARER_TOKEN")

# Logs go to standard error, one JSON object a line with the request id (LOG_FORMAT=json,
# the default), or as plain text for a developer's terminal (LOG_FORMAT=text).
LOG_FORMAT = env_str("LOG_FORMAT", "json").strip().lower()
if LOG_FORMAT not in ("json", "text"):
    raise ConfigurationError(f"LOG_FORMAT={LOG_FORMAT!r}: use json or text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "portal.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint tells each step of every PDF it draws (seven lines a document, and the
    # web process draws one at start) and fontTools each font it subsets: warnings only.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# Single sign-on through an organisation's OpenID Connect provider (allauth's
# openid_connect provider), on when OIDC_SERVER_URL is set (docs/configuration.md, "Single
# sign-on"). The IdP's verified e-mail signs in the portal account with that address, or
# makes one; company memberships still come only from invitations. Officers and program
# office keep their second factor unless the IdP's ID token says it asked for one (an
# `amr` value in OIDC_MFA_AMR) and OIDC_TRUST_IDP_MFA is on.
OIDC_SERVER_URL = env_str("OIDC_SERVER_URL")
OIDC_PROVIDER_ID = env_str("OIDC_PROVIDER_ID", "sso")
OIDC_TRUST_IDP_MFA = env_bool("OIDC_TRUST_IDP_MFA", True)
OIDC_MFA_AMR = env_list("OIDC_MFA_AMR", ["mfa"])
# Off: only people who already have a portal account (invited, or signed up) may use SSO.
OIDC_ALLOW_SIGNUP = env_bool("OIDC_ALLOW_SIGNUP", True)
SOCIALACCOUNT_PROVIDERS: dict[str, Any] = {
    "openid_connect": {"APPS": [], "OAUTH_PKCE_ENABLED": True}
}
if OIDC_SERVER_URL:
    # The sign-in form's answer redirects the browser to the IdP: the CSP's form-action
    # must allow its origin, or the browser stops there.
    _idp = urlsplit(OIDC_SERVER_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_idp.scheme}://{_idp.netloc}")
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] = [
        {
            "provider_id": OIDC_PROVIDER_ID,
            "name": env_str("OIDC_NAME", "Single sign-on"),
            "client_id": env_str("OIDC_CLIENT_ID"),
            "secret": env_secret("OIDC_CLIENT_SECRET"),
            "settings": {
                "server_url": OIDC_SERVER_URL,
                "scope": ["openid", "email", "profile"],
            },
        }
    ]
# The IdP vouches for the e-mail address (email_verified): it signs in that account.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
# Its get_client_ip is core.clientip's answer, so allauth's rate limits count per client too.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
