"""Settings for the patient-education content API, all read from the environment."""

import zoneinfo
from pathlib import Path
from string import Formatter

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from contentapi.rates import Rate

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def _rate(name: str, default: str) -> Rate:
    """A rate setting such as `6000/min`; a value that is not one stops the start-up."""
    try:
        return Rate.parse(env.str(name, default=default))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from exc


def _url_template(name: str) -> str:
    """An absolute http(s) URL template naming {slug} (and maybe {locale}), or empty."""
    value = env.str(name, default="")
    if not value:
        return value
    try:
        fields = {field for _, field, _, _ in Formatter().parse(value) if field is not None}
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from exc
    if "slug" not in fields or not fields <= {"slug", "locale"}:
        raise ImproperlyConfigured(f"{name} must name {{slug}}, and may name {{locale}}, only.")
    if not value.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{name} must be an absolute http or https URL.")
    return value


# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)

# Production has no default: the servers (config/wsgi.py, config/asgi.py) refuse to start
# without it, and Django refuses any signing. Commands that sign nothing (migrate, check,
# spectacular) run without it.
SECRET_KEY = env.str(
    "SECRET_KEY", default="insecure-development-key-not-for-production" if DEBUG else ""
)
# Earlier keys that still verify what they signed (sign-in sessions, CSRF tokens) while a
# rotation settles; comma-separated. Drop them after SESSION_SECONDS.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # Sessions and messages serve the review pages (review/) only; the API authenticates
    # every request by its token or key and never reads a session.
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "contentapi",
    "articles",
    "delivery",
    "ehr",
    "webhooks",
    "review",
]

MIDDLEWARE = [
    "contentapi.logs.RequestIdMiddleware",
    "contentapi.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "contentapi.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "contentapi.middleware.SlashlessWriteMiddleware",
    "django.middleware.common.CommonMiddleware",
    # DRF views are exempt from CSRF (they take no cookies: a token or key, or nothing).
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "contentapi.middleware.ContentSecurityPolicyMiddleware",
    "contentapi.middleware.DatabaseUnavailableMiddleware",
    "contentapi.middleware.RateLimitHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
AUTH_USER_MODEL = "contentapi.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
APPEND_SLASH = True

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "review.access.staff_roles",
            ]
        },
    }
]

# ------------------------------------------------------------------------------
# Database
# ------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
_engine = DATABASES["default"]["ENGINE"]
if _engine == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Writers queue for the lock at BEGIN instead of failing half-way with
            # "database is locked"; WAL lets readers go on while one writes.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests on a file, not Django's shared in-memory database: there, concurrent writers get
    # "table is locked" at once instead of queueing as they do on the real file.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}


def _postgresql(database: dict) -> dict:
    """A PostgreSQL connection as the service keeps them (the primary and each replica)."""
    database["ENGINE"] = "django.db.backends.postgresql"
    database["CONN_HEALTH_CHECKS"] = True
    # A database that does not answer is a 503 within seconds, not a request that hangs: a
    # new connection gives up after DATABASE_CONNECT_TIMEOUT, a request waiting for a pooled
    # one after DATABASE_POOL_TIMEOUT.
    database.setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=2)
    )
    if env.bool("DATABASE_POOL", default=False):
        # Django's own psycopg pool; persistent connections must then be off.
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"]["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN", default=2),
            "max_size": env.int("DATABASE_POOL_MAX", default=10),
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=2.0),
        }
    else:
        database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    return database


if _engine in ("django.db.backends.postgresql", "django.db.backends.postgis"):
    _postgresql(DATABASES["default"])

# Read replicas (streaming standbys of the primary): delivery and EHR reads go to one of
# them, everything else to the primary (contentapi/replicas.py). The names are `replica1`,
# `replica2`, ... in the order given; they must be PostgreSQL, as the primary must.
DATABASE_REPLICA_URLS = env.list("DATABASE_REPLICA_URLS", default=[])
if DATABASE_REPLICA_URLS and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL.")
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    if not _url.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS: replica {_number} is not PostgreSQL.")
    DATABASES[f"replica{_number}"] = {
        **_postgresql(env.db_url_config(_url)),
        # Tests make no database of their own for a replica: it reads the primary's.
        "TEST": {"MIRROR": "default"},
    }
# Where the webhook worker LISTENs for changes, when DATABASE_URL goes through a pooler in
# transaction mode (PgBouncer), which cannot keep a LISTEN: the database itself.
DATABASE_DIRECT_URL = env.str("DATABASE_DIRECT_URL", default="")
if DATABASE_DIRECT_URL:
    if not DATABASE_DIRECT_URL.startswith(("postgres://", "postgresql://")) or (
        DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        raise ImproperlyConfigured("DATABASE_DIRECT_URL: it and DATABASE_URL must be PostgreSQL.")
    DATABASES["direct"] = {
        **_postgresql(env.db_url_config(DATABASE_DIRECT_URL)),
        "CONN_MAX_AGE": None,  # the listener's one connection, kept (never from a pool)
        "TEST": {"MIRROR": "default"},
    }
    DATABASES["direct"]["OPTIONS"].pop("pool", None)
DATABASE_ROUTERS = ["contentapi.replicas.ReplicaRouter"] if DATABASE_REPLICA_URLS else []
# After a replica failed to answer, the seconds before a process tries it again (the primary
# serves its reads meanwhile).
REPLICA_RETRY_SECONDS = env.float("REPLICA_RETRY_SECONDS", default=5.0)

# ------------------------------------------------------------------------------
# Cache
# ------------------------------------------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis away costs speed and rate limits, never a request (contentapi/cache.py).
    CACHES["default"]["BACKEND"] = "contentapi.cache.ResilientRedisCache"
# Answers kept until the live set changes (delivery/answers.py): the shared cache when there
# is one (CACHE_URL=redis://...), else a bounded one per process, so that answers crowd out
# neither API keys nor rate counters, and a worker's memory stays bounded.
CACHES["answers"] = (
    {**CACHES["default"], "KEY_PREFIX": "answers"}
    if not CACHES["default"]["BACKEND"].endswith("LocMemCache")
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "answers",
        "OPTIONS": {"MAX_ENTRIES": env.int("ANSWER_CACHE_ENTRIES", default=1000)},
    }
)
# Seconds an EHR answer (Infobutton, CDS Hooks cards) or a list count is kept (delivery/answers.py);
# any change to the live set makes it unreachable before that. 0 turns the cache off.
ANSWER_CACHE_SECONDS = env.int("ANSWER_CACHE_SECONDS", default=300)
# The hottest detail documents, kept in each process (delivery/hot.py): at most this many MB
# of them (0 turns it off), and never answered from a look at the feed older than
# HOT_DOCUMENTS_FRESH_MS milliseconds.
HOT_DOCUMENTS_MB = env.float("HOT_DOCUMENTS_MB", default=16)
HOT_DOCUMENTS_FRESH_MS = env.float("HOT_DOCUMENTS_FRESH_MS", default=100)

# ------------------------------------------------------------------------------
# Internationalisation: the locales articles may be written in
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The hospital's time zone: the staff pages show times in it and take a publisher's schedule
# in it. Everything stored, and every time in the API, is UTC (with its offset).
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(
        f"TIME_ZONE {TIME_ZONE!r} is not a time zone name such as America/Chicago."
    ) from exc
# On so that dates in reader-facing sentences (a document's review_statement) use Django's
# own month names in the article's language. The API itself answers in English: there is
# no LocaleMiddleware.
USE_I18N = True
LANGUAGES = [("en", "English"), ("es", "Spanish")]
USE_TZ = True
CONTENT_LOCALES = env.list("CONTENT_LOCALES", default=["en", "es"])
DEFAULT_CONTENT_LOCALE = env.str("DEFAULT_CONTENT_LOCALE", default="en")
if DEFAULT_CONTENT_LOCALE not in CONTENT_LOCALES:
    raise ImproperlyConfigured(
        f"DEFAULT_CONTENT_LOCALE {DEFAULT_CONTENT_LOCALE!r} is not one of CONTENT_LOCALES."
    )

# ------------------------------------------------------------------------------
# Static files (the Swagger UI and ReDoc assets come from drf-spectacular-sidecar)
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# ------------------------------------------------------------------------------
# Security
# ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto: trust it, send every plain-http
# request to https (the probes excepted: load balancers call them on the inside), and tell
# browsers to use https only (HSTS).
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT = BEHIND_TLS_PROXY
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=31_536_000) if BEHIND_TLS_PROXY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("HSTS_INCLUDE_SUBDOMAINS", default=False)
# No page of this service may be framed (clickjacking); HTML pages also get a content
# security policy (contentapi.middleware.ContentSecurityPolicyMiddleware).
X_FRAME_OPTIONS = "DENY"
# The whole request body may not exceed this; larger requests get 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_REQUEST_BYTES", default=1_048_576)

# Browsers on other origins (a portal's front end, an EHR's web client) may read the
# delivery API and call the EHR endpoints only: never the management API or previews, and
# never with a method that writes. The one POST allowed is the CDS Hooks service's, which
# reads the patient's context from the body and changes nothing
# (contentapi.middleware.CorsMiddleware).
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/(api/v1/(articles|topics|changes|infobutton)/|cds-services(/|$))"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_POST_URLS_REGEX = r"^/cds-services/"

# ------------------------------------------------------------------------------
# Signing in to the review pages (review/): Django's sessions, CSRF and password hashing
# ------------------------------------------------------------------------------
# Single sign-on later is configuration: add an OIDC backend (e.g. mozilla-django-oidc's
# OIDCAuthenticationBackend, mapping a claim to User.roles) to AUTH_BACKENDS and point
# LOGIN_URL at its start URL (docs/architecture.md, "The review pages").
AUTHENTICATION_BACKENDS = env.list(
    "AUTH_BACKENDS", default=["django.contrib.auth.backends.ModelBackend"]
)
LOGIN_URL = env.str("LOGIN_URL", default="review:sign-in")
LOGIN_REDIRECT_URL = "review:queue"
# Argon2id first (memory-hard); the others only read hashes made before it.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Writes a credential event for every password set (contentapi/credentials.py).
    {"NAME": "contentapi.credentials.PasswordChangeRecorder"},
]
# A reviewer's session lasts a working day; the cookies are never readable by scripts and,
# behind TLS, never sent over plain http.
SESSION_COOKIE_AGE = env.int("SESSION_SECONDS", default=12 * 3600)
# Session keys are stored hashed (review/sessions.py): a database dump signs nobody in.
SESSION_ENGINE = "review.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = BEHIND_TLS_PROXY
CSRF_COOKIE_SECURE = BEHIND_TLS_PROXY
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "review.views.csrf_failure"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# ------------------------------------------------------------------------------
# REST framework and OpenAPI
# ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["contentapi.authentication.StaffTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["contentapi.permissions.IsStaff"],
    "DEFAULT_PARSER_CLASSES": ["contentapi.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "contentapi.pagination.PageNumberLinks",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "contentapi.exception_handler.problem_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["contentapi.throttling.ClientRateThrottle"],
    # How many proxies in front append to X-Forwarded-For; 0 trusts only REMOTE_ADDR.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "UNAUTHENTICATED_USER": None,
    "PAGE_SIZE": 20,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DATETIME_FORMAT": "iso-8601",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Patient-education content API",
    "DESCRIPTION": (
        "Versioned, clinically reviewed patient-education articles.\n\n"
        "* **Management API** (`/api/v1/manage/`): editors write revisions, clinical reviewers "
        "approve them or request changes, publishers put them live. Authenticate with "
        "`Authorization: Token <token>`.\n"
        "* **Delivery API** (`/api/v1/`): live articles for portals and websites.\n"
        "* **EHR endpoints**: `/api/v1/infobutton/` (HL7 Infobutton, a drop-in for "
        "MedlinePlus Connect) and `/cds-services` (CDS Hooks).\n\n"
        "Every error is `application/problem+json` (RFC 9457)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1/",
    "TAGS": [
        {"name": "delivery", "description": "Live articles for portals and websites."},
        {"name": "preview", "description": "Any revision, rendered, for the web team."},
        {"name": "manage", "description": "Editing, review and publication (staff)."},
        {"name": "webhooks", "description": "Signed change notifications to subscribers (admins)."},
        {
            "name": "ehr",
            "description": "For EHRs: HL7 Infobutton (a drop-in for MedlinePlus Connect) and "
            "CDS Hooks.",
        },
        {
            "name": "audit",
            "description": "Proof of sign-off: an article's signed audit records, the signed "
            "checkpoints of every audit chain and the public keys, to check offline "
            "(docs/audit.md).",
        },
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RevisionStateEnum": "articles.models.RevisionState",
        "ArticleStatusEnum": "articles.models.ArticleStatus",
        "CodeSystemEnum": "delivery.codes.CodeSystem",
        "LocaleEnum": "config.settings.CONTENT_LOCALES",
        "ChangeKindEnum": "delivery.models.ChangeKind",
        "WebhookEventEnum": "webhooks.models.EVENT_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "contentapi.schema.problem_media_type_hook",
    ],
    # The bounded id converters of contentapi.converters, as the integers they are.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "format": "int64", "minimum": 1},
        "number": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    },
}

# ------------------------------------------------------------------------------
# The product
# ------------------------------------------------------------------------------
# Days between clinical reviews of a new article, unless the editor gives another interval.
DEFAULT_REVIEW_INTERVAL_DAYS = env.int("DEFAULT_REVIEW_INTERVAL_DAYS", default=365)
# CDS Hooks: the EHRs whose signed JWTs are accepted, each issuer (`iss`) with the URL of its
# JWKS (ehr/tokens.py), as a JSON object. Empty: Bearer tokens are refused (Api-Key works).
CDS_HOOKS_ISSUERS = env.json("CDS_HOOKS_ISSUERS", default={})
if not isinstance(CDS_HOOKS_ISSUERS, dict) or not all(
    isinstance(issuer, str) and isinstance(url, str) and url.startswith(("https://", "http://"))
    for issuer, url in CDS_HOOKS_ISSUERS.items()
):
    raise ImproperlyConfigured(
        "CDS_HOOKS_ISSUERS must be a JSON object of issuer -> JWKS URL, e.g. "
        '{"https://ehr.example.org": "https://ehr.example.org/.well-known/jwks.json"}.'
    )
# Where portals reach this service; absolute links in delivery documents start with it.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Webhooks (webhooks/): Fernet keys for the stored signing secrets (comma-separated, newest
# first: it encrypts, all decrypt; required in production, webhooks/secrets.py), the addresses
# outbound requests may reach though private (comma-separated addresses or networks), the time
# a receiver gets for a whole answer, and how often the worker looks for due deliveries.
# WEBHOOK_ENCRYPTION_KEY (one key) is the name earlier versions read.
WEBHOOK_ENCRYPTION_KEYS = env.list(
    "WEBHOOK_ENCRYPTION_KEYS", default=env.list("WEBHOOK_ENCRYPTION_KEY", default=[])
)
if not WEBHOOK_ENCRYPTION_KEYS and DEBUG:
    # Development only: a fixed key, as for SECRET_KEY above.
    WEBHOOK_ENCRYPTION_KEYS = ["ZGV2ZWxvcG1lbnQtb25seS1ub3QtYS1zZWNyZXQta2U="]
for _position, _key in enumerate(WEBHOOK_ENCRYPTION_KEYS, start=1):
    try:
        Fernet(_key.strip().encode())
    except ValueError:
        raise ImproperlyConfigured(
            f"WEBHOOK_ENCRYPTION_KEYS: key {_position} is not a Fernet key (32 url-safe "
            "base64-encoded bytes). Make one with: python -c 'from cryptography.fernet "
            "import Fernet; print(Fernet.generate_key().decode())'"
        ) from None
WEBHOOK_ALLOWED_PRIVATE_HOSTS = env.list("WEBHOOK_ALLOWED_PRIVATE_HOSTS", default=[])
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)
WEBHOOK_POLL_INTERVAL = env.float("WEBHOOK_POLL_INTERVAL", default=1.0)
# The audit trail (contentapi/signing.py, docs/audit.md): the Ed25519 key that signs every
# audit record and checkpoint (base64 of 32 bytes; `manage.py create_audit_signing_key`;
# required in production), the public keys of earlier signing keys (comma-separated), which
# keep verifying what they signed, and the most seconds between checkpoints while anything
# changes (publications, unpublications and re-certifications get one at once).
AUDIT_SIGNING_KEY = env.str("AUDIT_SIGNING_KEY", default="")
if not AUDIT_SIGNING_KEY and DEBUG:
    # Development only: a fixed key, as for SECRET_KEY above.
    AUDIT_SIGNING_KEY = "ZGV2ZWxvcG1lbnQtb25seS1hdWRpdC1zaWduaW5nLWs="
AUDIT_RETIRED_PUBLIC_KEYS = env.list("AUDIT_RETIRED_PUBLIC_KEYS", default=[])
AUDIT_CHECKPOINT_INTERVAL = env.float("AUDIT_CHECKPOINT_INTERVAL", default=3600.0)
if AUDIT_CHECKPOINT_INTERVAL <= 0:
    raise ImproperlyConfigured("AUDIT_CHECKPOINT_INTERVAL must be a number of seconds above 0.")
# true: the delivery API needs no API key (a public website); false: a delivery-scope key.
DELIVERY_PUBLIC = env.bool("DELIVERY_PUBLIC", default=False)
# The patient page of every live article at /{locale}/{slug}/ and its handout at
# /{locale}/{slug}.pdf (delivery/pages.py, delivery/handouts.py); off for a hospital that
# publishes the articles on its own website (set ARTICLE_PUBLIC_URL then).
PATIENT_PAGES = env.bool("PATIENT_PAGES", default=True)
# The paper handouts are printed on: `letter` (US) or `A4`.
HANDOUT_PAGE_SIZE = env.str("HANDOUT_PAGE_SIZE", default="letter")
if HANDOUT_PAGE_SIZE not in ("letter", "A4"):
    raise ImproperlyConfigured("HANDOUT_PAGE_SIZE must be `letter` or `A4`.")
# true: the EHR endpoints alone (Infobutton, CDS Hooks) need no API key, for EHRs that can be
# configured with a URL only; the rest of the delivery API keeps its key.
INFOBUTTON_PUBLIC = env.bool("INFOBUTTON_PUBLIC", default=False)
# What Infobutton and CDS Hooks do with a translation whose source has since changed meaning:
# `fallback` answers with the current article in the source language, marked as a language
# fallback that says a translation is being updated; `serve` serves the outdated translation,
# marked outdated.
OUTDATED_TRANSLATIONS = env.str("OUTDATED_TRANSLATIONS", default="fallback")
if OUTDATED_TRANSLATIONS not in ("fallback", "serve"):
    raise ImproperlyConfigured("OUTDATED_TRANSLATIONS must be `fallback` or `serve`.")
# Most articles in one Infobutton answer (MedlinePlus Connect gives up to 3).
INFOBUTTON_MAX_ENTRIES = env.int("INFOBUTTON_MAX_ENTRIES", default=3)
if not 1 <= INFOBUTTON_MAX_ENTRIES <= 50:
    raise ImproperlyConfigured("INFOBUTTON_MAX_ENTRIES must be between 1 and 50.")
# Where patients read an article, linked from Infobutton entries and CDS Hooks cards: a
# template naming {slug} and maybe {locale}, e.g. https://www.hospital.example/health/{locale}/{slug}/.
# Empty: this service's patient page (or, with PATIENT_PAGES off, the delivery API's URL).
ARTICLE_PUBLIC_URL = _url_template("ARTICLE_PUBLIC_URL")
# The hospital's name: the author of Infobutton feeds and the source of CDS Hooks cards.
PUBLISHER_NAME = env.str("PUBLISHER_NAME", default="Patient-education library")
# Seconds a process may trust an API key it has just checked (0: check every request).
API_KEY_CACHE_SECONDS = env.float("API_KEY_CACHE_SECONDS", default=5.0)
# Seconds browsers and CDNs may reuse a delivery response before revalidating it.
DELIVERY_MAX_AGE = env.int("DELIVERY_MAX_AGE", default=60)
# Seconds between runs of the scheduled-publication worker (its --interval in make run);
# the operator status flags a scheduled revision waiting longer than three of these.
SCHEDULE_INTERVAL = env.float("SCHEDULE_INTERVAL", default=10.0)
# /metrics needs `Authorization: Bearer <METRICS_TOKEN>` when this is set (recommended).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Rate limits, shared by every process through the cache (Redis with CACHE_URL=redis://...):
# per integrator key (a key may carry its own), per staff user, and per client address for
# requests with invalid credentials.
RATE_LIMIT_DELIVERY = _rate("RATE_LIMIT_DELIVERY", "6000/min")
RATE_LIMIT_STAFF = _rate("RATE_LIMIT_STAFF", "600/min")
RATE_LIMIT_AUTH_FAILURES = _rate("RATE_LIMIT_AUTH_FAILURES", "30/min")
# Longest article body an editor may save, in characters (documented in the API).
MAX_BODY_CHARS = env.int("MAX_BODY_CHARS", default=200_000)
# And its structure, which is what rendering time grows with (bench/render_worst.py): lines,
# and inline Markdown markup characters. A 900-word article uses ~100 and ~300.
MAX_BODY_LINES = env.int("MAX_BODY_LINES", default=2_000)
MAX_BODY_MARKUP = env.int("MAX_BODY_MARKUP", default=6_000)

# ------------------------------------------------------------------------------
# Logging: one JSON line per record to stderr (LOG_FORMAT=plain for a terminal)
# ------------------------------------------------------------------------------
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "contentapi.logs.JsonFormatter"},
        "plain": {"()": "contentapi.logs.PlainFormatter"},
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["stderr"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Handouts: WeasyPrint logs each step of every PDF, and fontTools each table it
        # prunes, at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
