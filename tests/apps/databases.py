"""Databases of a test's own, for tests that run real processes: a SQLite file under the test's
folder, or a new database on the PostgreSQL server of DATABASE_URL (dropped afterwards)."""

import contextlib
import os
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def _conninfo(parsed) -> str:
    from servicecenter.web.settings.base import database_from_url

    settings = database_from_url(urlunparse(parsed))
    parts = {"dbname": settings["NAME"], "user": settings["USER"], "password": settings["PASSWORD"], "host": settings["HOST"], "port": settings["PORT"]}
    return " ".join(f"{key}={value}" for key, value in parts.items() if value)


@contextlib.contextmanager
def own_database(env: dict, folder: Path, prefix: str):
    """``env`` with a new, empty database of the kind the tests run on: yields the environment a
    subprocess needs to use it."""
    env = dict(env)
    url = postgres_url()
    if url is None:
        env.pop("DATABASE_URL", None)
        env["SERVICECENTER_DB"] = str(folder / f"{prefix}.sqlite3")
        yield env
        return
    import psycopg

    parsed = urlparse(url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_conninfo(parsed), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{name}"))
    try:
        yield env
    finally:
        with psycopg.connect(_conninfo(parsed), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
