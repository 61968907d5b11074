"""Netralitas settings: one module, driven by environment variables (see .env.example).

The defaults run the whole system on one machine with nothing else installed: the embedded PostgreSQL that
``make run`` keeps in var/postgres, and a Celery broker on the file system. ``DATABASE_URL`` names another
PostgreSQL server (the only database the project runs on) and ``CELERY_BROKER_URL`` Redis. A value that cannot
be understood stops start-up with a message naming the variable.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from netralitas.config import BROKER_SCHEMES, Config, socket_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# A .env file beside manage.py is read when present; real environment variables win over it.
if (BASE_DIR / ".env").is_file() and not os.environ.get("NETRALITAS_IGNORE_DOTENV"):
    environ.Env.read_env(BASE_DIR / ".env")

config = Config()

DEBUG = config.bool("DEBUG", default=False)

SECRET_KEY = config.str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "development-only-not-secret-" + "x" * 32

ALLOWED_HOSTS = config.list("ALLOWED_HOSTS", default=[])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is required when DEBUG is off: the host names this site answers to, comma-separated "
        "(e.g. netralitas.example.go.id). Without it every request would be refused."
    )
CSRF_TRUSTED_ORIGINS = config.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "pgtrigger",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "netralitas.reference",
    "netralitas.accounts",
    "netralitas.notify",
    "netralitas.ops",
    "cases",
    "outreach",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "netralitas.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # request.htmx: whether the request came from htmx, and what it asked (django-htmx).
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Read-only roles (pemkab) cannot write anywhere: after authentication, before any view.
    "netralitas.accounts.middleware.ReadOnlyRoleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "netralitas.middleware.HtmxLoginRedirectMiddleware",
    # After the htmx one, so that an htmx request sent to the login page or the code page becomes HX-Redirect:
    # a session idle too long is ended; a session that still owes its second factor reaches only the code page.
    "netralitas.accounts.middleware.IdleSessionMiddleware",
    "netralitas.accounts.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "netralitas.urls"
# Form widgets render through templates/django/forms/widgets/, which add Bootstrap's classes.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "netralitas.wsgi.application"
ASGI_APPLICATION = "netralitas.asgi.application"

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
                "netralitas.accounts.context_processors.navigation",
                "netralitas.notify.context_processors.choices",
                "cases.context_processors.choices",
                "outreach.context_processors.choices",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
# PostgreSQL only. Without DATABASE_URL: the embedded server whose data `make run` keeps in var/postgres
# (`manage.py with_database` starts and stops it), reached through its Unix socket in that folder.
EMBEDDED_POSTGRES_DIR = VAR_DIR / "postgres"
EMBEDDED_DATABASE_NAME = "netralitas"
DATABASES = {
    "default": config.database(
        "DATABASE_URL", default=socket_database_url(EMBEDDED_POSTGRES_DIR, EMBEDDED_DATABASE_NAME)
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = config.int("DATABASE_CONN_MAX_AGE", default=60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = config.int(
    "DATABASE_CONNECT_TIMEOUT", default=5, minimum=1
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The only URLs a read-only (pemkab) user may POST to. Only the user's own account actions belong here, never
# anything that changes case or outreach data: signing out, changing one's password, one's own calendar feed
# addresses (created and revoked by each user). Notification "mark as read" and preferences come here too.
READ_ONLY_ROLE_WRITABLE_URL_NAMES = [
    "accounts:logout",
    "accounts:password_change",
    # Completing one's own sign-in with the second factor changes only one's session. A pemkab user cannot turn
    # the second factor on (its pages are for koordinator and admin), but one who did as a koordinator before
    # becoming pemkab-only must still be able to sign in.
    "accounts:otp_verify",
    "outreach:feeds",
    "notify:open",
    "notify:read_all",
    "notify:preferences",
]
# Password rules, shown under the new-password field and explained in Indonesian when broken: at least
# PASSWORD_MIN_LENGTH characters, not one of 20,000 common passwords, not like the user's own names or e-mail,
# not digits only.
PASSWORD_MIN_LENGTH = config.int("PASSWORD_MIN_LENGTH", default=10, minimum=8)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "first_name", "last_name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A sign-in lasts SESSION_COOKIE_AGE seconds at most (8 hours: a working day), and ends earlier after
# SESSION_IDLE_MINUTES without a request (0: never for inactivity). The person then signs in again and is taken
# back to the page they were on.
SESSION_COOKIE_AGE = config.int("SESSION_COOKIE_AGE", default=8 * 60 * 60, minimum=60)
SESSION_IDLE_MINUTES = config.int("SESSION_IDLE_MINUTES", default=60, minimum=0)

# Second factor (django-otp): koordinator, admin and superusers may add an authenticator app (TOTP). Once they
# have, every sign-in asks for its 6-digit code (or a one-time backup code) after the password. An office may
# require it: OTP_REQUIRED_FOR_ROLES lists the roles (koordinator, admin, superuser) who must set it up before
# anything else. API tokens are not affected.
OTP_REQUIRED_FOR_ROLES = frozenset(config.list("OTP_REQUIRED_FOR_ROLES", default=[]))
_unknown_otp_roles = OTP_REQUIRED_FOR_ROLES - {"koordinator", "admin", "superuser"}
if _unknown_otp_roles:
    raise ImproperlyConfigured(
        f"OTP_REQUIRED_FOR_ROLES={','.join(sorted(OTP_REQUIRED_FOR_ROLES))!r}: use koordinator, admin and/or "
        "superuser (comma-separated); other roles cannot set up the second factor."
    )
OTP_TOTP_ISSUER = config.str("OTP_TOTP_ISSUER", default="Netralitas")
# Wrong codes wait 1, 2, 4, 8 ... seconds (django-otp), and count as failed sign-ins for the lockout below.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_BACKUP_CODE_COUNT = 10
# The admin site never shows a device's secret or its QR code (whoever saw it could copy the second factor):
# a lost phone is handled by deleting the device, and the user sets up a new one.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Housekeeping (accounts.purge_expired, nightly): how long the sign-in activity is kept.
SIGN_IN_LOG_DAYS = config.int("SIGN_IN_LOG_DAYS", default=365, minimum=1)

# --- HTTPS and browser security --------------------------------------------------------------------------
# HTTPS: the site is reached over HTTPS (directly or through a proxy that terminates TLS). On by default when
# DEBUG is off: plain HTTP is redirected to HTTPS, cookies are sent over HTTPS only, browsers are told by
# HSTS to use HTTPS only. Set HTTPS=false only for a closed network without TLS (check --deploy then warns).
HTTPS = config.bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = config.bool("SECURE_COOKIES", default=HTTPS)
SECURE_SSL_REDIRECT = HTTPS
# /healthz answers over plain HTTP too: load balancers and the container health check ask it that way.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = config.int("HSTS_SECONDS", default=31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = config.bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
# Asking browsers to preload HTTPS for the domain is the domain owner's decision (it binds every host of the
# registrable domain, e.g. a whole *.go.id office domain), made once at hstspreload.org; off unless asked for,
# and check --deploy's reminder about it is then silenced on purpose.
SECURE_HSTS_PRELOAD = config.bool("HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Behind a proxy that terminates TLS, the request arrives over HTTP: the proxy's X-Forwarded-Proto says
# whether the client used HTTPS. Trusted only when there is a proxy (TRUSTED_PROXY_COUNT > 0), which must
# set the header itself (overwriting any the client sent).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy sent with every page (netralitas/security.py): scripts, styles, images, fonts and
# connections from this site only; no inline script or style, no plugins, no framing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is refused until the cool-off has passed. Attempts are kept in the database, so the
# throttle holds across processes and does not depend on Redis.
AXES_FAILURE_LIMIT = config.int("LOGIN_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=config.int("LOGIN_COOLOFF_MINUTES", default=15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False
# What axes keeps of a failed attempt's form (masked: its defaults, and the password, the code, the CSRF token).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code", "csrfmiddlewaretoken"]
# Behind N reverse proxies, the client's address is read from X-Forwarded-For (see netralitas/clientip.py);
# without this every client would share the proxy's address and one attacker could lock anyone out.
TRUSTED_PROXY_COUNT = config.int("TRUSTED_PROXY_COUNT", default=0, minimum=0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
AXES_CLIENT_IP_CALLABLE = "netralitas.clientip.client_ip"

# --- Internationalisation ------------------------------------------------------------------------------
# The interface speaks Indonesian whatever language the browser asks for (no LocaleMiddleware: many
# Indonesian users' browsers say en-US). English is one setting away: LANGUAGE_CODE=en.
LANGUAGE_CODE = config.choice("LANGUAGE_CODE", "id", {"id", "en"})
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["netralitas.formats"]

# Indonesian national holidays from the `holidays` package: "public" holidays and the "government"
# category, which holds the joint-decree collective leave days (cuti bersama).
HOLIDAY_CATEGORIES = tuple(config.list("HOLIDAY_CATEGORIES", default=["public", "government"]))
_unknown_categories = set(HOLIDAY_CATEGORIES) - {"public", "government"}
if _unknown_categories or not HOLIDAY_CATEGORIES:
    raise ImproperlyConfigured(
        f"HOLIDAY_CATEGORIES={','.join(HOLIDAY_CATEGORIES)!r}: use public and/or government (comma-separated)."
    )

# --- Static and media files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(config.str("MEDIA_ROOT") or VAR_DIR / "media")
# Evidence, letters and outreach materials: on the local file system (MEDIA_ROOT) by default, or in an
# S3-compatible bucket (MinIO, a cloud bucket) with MEDIA_STORAGE=s3. Never publicly readable either way:
# objects are private and every file is served through the application's permission check.
MEDIA_STORAGE = config.choice("MEDIA_STORAGE", "local", {"local", "s3"})
if MEDIA_STORAGE == "s3":
    if not config.str("S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET (and usually S3_ENDPOINT_URL and keys).")
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": config.str("S3_BUCKET"),
            "endpoint_url": config.str("S3_ENDPOINT_URL") or None,
            "region_name": config.str("S3_REGION") or None,
            "access_key": config.str("S3_ACCESS_KEY_ID") or None,
            "secret_key": config.str("S3_SECRET_ACCESS_KEY") or None,
            "location": config.str("S3_PREFIX", default="media"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    # Django's file storage, writing each file under a temporary name first (see netralitas/storage.py).
    _default_storage = {"BACKEND": "netralitas.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Evidence files: allowed types are checked against the file's content, not its name.
EVIDENCE_MAX_BYTES = config.int("EVIDENCE_MAX_MB", default=50, minimum=1) * 1_000_000
# The periodic check of stored evidence against its SHA-256 (cases.verify_evidence_files, every 15 minutes):
# at most this many files a run, each file again after this many days (1,000 a run: 96,000 a day, so the
# 600,000 files of a national installation are all read within a week).
EVIDENCE_VERIFY_BATCH = config.int("EVIDENCE_VERIFY_BATCH", default=1000, minimum=1)
EVIDENCE_VERIFY_DAYS = config.int("EVIDENCE_VERIFY_DAYS", default=7, minimum=1)
DEFAULT_EVIDENCE_TYPES = [
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "image/heic",
    "video/mp4",
    "video/webm",
    "video/quicktime",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "audio/mpeg",
    "audio/ogg",
    "audio/mp4",
]
EVIDENCE_ALLOWED_TYPES = frozenset(config.list("EVIDENCE_ALLOWED_TYPES", default=[]) or DEFAULT_EVIDENCE_TYPES)

# Reports from the public page (/lapor/): how many one network address may send in an hour. Later ones are
# refused with the form kept, until the hour has passed; the earlier ones are kept.
PUBLIC_REPORT_LIMIT_PER_HOUR = config.int("PUBLIC_REPORT_LIMIT_PER_HOUR", default=5, minimum=1)

# Letters (PDF): the first line of the letterhead above the office's name.
LETTERHEAD_TITLE = config.str("LETTERHEAD_TITLE", default="BADAN PENGAWAS PEMILIHAN UMUM")
# Days the regent (PPK) is given to act on a recommendation when the regency has no PPK institution row with
# its own figure. 10 days was stated by a ministry official in 2020; the figure is uncertain, so it is a setting.
PPK_FOLLOWUP_DAYS = config.int("PPK_FOLLOWUP_DAYS", default=10, minimum=1)

# --- E-mail ---------------------------------------------------------------------------------------------
_email = config.email("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = config.str("DEFAULT_FROM_EMAIL", default="Netralitas <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Notifications and reminders -----------------------------------------------------------------------
# The address people use to reach the site: links in e-mail point there.
SITE_URL = config.url("SITE_URL", default="http://127.0.0.1:8000", schemes=frozenset({"http", "https"}))
# A dashboard over several regencies (province, national office) is counted at most once per this many
# seconds per filter; a single regency's dashboard is always counted afresh. 0 turns it off.
DASHBOARD_CACHE_SECONDS = config.int("DASHBOARD_CACHE_SECONDS", default=60, minimum=0)
# The public follow-up page of an election is counted at most once per this many seconds per election (its
# visitors, however many, share the figures). 0 turns it off.
PUBLIC_FIGURES_CACHE_SECONDS = config.int("PUBLIC_FIGURES_CACHE_SECONDS", default=300, minimum=0)
# Django's caches: "default" (the API throttle's counts) and "figures" (those figures). With CACHE_URL=locmem://
# each web process keeps its own in memory; with a Redis URL (docker-compose.yml sets one) django-redis keeps both
# there, shared by every web process. A Redis that is down or hung reads as an empty cache (IGNORE_EXCEPTIONS:
# nothing found, writes dropped, failures logged): figures are counted for the request, the throttle lets it
# through. Each operation waits at most half a second, so a hung Redis costs a dashboard request over several
# regencies about a second (a read and a write). Raise the figures' VERSION (part of every key) when
# dashboard.selectors.Figures changes, so one release never reads what another stored (tested). Give each
# installation a Redis database of its own (the keys name no installation).
CACHE_URL = config.url("CACHE_URL", default="locmem://", schemes=frozenset({"locmem", "redis", "rediss"}))


def cache_settings(url: str, *, prefix: str, version: int) -> dict:
    """One of CACHES: in this process's memory for ``locmem://``, else in Redis through django-redis."""
    if url.lower().startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix, "VERSION": version}
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "VERSION": version,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }


CACHES = {
    "default": cache_settings(CACHE_URL, prefix="netralitas", version=1),
    "figures": cache_settings(CACHE_URL, prefix="netralitas-figures", version=1),
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # a Redis that fails is logged (logger django_redis.cache)

# Day-based reminders (deadlines H-1, due today, overdue; sessions H-7 and H-1) go out from this hour,
# Asia/Jakarta time, not at midnight. Reminders two hours before a session go out at any hour.
REMINDER_HOUR = config.int("REMINDER_HOUR", default=7, minimum=0)
if REMINDER_HOUR > 23:
    raise ImproperlyConfigured(f"REMINDER_HOUR={REMINDER_HOUR} must be an hour from 0 to 23.")
# Attempts to send one e-mail (with 1, 2, 4 ... minutes between them, at most an hour) before it is marked
# failed and shown to admins on the outbox page.
NOTIFY_MAX_ATTEMPTS = config.int("NOTIFY_MAX_ATTEMPTS", default=8, minimum=1)
# Webhooks (events posted to the API clients' addresses, docs/api.md): the seconds a receiver has to answer
# (a slow one is retried with the same back-off as e-mail), and whether a client's address may be plain
# http:// to this machine: in development only, never settable in production.
WEBHOOK_TIMEOUT = config.int("WEBHOOK_TIMEOUT", default=10, minimum=1)
WEBHOOK_HTTP_LOOPBACK = DEBUG

# --- Celery ---------------------------------------------------------------------------------------------
# Without CELERY_BROKER_URL the broker is a folder on disk (kombu's filesystem transport): a worker and
# beat run with no server at all. Production uses Redis.
CELERY_BROKER_URL = config.url("CELERY_BROKER_URL", default="filesystem://", schemes=BROKER_SCHEMES)
CELERY_BROKER_FOLDER = VAR_DIR / "celery"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A message is acknowledged after its task ran, and given back if the worker died running it: nothing is
# lost when a worker is killed. Delivery itself is idempotent (see netralitas/notify/services.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Publishing from a web request never waits long for a broker that is down: the outbox keeps the message.
CELERY_TASK_PUBLISH_RETRY = False

# --- REST API (docs/api.md) ----------------------------------------------------------------------------
# Token authentication per API client (netralitas.accounts.ApiToken); no sessions, so no CSRF and no pemkab
# user on these URLs. Throttling counts per client in Django's default cache: shared by the web processes in
# Redis when CACHE_URL names one (a Redis that fails lets requests through, see CACHES), else per process.
API_THROTTLE_RATE = config.str("API_THROTTLE_RATE", default="1200/hour")
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", API_THROTTLE_RATE):
    raise ImproperlyConfigured(
        f"API_THROTTLE_RATE={API_THROTTLE_RATE!r}: write it as a number of requests per unit, e.g. 1200/hour."
    )
API_TOKEN_DAYS = config.int("API_TOKEN_DAYS", default=365, minimum=1)
API_PAGE_SIZE = config.int("API_PAGE_SIZE", default=100, minimum=1)
# Housekeeping (accounts.purge_expired, nightly): how long the API request log and Idempotency-Keys are kept.
API_LOG_DAYS = config.int("API_LOG_DAYS", default=180, minimum=1)
IDEMPOTENCY_KEY_DAYS = config.int("IDEMPOTENCY_KEY_DAYS", default=7, minimum=1)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["netralitas.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["netralitas.api.permissions.IsApiClient"],
    "DEFAULT_THROTTLE_CLASSES": ["netralitas.api.throttling.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["netralitas.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "netralitas.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Netralitas API",
    "DESCRIPTION": "Penerusan pelanggaran netralitas ASN untuk lembaga penerima (BKN, KASN, KemenPAN-RB): "
    "sinkronisasi, unduhan CSV/XLSX dan tanggapan balik. Panduan: docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Logging: one line per record on stdout, JSON by default -------------------------------------------
LOG_LEVEL = config.choice("LOG_LEVEL", "INFO", {"debug", "info", "warning", "error"}).upper()
LOG_FORMAT = config.choice("LOG_FORMAT", "json", {"json", "text"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "netralitas.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "celery": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        # Each django-axes lockout is logged as a warning: worth seeing, not worth an e-mail.
        "axes": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
    },
}

# --- Health check ---------------------------------------------------------------------------------------
HEALTH_BROKER_TIMEOUT = 2  # seconds /healthz waits for the broker before calling it down
