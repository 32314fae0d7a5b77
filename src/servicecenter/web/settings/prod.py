"""Production: secrets and hosts must come from the environment; PostgreSQL expected."""

import os

from servicecenter.web.settings.base import *  # noqa: F401,F403

SECRET_KEY = os.environ["SERVICECENTER_SECRET_KEY"]
DEBUG = False
SESSION_COOKIE_SECURE = os.environ.get("SERVICECENTER_HTTPS", "1") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
