"""Django settings for Lantern.

Secure by default: the embedded SQLite store lives under ``var/`` (created on first run),
PostgreSQL is chosen with ``DATABASE_URL``; secrets and encryption keys are kept outside the
database (environment or files under ``var/``), never in the repository.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO

from lantern import taxonomy
from lantern.filemodes import private_dir, restrict_umask

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
# Everything under var/ (database, WAL, keys, mart) is this account's alone: 0700 / 0600.
restrict_umask()
VAR_DIR = private_dir(Path(os.environ.get("LANTERN_VAR", PROJECT_DIR / "var")))


def _secret_from_file(name: str, nbytes: int = 48) -> str:
    """Read a secret from var/, creating it (mode 0600) on first run."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(nbytes))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("LANTERN_SECRET_KEY") or _secret_from_file("secret_key")
DEBUG = os.environ.get("LANTERN_DEBUG", "") == "1"
# Production (`lantern serve`, behind a TLS proxy) sets LANTERN_HTTPS=1; the demo serves plain
# HTTP on 127.0.0.1. The names a proxy serves come from LANTERN_ALLOWED_HOSTS.
HTTPS = os.environ.get("LANTERN_HTTPS", "") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "LANTERN_ALLOWED_HOSTS",
        "127.0.0.1,localhost" if HTTPS else "127.0.0.1,localhost,testserver",
    ).split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "lantern.accounts",
    "lantern.audit",
    "lantern.cases",
    "lantern.directory",
    "lantern.protection",
    "lantern.perpetrators",
    "lantern.linkage",
    "lantern.monitoring",
    "lantern.response.programmes",  # the national plan and programmes (#18)
    "lantern.response.agreements",  # cross-border agreements, readmission (#18)
    "lantern.response.community",
    "lantern.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "lantern.web.middleware.SessionIdleTimeoutMiddleware",
    "lantern.web.middleware.PrivatePagesMiddleware",
    "lantern.edges.errors.NotFoundMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lantern.urls"
WSGI_APPLICATION = "lantern.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lantern.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'lantern.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Sign-in -------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
AXES_FAILURE_LIMIT = int(os.environ.get("LANTERN_LOCKOUT_AFTER", "5"))
AXES_COOLOFF_TIME = 1  # hours
# Lock by username: shelters and hotlines often share one NAT address, so locking by IP would
# lock a whole office out; per-username lock-out still stops guessing a given account.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Lantern"

SESSION_COOKIE_AGE = 8 * 3600
SESSION_IDLE_SECONDS = int(os.environ.get("LANTERN_IDLE_SECONDS", "1800"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:  # served over HTTPS (behind a TLS proxy): insist on it
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = True
# No SECURE_PROXY_SSL_HEADER: Django cannot tell who sent X-Forwarded-Proto, so it would believe
# anyone who reaches the port. gunicorn believes it only from LANTERN_TRUSTED_PROXIES and says so
# in wsgi.url_scheme, which is what request.is_secure() then reads (lantern.web.serve).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Encryption at rest: keys live outside the database --------------------------------------
LANTERN_KEY_FILE = Path(os.environ.get("LANTERN_KEY_FILE", VAR_DIR / "keys.json"))

# --- Intake: search before create by record linkage (lantern.protection.intake.service.matcher)
LANTERN_INTAKE_MATCHER = "lantern.linkage.intake_matcher.probabilistic_matches"
# The field forms (ODK, Kobo) whose submissions `lantern import --format odk|kobo` applies to a
# case through their services: screening and follow-up visits (intake is the import's own).
LANTERN_FIELD_FORMS = "lantern.fieldforms.submissions.forms"

# --- Statistics: the mart refreshes itself after every committed change, once the changes have
# settled for this many seconds (lantern.monitoring.dashboard.refresh): "background" (a worker
# thread), "now" (in the committing thread: tests) or "off" (refresh by hand only).
LANTERN_MART_REFRESH = os.environ.get("LANTERN_MART_REFRESH", "background")
LANTERN_MART_REFRESH_DELAY = float(os.environ.get("LANTERN_MART_REFRESH_DELAY", "5"))

# --- Triage: hours until a report is due, by urgency (lantern.protection.triage.service); an
# overdue report escalates to the supervisor (`lantern triage escalate`, run from cron). A child
# in immediate danger needs someone within the hour; one a reporter asks help for, the same day.
LANTERN_TRIAGE_DUE_HOURS = {"immediate": 1, "high": 24, "normal": 72}
# --- Attachments (lantern.protection.notes): uploads kept in memory, never in a temporary file
# in clear (lantern.edges.uploads), up to this size; stored sealed under var/, never in static.
LANTERN_UPLOAD_MAX_BYTES = int(os.environ.get("LANTERN_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = ["lantern.edges.uploads.BoundedMemoryUploadHandler"]
# Who runs a web import once confirmed (lantern.cases.importjobs.runner): "thread", a worker
# thread of the server; "command", only `lantern imports run` (cron, systemd).
LANTERN_IMPORT_RUNNER = os.environ.get("LANTERN_IMPORT_RUNNER", "thread")
# Disclosure control: every published statistic withholds counts below this (and complements).
LANTERN_DISCLOSURE_THRESHOLD = int(os.environ.get("LANTERN_DISCLOSURE_THRESHOLD", "5"))
LANTERN_ATTACHMENTS_DIR = Path(os.environ.get("LANTERN_ATTACHMENTS_DIR", VAR_DIR / "attachments"))
# Areas (lantern.taxonomy.areas): the countries whose provinces the forms list, where the
# children come from and the services work (ISO 3166-1 alpha-3, comma-separated); and what the
# directory's coverage sets beside its services in each area (the national response's
# campaigns and committees: named here, since the directory sits below the response).
LANTERN_AREA_COUNTRIES = tuple(
    c.strip().upper()
    for c in os.environ.get("LANTERN_AREA_COUNTRIES", "NPL,IND").split(",")
    if c.strip()
)
LANTERN_COVERAGE_ACTIVITIES = "lantern.response.community.coverage.activities"

# --- Languages -----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The languages every code list carries (lantern.taxonomy.LANGUAGES), named as Django names them.
LANGUAGES = [(code, LANG_INFO[code]["name"]) for code in taxonomy.LANGUAGES]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve vendored static files straight from the apps: no build step

# --- Logging: never identifying data -----------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "lantern.web.logging.RedactIdentifiers"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
