"""Settings for Innovasjonsportalen.

Every value that differs between machines comes from the one ``env`` object below, so the whole
configuration is listed in one place (README, "Configuration"). Local defaults run with nothing
set: SQLite under ``var/``, an embedded filesystem broker for Celery, DEBUG on, console e-mail.
With DEBUG off, a missing secret or an unsafe host list stops the start-up instead of falling
back to a default.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real deployments set the environment

# The local run's data: the SQLite database, the embedded broker's queues, media and attachments
# (beat's schedule too, through the Procfile). Another folder runs a second, separate local
# portal, as the smoke crawl does (tests/test_smoke_crawl.py). A relative path is from BASE_DIR.
VAR_DIR = BASE_DIR / env.str("VAR_DIR", default="var")

DEBUG = env.bool("DEBUG", default=True)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# --- Secrets and hosts: refuse unsafe production configuration ------------------------------
_LOCAL_DEMO_SECRET_KEY = "local-demo-only-not-secret"  # noqa: S105 - obvious local demo value
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if DEBUG:
    SECRET_KEY = SECRET_KEY or _LOCAL_DEMO_SECRET_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
else:
    if not SECRET_KEY or SECRET_KEY == _LOCAL_DEMO_SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
    if any(host.strip() in {"*", ".*", ""} for host in ALLOWED_HOSTS):
        raise ImproperlyConfigured("ALLOWED_HOSTS must name the hosts; '*' is not allowed when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "portal.admin_config.PortalAdminConfig",  # the admin, on our site that demands a verified second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_email",  # the mailed code staff give when setting up their first device
    "simple_history",  # configuration history: calls, forms, criteria, staff roles, review settings
    "portal",
    "accounts",
    "organisations",
    "schemes",
    "applications",
    "review",
    "casework",
    "attachments",
    "scheduling",
    "projects",
    "retention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Notes whether a request that may write committed anything, for the fault pages.
    "portal.faults.FaultMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Configuration history (django-simple-history) records who made a change in this request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Permissions-Policy everywhere, Cache-Control: no-store for logged-in people.
    "portal.middleware.SecurityHeadersMiddleware",
    # Sets request.user.otp_device / is_verified() from the session (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # After authentication, because a logged-in person's stored language is one of its sources.
    # Nothing before it renders text (we have no i18n_patterns for CommonMiddleware to redirect).
    "portal.middleware.LocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into our lockout page.
    "axes.middleware.AxesMiddleware",
    # A session whose person has two-factor on but has not yet given a code opens nothing else.
    "accounts.middleware.TwoFactorPendingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-page"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite for the local default; PostgreSQL (psycopg2) when DATABASE_URL says so, with persistent
# connections and a health check so a connection dropped by the server is replaced, not reused.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # Several local processes (web, worker, beat) share the file: wait for a lock, don't fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The admin shows configuration history; it never rolls a call or a role back from it (a change
# is made again, and recorded, through the ordinary forms).
SIMPLE_HISTORY_REVERT_DISABLED = True

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Brute-force protection (django-axes): after AXES_FAILURE_LIMIT failed logins for one account
# from one address, that pair is locked for AXES_COOLOFF_MINUTES. Locking on the pair, not on the
# account alone, means an attacker cannot lock a known person out from elsewhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
# The client address behind TRUSTED_PROXY_COUNT proxies that each append to X-Forwarded-For
# (0: REMOTE_ADDR itself); axes and the throttles count by the same address (portal.throttle).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))
AXES_CLIENT_IP_CALLABLE = "portal.throttle.axes_client_ip"

# Throttles (portal.throttle), (count, seconds) per scope and key, counted in the cache.
THROTTLES = {
    # Failed logins from one address across all accounts (password spraying); axes still locks
    # one account from one address after AXES_FAILURE_LIMIT.
    "login-ip": (env.int("THROTTLE_LOGIN_PER_IP", default=30), 15 * 60),
    # Password-reset requests: per e-mail address asked for, and per address asking.
    "reset-account": (env.int("THROTTLE_RESET_PER_ACCOUNT", default=3), 60 * 60),
    "reset-ip": (env.int("THROTTLE_RESET_PER_IP", default=10), 60 * 60),
    # Invitations sent: per inviting person, and per address.
    "invite-user": (env.int("THROTTLE_INVITE_PER_USER", default=20), 60 * 60),
    "invite-ip": (env.int("THROTTLE_INVITE_PER_IP", default=40), 60 * 60),
}

# Invitations to join an organisation: the link works once, for this many days.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# --- ID-porten (OpenID Connect) ------------------------------------------------------------
# Off by default. When on, /logg-inn/ offers "Logg inn med ID-porten": the authorization code flow
# with PKCE (S256), state and nonce, through mozilla-django-oidc's request view and token/JWKS
# handling (accounts/idporten.py). The ID token must be RS256-signed by a key in the JWKS and carry
# our issuer, our client id as audience, an unexpired exp, our nonce and an acr of at least
# idporten-loa-substantial. People are matched on the pid claim to a user who linked ID-porten
# from Min side; no account is ever created from ID-porten. Endpoint defaults are ID-porten's
# production values (its discovery document, <issuer>/.well-known/openid-configuration).
IDPORTEN_ENABLED = env.bool("IDPORTEN_ENABLED", default=False)
IDPORTEN_ISSUER = env.str("IDPORTEN_ISSUER", default="https://idporten.no")
IDPORTEN_CLIENT_ID = env.str("IDPORTEN_CLIENT_ID", default="")
IDPORTEN_CLIENT_SECRET = env.str("IDPORTEN_CLIENT_SECRET", default="")
# Key of the HMAC under which a linked person's pid (fødselsnummer) is stored; see accounts.models.
_LOCAL_DEMO_PID_KEY = "local-demo-only-pid-key"
IDPORTEN_PID_KEY = env.str("IDPORTEN_PID_KEY", default="")
IDPORTEN_SCOPES = env.str("IDPORTEN_SCOPES", default="openid profile")
IDPORTEN_ACR_VALUES = env.str("IDPORTEN_ACR_VALUES", default="idporten-loa-substantial")
IDPORTEN_AUTHORIZATION_ENDPOINT = env.str(
    "IDPORTEN_AUTHORIZATION_ENDPOINT", default="https://login.idporten.no/authorize"
)
IDPORTEN_TOKEN_ENDPOINT = env.str("IDPORTEN_TOKEN_ENDPOINT", default="https://idporten.no/token")
IDPORTEN_JWKS_ENDPOINT = env.str("IDPORTEN_JWKS_ENDPOINT", default="https://idporten.no/jwks.json")
IDPORTEN_END_SESSION_ENDPOINT = env.str("IDPORTEN_END_SESSION_ENDPOINT", default="https://login.idporten.no/logout")
if IDPORTEN_ENABLED:
    if not IDPORTEN_CLIENT_ID:
        raise ImproperlyConfigured("IDPORTEN_CLIENT_ID must be set when IDPORTEN_ENABLED is on.")
    if DEBUG:
        IDPORTEN_PID_KEY = IDPORTEN_PID_KEY or _LOCAL_DEMO_PID_KEY
    else:
        if not IDPORTEN_CLIENT_SECRET:
            raise ImproperlyConfigured(
                "IDPORTEN_CLIENT_SECRET must be set when IDPORTEN_ENABLED is on and DEBUG is off."
            )
        if not IDPORTEN_PID_KEY or IDPORTEN_PID_KEY == _LOCAL_DEMO_PID_KEY:
            raise ImproperlyConfigured("IDPORTEN_PID_KEY must be set when IDPORTEN_ENABLED is on and DEBUG is off.")

# mozilla-django-oidc reads its own names; they are derived from the IDPORTEN_* values only.
OIDC_RP_CLIENT_ID = IDPORTEN_CLIENT_ID
OIDC_RP_CLIENT_SECRET = IDPORTEN_CLIENT_SECRET
OIDC_RP_SCOPES = IDPORTEN_SCOPES
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_OP_AUTHORIZATION_ENDPOINT = IDPORTEN_AUTHORIZATION_ENDPOINT
OIDC_OP_TOKEN_ENDPOINT = IDPORTEN_TOKEN_ENDPOINT
OIDC_OP_JWKS_ENDPOINT = IDPORTEN_JWKS_ENDPOINT
OIDC_OP_USER_ENDPOINT = ""  # unused: the ID token carries pid, so userinfo is never called
OIDC_AUTHENTICATION_CALLBACK_URL = "idporten-callback"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_TOKEN_USE_BASIC_AUTH = True  # client_secret_basic, ID-porten's default for a secret
OIDC_TIMEOUT = 10  # seconds for each call to the token and JWKS endpoints

# Two-factor authentication (django-otp): TOTP in an authenticator app, with one-time backup codes.
# Each wrong code doubles the wait before the next try on that device (1, 2, 4, 8 … seconds), so
# guessing a 6-digit code is hopeless; a right code resets it.
OTP_TOTP_ISSUER = "Innovasjonsportalen"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret key
# Staff setting up a device also give a code mailed to them (accounts/services.py), so the password
# alone cannot enrol an attacker's app. We send the mail ourselves, in the person's language; the
# code lasts 10 minutes, a new one can be asked for once a minute, wrong codes are throttled as above.
OTP_EMAIL_TOKEN_VALIDITY = 600
OTP_EMAIL_COOLDOWN_DURATION = 60
OTP_EMAIL_THROTTLE_FACTOR = 1

# --- Passwords ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# How long a password reset link works. The link also stops working once it has been used (the
# token is bound to the password hash) and when the user logs in again (bound to last_login).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_MINUTES", default=60) * 60

# --- Language, time, formats ----------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("nn", _("Norsk nynorsk")), ("en", _("English"))]
# Ours first; then the hand-kept translations of Django's own strings that its nb/nn catalogues lack
# (Django 6.1's «- Select an option -», the admin's time-zone note) or word badly («Legg til ny trinn»).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "django-overrides"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["portal.formats"]

# --- Static files ---------------------------------------------------------------------------
# Designsystemet comes from npm (package-lock.json) and is served by whitenoise after
# collectstatic; nothing is loaded from a CDN.
STATIC_URL = "static/"
# Built by `make install` (collectstatic), so it stays in the checkout's var/ whatever VAR_DIR says.
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
_NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/designsystemet-css", _NODE_MODULES / "@digdir" / "designsystemet-css" / "dist" / "src"),
    ("vendor/designsystemet-theme", _NODE_MODULES / "@digdir" / "designsystemet-theme" / "brand"),
    ("vendor/inter", _NODE_MODULES / "@fontsource-variable" / "inter"),  # the theme's typeface, self-hosted
    ("vendor/htmx", _NODE_MODULES / "htmx.org" / "dist"),  # progressive enhancement of the catalogue's filters
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))

# --- Uploaded files -------------------------------------------------------------------------
# Attachments live in a private directory that no URL and no whitenoise root points at; they are
# read only by attachments.views.file_download after a permission check. It must not lie inside
# STATIC_ROOT, MEDIA_ROOT or the static sources, where something might one day serve it.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
for _public in (STATIC_ROOT, MEDIA_ROOT, BASE_DIR / "static"):
    if Path(PRIVATE_MEDIA_ROOT).resolve().is_relative_to(Path(_public).resolve()):
        raise ImproperlyConfigured(f"PRIVATE_MEDIA_ROOT must lie outside {_public}, which may be served.")
STORAGES["private"] = {
    "BACKEND": "attachments.storage.PrivateFileStorage",
    "OPTIONS": {
        "location": str(PRIVATE_MEDIA_ROOT),
        "base_url": None,
        "file_permissions_mode": 0o640,
        "directory_permissions_mode": 0o750,
    },
}
# With a bucket named, attachments go to an S3-compatible object store instead (MinIO in
# docker-compose.yml, or any S3 service), so that no file lives on one web or worker host and any
# number of replicas serve the same files (README, «Several web and worker replicas»). The bucket
# must not be public: objects are written private and no URL to one is ever made, since files
# still leave only through the permission-checked download view. Without a key pair, boto3 finds
# credentials itself (an instance role, AWS_* variables); without an endpoint, it is AWS S3.
PRIVATE_STORAGE_S3_BUCKET = env.str("PRIVATE_STORAGE_S3_BUCKET", default="")
if PRIVATE_STORAGE_S3_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "attachments.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_STORAGE_S3_BUCKET,
            "endpoint_url": env.str("PRIVATE_STORAGE_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("PRIVATE_STORAGE_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("PRIVATE_STORAGE_S3_REGION", default="") or None,
            # "path" (bucket in the path) suits MinIO and most S3-compatible stores; "virtual" is AWS's own.
            "addressing_style": env.str("PRIVATE_STORAGE_S3_ADDRESSING_STYLE", default="path"),
            # A bucket with ACLs disabled (AWS "bucket owner enforced") refuses any ACL: set it empty there.
            "default_acl": env.str("PRIVATE_STORAGE_S3_ACL", default="private") or None,
            "location": env.str("PRIVATE_STORAGE_S3_PREFIX", default=""),
        },
    }
# The largest file any attachment slot may allow; a slot's own limit is at most this. A request
# carrying a bigger file is refused while it streams in (attachments.upload_handlers), before it
# fills the temporary directory. Files above FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to the system's
# temporary directory (FILE_UPLOAD_TEMP_DIR unset) rather than held in memory.
MAX_UPLOAD_MB = env.int("MAX_UPLOAD_MB", default=20)
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB, Django's default
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # the non-file part of a request body (Django's default)
FILE_UPLOAD_HANDLERS = [
    "attachments.upload_handlers.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- E-mail ---------------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.no:587, becomes Django 6.1's MAILERS.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": 30,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _smtp_options.items() if v} if "smtp" in _email["EMAIL_BACKEND"] else {},
    }
}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Innovasjonsportalen <ikke-svar@innovasjonsportalen.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people report accessibility problems (named in the accessibility statement).
ACCESSIBILITY_CONTACT_EMAIL = env.str("ACCESSIBILITY_CONTACT_EMAIL", default="tilgjengelighet@innovasjonsportalen.no")

# --- Security headers -----------------------------------------------------------------------
# Django's own CSP: only our origin, scripts and styles need the per-request nonce, no inline
# code without it, no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if IDPORTEN_ENABLED:
    # The "Koble til ID-porten" and "Logg ut" forms answer with a redirect to ID-porten, which
    # form-action governs too.
    SECURE_CSP["form-action"] += sorted(
        {_origin(IDPORTEN_AUTHORIZATION_ENDPOINT), _origin(IDPORTEN_END_SESSION_ENDPOINT)}
    )
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions end after this much inactivity: each request moves the expiry forward.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
# Django's database sessions, logging a database outage as itself (portal/sessions.py).
SESSION_ENGINE = "portal.sessions"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    # TLS is terminated by the proxy in front of gunicorn, which sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]  # probes inside the cluster speak plain HTTP
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# --- Celery ---------------------------------------------------------------------------------
# Without REDIS_URL the broker is kombu's filesystem transport under var/celery: real queues on
# disk that the worker and beat started by `make run` share, so no Redis is needed locally.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_FILESYSTEM_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Longer than any task's hard time limit, and no ETA/countdown is ever longer than a
        # few minutes, so Redis never redelivers a task that is still running or waiting.
        "visibility_timeout": 60 * 60,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_FILESYSTEM_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_FILESYSTEM_DIR / "control"),
        "processed_folder": str(CELERY_BROKER_FILESYSTEM_DIR / "processed"),
        "store_processed": False,
    }
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="portal")
# Connections to the broker kept per process for publishing (kombu's producer pool); a sync web
# worker publishes one task at a time, so the default is plenty. portal/wsgi.py opens the first.
CELERY_BROKER_POOL_LIMIT = env.int("CELERY_BROKER_POOL_LIMIT", default=10)
# Workers of other deployments (or a parallel test run) on the same Redis must not answer our
# health pings: the control exchange is named per deployment.
CELERY_CONTROL_EXCHANGE = env.str("CELERY_CONTROL_EXCHANGE", default="portal")
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # effects live in the database, not in a result backend
# Reliability (see README, "Why Celery is configured this way"):
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 30.0
CELERY_WORKER_ENABLE_SOFT_SHUTDOWN_ON_IDLE = True
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

# The scheduler (scheduling/engine.py; README, "Deadlines and the scheduler"). A running row
# whose claim is older than this was never handled: longer than the task's hard time limit.
SCHEDULING_RECLAIM_AFTER = CELERY_TASK_TIME_LIMIT + 60
# A running row that no handler holds (not locked) while the queue is empty was lost with its
# worker: reclaimed after this many seconds instead (PostgreSQL; scheduling.engine._lost_ids).
SCHEDULING_RECLAIM_LOST_AFTER = env.int("SCHEDULING_RECLAIM_LOST_AFTER", default=30)
SCHEDULING_MAX_ATTEMPTS = env.int("SCHEDULING_MAX_ATTEMPTS", default=5)
# /healthz is unhealthy when beat's tick is older than this (and the process is older too).
SCHEDULING_TICK_STALE_AFTER = 5 * 60
# Links in e-mail sent by tasks, which have no request to build them from.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Retention (retention/rules.py; README, «Bevaring og sletting»): days until each rule is due.
RETENTION_DRAFT_DAYS = env.int("RETENTION_DRAFT_DAYS", default=365)
RETENTION_REMOVED_FILE_DAYS = env.int("RETENTION_REMOVED_FILE_DAYS", default=30)
RETENTION_WITHDRAWN_DAYS = env.int("RETENTION_WITHDRAWN_DAYS", default=365)
RETENTION_REJECTED_DAYS = env.int("RETENTION_REJECTED_DAYS", default=3 * 365)
# Login records (django-axes' AccessLog and AccessFailureLog): who logged in or failed, from where.
RETENTION_LOGIN_LOG_DAYS = env.int("RETENTION_LOGIN_LOG_DAYS", default=180)

# How long /healthz waits for a worker to answer a ping.
HEALTH_WORKER_PING_TIMEOUT = env.float("HEALTH_WORKER_PING_TIMEOUT", default=1.0)

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
