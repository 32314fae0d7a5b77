"""Local development and the demo: SQLite under ./var unless DATABASE_URL says otherwise."""

from servicecenter.web.settings.base import *  # noqa: F401,F403
