"""Django settings for WithPeople, read from the environment.

Development needs nothing set. Production (DEBUG off) must be given SECRET_KEY and
ALLOWED_HOSTS and refuses to start without them. See docs/configuration.md.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true or false), not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(os.environ.get("WITHPEOPLE_DATA_DIR", PROJECT_DIR / "data")).resolve()


def _make_data_dir(data_dir: Path) -> None:
    """The data directory holds the database, uploads and keys: only its owner may open it."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)


def _development_secret_key(data_dir: Path) -> str:
    """A random key made once and kept in the data directory, readable only by its owner.

    Two processes may start at once (the server and a command): each writes a whole key to a
    file of its own, then links it into place. Linking fails if the key is already there, so
    the first one wins, and nobody ever reads a half-written key.
    """
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        _make_data_dir(data_dir)
        fd, draft = tempfile.mkstemp(dir=data_dir, prefix=".secret_key-")  # mode 0600
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
            # If another process made it first, theirs is the key.
            with contextlib.suppress(FileExistsError):
                os.link(draft, key_file)
        finally:
            os.unlink(draft)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs a long random SECRET_KEY in the "
            "environment; set DEBUG=1 for development, where one is made for you."
        )
    SECRET_KEY = _development_secret_key(DATA_DIR)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. List the host names the site is served on, "
        "separated by commas, for example ALLOWED_HOSTS=withpeople.example.org."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
#: Where the site is served, for links in emails sent from the command line.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "withpeople.core",
    "withpeople.accounts",
    "withpeople.organisations",
    "withpeople.audit",
    "withpeople.notifications",
    "withpeople.groups",
    "withpeople.works",
    "withpeople.feedback",
    "withpeople.improvement",
    "withpeople.recognition",
    "withpeople.diversity",
    "withpeople.values",
    "withpeople.meetings",
    "withpeople.privacy",
    "withpeople.security",
    "withpeople.packs",
    "withpeople.api",
    "withpeople.background",
    "withpeople.scale",
]

# Every change to a piece of work, its aspects and its evidence keeps the earlier version, with
# who changed it and why (docs/decisions/0013-history.md). The reason is a sentence, so
# it is kept as text rather than cut at 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Background work (imports, closing ended review cycles, retention) runs as tasks kept in the
# database and run by `withpeople worker`. See docs/decisions/0008-task-queue.md.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
#: How often a worker shows it is alive, and after how long without a heartbeat its running task
#: is taken back and run again by another worker. On SQLite a worker cannot beat while another
#: process holds the write lock, so keep this well above the longest import's save.
TASKS_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("TASKS_WORKER_HEARTBEAT_SECONDS", "5"))
TASKS_WORKER_LOST_AFTER_SECONDS = float(os.environ.get("TASKS_WORKER_LOST_AFTER_SECONDS", "120"))

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what everything below returns (docs/decisions/0011-compression.md).
    "withpeople.core.middleware.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "withpeople.core.middleware.SecurityHeadersMiddleware",
    # Axes comes last so it sees failed sign-ins after authentication has run.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "withpeople.urls"
WSGI_APPLICATION = "withpeople.wsgi.application"

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
                # Before the navigation: it counts the person's memberships for it too.
                "withpeople.notifications.context_processors.unread_notifications",
                "withpeople.core.context_processors.navigation",
            ],
        },
    }
]
FORM_RENDERER = "withpeople.core.forms.GovukFormRenderer"

# Databases. SQLite by default, in the data directory; PostgreSQL in production.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    _make_data_dir(DATA_DIR)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "withpeople.sqlite3",
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one writer writes; IMMEDIATE transactions take the write
    # lock at BEGIN, so concurrent writers queue for up to `timeout` seconds instead of failing
    # with "database is locked" half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        # Shared by every web worker: throttling and rate limits must hold across workers.
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "withpeople_cache",
    },
    # Parts of pages kept in each process's memory, keyed by what they show
    # (withpeople.core.fragments).
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "withpeople-fragments",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a day

# How many reverse proxies sit in front of the site. Each appends to X-Forwarded-For, so the
# client's address is the entry PROXY_COUNT places from the right (withpeople.core.network).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("PROXY_COUNT must be 0 or more: the number of proxies in front.")

# Failed sign-in throttling: after AXES_FAILURE_LIMIT failures for one email address from one
# address, sign-in is refused for the cool-off period, then allowed again. Never a permanent lock.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "withpeople.accounts.throttling.sign_in_email"
AXES_CLIENT_IP_CALLABLE = "withpeople.core.network.client_ip"
AXES_VERBOSE = False

# A second factor at sign-in (django-otp): codes from an authenticator app (RFC 6238) and
# recovery codes. See docs/decisions/0017-second-factor.md.
OTP_TOTP_ISSUER = "WithPeople"
#: How long, in seconds, someone who has given their password has to give their code.
SECOND_FACTOR_TIMEOUT_SECONDS = 300
# Single sign-on (OpenID Connect) providers must be reached over https. Only the test suite's
# provider, on this machine, is let use plain http (docs/decisions/0022-single-sign-on.md).
SINGLE_SIGN_ON_ALLOW_LOOPBACK_HTTP = False

# Internationalisation: British English, every user-facing string marked for translation.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

# Static files: GOV.UK Frontend and our styles are built at set-up into static_build/.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATICFILES_DIRS = [PROJECT_DIR / "static_build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/uploads/"
# Uploads (receipts, pictures) are served only through WithPeople, which checks who is asking,
# so nobody else on the machine needs to read them.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Email. In development each email is kept as a file in the data directory's emails/ folder
# (the demo sends dozens, which would bury the Quick start's sign-ins on the console); SMTP in
# production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "emails"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds to wait for the mail server, so a slow or unreachable one cannot hold up a page.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "WithPeople <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Any provider django-anymail supports, e.g. EMAIL_BACKEND=anymail.backends.amazon_ses.EmailBackend
# with its settings as ANYMAIL_<NAME> variables (ANYMAIL_MAILGUN_API_KEY=… becomes
# ANYMAIL["MAILGUN_API_KEY"]). See docs/configuration.md.
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_")
}
# Notifications' emails wait in an outbox and are sent by the worker. A send that fails is tried
# again after each of these delays in seconds (1 min, 5, 25, about 2 h, 10 h), then shown to the
# organisation's admins. A worker holds an email it is sending for the lease; a worker that dies
# mid-send leaves it to be sent again once the lease is over
# (docs/decisions/0020-notifications-outbox.md).
NOTIFICATIONS_RETRY_DELAYS = [
    float(delay)
    for delay in os.environ.get("NOTIFICATIONS_RETRY_DELAYS", "60,300,1500,7500,36000").split(",")
]
NOTIFICATIONS_SEND_LEASE_SECONDS = float(
    os.environ.get("NOTIFICATIONS_SEND_LEASE_SECONDS", str(max(300, EMAIL_TIMEOUT * 10)))
)

# Security. Production sits behind a proxy that terminates TLS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "withpeople.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# HSTS for subdomains and preloading commit every host name under the domain to HTTPS for
# years; that is the host's decision about its own domain, so both are off unless asked for
# (SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD) and the deploy check does not insist.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each step of making a PDF at INFO; its warnings still show.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}

# The public feedback form: submissions allowed per client address (withpeople.core.network's
# client_ip, as sign-in uses), as "count/period" such as "10/h" (withpeople.core.rate_limit):
# spam protection without a CAPTCHA, so nobody is locked out by a puzzle.
FEEDBACK_RATE_LIMIT = os.environ.get("FEEDBACK_RATE_LIMIT", "10/h")

# The API: per-user tokens, and a page size for lists.
NINJA_PAGINATION_PER_PAGE = 50
