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
STORAGE_DIR = Path(tempfile.mkdtemp(prefix="servicecenter-test-storage-"))
# A job runs as soon as it is started, inside the request, so a test that posts a form sees its
# outcome; the tests of the queue itself (tests/apps/test_jobs.py) switch to the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
