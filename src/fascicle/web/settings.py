"""Settings of the web application, every secret and switch from the environment.

FASCICLE_HOME        where the embedded database, the git repository of approved sections and the download cache
                     live (default ./var)
DATABASE_URL         postgres://user:password@host:port/name: PostgreSQL instead of the embedded SQLite
FASCICLE_SECRET_KEY  the secret key (required when FASCICLE_PRODUCTION=1)
FASCICLE_PRODUCTION  1: secure cookies, HSTS, HTTPS redirect (behind a proxy that sets X-Forwarded-Proto)
FASCICLE_DEBUG       1: Django's debug pages (never in production)
FASCICLE_HOSTS       comma-separated allowed host names (default localhost, 127.0.0.1)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def _flag(name: str) -> bool:
    return os.environ.get(name, "") == "1"


HOME = Path(os.environ.get("FASCICLE_HOME", "var")).resolve()
PRODUCTION = _flag("FASCICLE_PRODUCTION")
DEBUG = _flag("FASCICLE_DEBUG") and not PRODUCTION
FASCICLE_HOME = HOME
"""Read by the service at call time (the tests point it at a folder of their own)."""

SECRET_KEY = os.environ.get("FASCICLE_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("FASCICLE_SECRET_KEY must be set when FASCICLE_PRODUCTION=1")
    SECRET_KEY = "insecure-development-key-" + "x" * 40  # development only: production refuses to start without one

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("FASCICLE_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "simple_history",
    "fascicle.web.accounts",
    "fascicle.web.budgets",
    "fascicle.web.front",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Who made each change of a unit or membership (django-simple-history: history_user).
    "simple_history.middleware.HistoryRequestMiddleware",
]

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

ROOT_URLCONF = "fascicle.web.urls"
WSGI_APPLICATION = "fascicle.web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "fascicle.web.front.i18n.interface",
    ]},
}]


def database(url: str | None, home: Path) -> dict[str, Any]:
    """The default database: PostgreSQL from a postgres:// URL, else SQLite under `home` in WAL mode, each write
    transaction taking the write lock at its start (IMMEDIATE) so that two writers queue instead of failing."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(home / "fascicle.sqlite3"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 5,
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL"},
        }
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"DATABASE_URL must be postgres://…, not {parts.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
    }


DATABASES = {"default": database(os.environ.get("DATABASE_URL"), HOME)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = HOME / "static" if PRODUCTION else None  # production: `fascicle-web collectstatic`
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage" if PRODUCTION
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not PRODUCTION

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tasks"
LOGOUT_REDIRECT_URL = "login"

# Security: CSRF on every form (htmx sends the token in a header), clickjacking refused, a strict CSP.
CSRF_COOKIE_HTTPONLY = False  # the page reads it from the template tag, not the cookie; kept default for htmx
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": ["'self'"], "img-src": ["'self'", "data:"], "style-src": ["'self'", "'unsafe-inline'"],
    "script-src": ["'self'"], "frame-ancestors": ["'none'"], "form-action": ["'self'"],
}}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = not _flag("FASCICLE_NO_SSL_REDIRECT")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("FASCICLE_TRUSTED_ORIGINS", "").split(",") if o]

# django-axes: five failed logins from one user name and address lock them out for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
