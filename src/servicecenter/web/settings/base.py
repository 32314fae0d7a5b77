"""Settings shared by every environment; values that differ come from environment variables.

SERVICECENTER_DB        path of the SQLite file (default ./var/servicecenter.sqlite3)
DATABASE_URL            postgres://user:password@host:port/name (overrides SQLite);
                        ``host`` may be a socket directory: postgres://user@%2Ftmp%2Fpg/name
SERVICECENTER_SECRET_KEY  required in production
SERVICECENTER_DEBUG     1 to turn on debug pages
SERVICECENTER_ALLOWED_HOSTS  comma-separated
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent  # src/servicecenter
VAR_DIR = Path(os.environ.get("SERVICECENTER_VAR", Path.cwd() / "var"))
# The official Peppol BIS Billing 3.0 rules (compiled Schematron), used where they lie, never copied:
# by default ../shared/peppol beside the checkout.
PEPPOL_RULES = Path(os.environ.get("SERVICECENTER_PEPPOL_RULES", PACKAGE_DIR.parent.parent.parent / "shared" / "peppol"))

SECRET_KEY = os.environ.get("SERVICECENTER_SECRET_KEY", "servicecenter-development-key-not-for-production")
DEBUG = os.environ.get("SERVICECENTER_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("SERVICECENTER_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "servicecenter.apps.accounts",
    "servicecenter.apps.registry",
    "servicecenter.apps.metering",
    "servicecenter.apps.imports",
    "servicecenter.apps.costing",
    "servicecenter.apps.billing",
    "servicecenter.apps.followup",
    "servicecenter.apps.network",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "servicecenter.web.urls"
WSGI_APPLICATION = "servicecenter.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "servicecenter.apps.accounts.context.access",
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    """Django's DATABASES entry for ``postgres://user:password@host:port/name``.

    ``host`` may be a percent-encoded socket directory (``%2Ftmp%2Fpg``).
    """
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DATABASE_URL must be postgres://..., got scheme {parsed.scheme!r}")
    credentials, _, location = parsed.netloc.rpartition("@")
    user, _, password = credentials.partition(":")
    host, _, port = location.rpartition(":") if location.count(":") == 1 else (location, "", "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parsed.path.lstrip("/"),
        "USER": unquote(user),
        "PASSWORD": unquote(password),
        "HOST": unquote(host),
        "PORT": port,
        "CONN_MAX_AGE": 60,
    }


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SERVICECENTER_DB", str(VAR_DIR / "servicecenter.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # numbers are formatted explicitly with the `number` filter
LANGUAGE_COOKIE_NAME = "servicecenter_language"

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "web" / "static"]
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_IMPORT_UPLOAD_BYTES = 200 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Shown on every page while the database holds the generated demo organisation.
SERVICECENTER_DEMO_NOTICE = True
