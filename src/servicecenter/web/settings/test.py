"""Tests: fast password hashing; database from DATABASE_URL (PostgreSQL) or SQLite."""

import tempfile
from pathlib import Path

from servicecenter.web.settings.base import *  # noqa: F401,F403
from servicecenter.web.settings.base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA foreign_keys=ON; PRAGMA recursive_triggers=ON;"}
    DATABASES["default"]["TEST"] = {"NAME": None}
WHITENOISE_AUTOREFRESH = True
# events of a test run go to a folder of its own (a rolled-back test leaves an unlisted batch)
EVENTS_DIR = Path(tempfile.mkdtemp(prefix="servicecenter-test-events-"))
