"""Settings shared by every environment; values that differ come from environment variables.

SERVICECENTER_DB        path of the SQLite file (default ./var/servicecenter.sqlite3)
DATABASE_URL            postgres://user:password@host:port/name (overrides SQLite);
                        ``host`` may be a socket directory: postgres://user@%2Ftmp%2Fpg/name
SERVICECENTER_SECRET_KEY  in production; without it one is generated on first start and kept
                        in var/secret_key (never the development key)
SERVICECENTER_DEBUG     1 to turn on debug pages
SERVICECENTER_ALLOWED_HOSTS  comma-separated
SERVICECENTER_HTTPS     production: 1 (default) when served behind HTTPS (Secure cookies), 0 for
                        plain HTTP on this machine only (the demo)
SERVICECENTER_PROXIES   production: how many reverse proxies stand in front (for client
                        addresses in login throttling); default 0
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
    "servicecenter.apps.accounts.admin_site.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # its templates and static files: /api/docs served from our own files (no CDN, allowed by the CSP)
    "servicecenter.ui",
    "servicecenter.apps.accounts",
    "servicecenter.apps.registry",
    "servicecenter.apps.metering",
    "servicecenter.apps.imports",
    "servicecenter.apps.costing",
    "servicecenter.apps.billing",
    "servicecenter.apps.followup",
    "servicecenter.apps.network",
    "servicecenter.apps.jobs",
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "servicecenter.web.middleware.RequestLimits",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "servicecenter.web.middleware.PrivateResponses",
    "axes.middleware.AxesMiddleware",
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
                "servicecenter.apps.registry.context.demo_notice",
                "servicecenter.apps.jobs.views.finished_notice",
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
                # recursive_triggers: without it SQLite's REPLACE deletes a row without firing the
                # delete triggers that keep issued invoices immutable.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA recursive_triggers=ON;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every process of the installation: the database's own table (created by the
# migrations, so `migrate` is all a new database needs), or Redis when one is configured
# (`SERVICECENTER_REDIS_URL=redis://host:6379/0`, with the `redis` package installed). Never
# per-process memory: several web processes or servers would each keep their own.
if os.environ.get("SERVICECENTER_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["SERVICECENTER_REDIS_URL"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "servicecenter_cache",
                          "OPTIONS": {"MAX_ENTRIES": 5000}}}

# Login throttling (django-axes): five wrong passwords for one user name from one address lock
# that pair out for 15 minutes; the right password does not help meanwhile.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("SERVICECENTER_PROXIES", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Content-Security-Policy (django-csp): scripts only from our own static files. Styles may be
# inline because the charts and maps are SVG written by matplotlib with style attributes; no
# script can run from them. The API's documentation page is outside the policy (Swagger UI).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs", "/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

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
#: Where usage events are stored as Parquet batches (decision 0011); shared by every server.
EVENTS_DIR = Path(os.environ.get("SERVICECENTER_EVENTS", VAR_DIR / "events"))
# Uploaded files waiting for their job, generated downloads and the progress of running jobs:
# on a filesystem every web process and worker shares (NFS or the like behind a load balancer).
STORAGE_DIR = Path(os.environ.get("SERVICECENTER_STORAGE", VAR_DIR / "storage"))
# Long work runs as background jobs (apps/jobs) on Django's task API: the database backend by
# default (no server to run; `servicecenter worker` runs the jobs), any other backend of
# django-tasks by configuration.
TASKS = {"default": {"BACKEND": os.environ.get("SERVICECENTER_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_IMPORT_UPLOAD_BYTES = 200 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Shown on every page while the database holds the generated demo organisation.
SERVICECENTER_DEMO_NOTICE = True
