"""What the app and browser tests share: the demo built once for the session into a SQLite file."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def cli_environment(database: Path) -> dict:
    """The environment of a `servicecenter` process on the SQLite file ``database``."""
    import os

    env = {**os.environ, "SERVICECENTER_DB": str(database), "DJANGO_SETTINGS_MODULE": "servicecenter.web.settings.dev",
           "SERVICECENTER_VAR": str(database.parent)}
    env.pop("DATABASE_URL", None)
    return env


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    """The demo built once for the session (`servicecenter demo --no-serve`) into a SQLite file that
    no test changes: copy it with ``copy_of_demo``. Building it takes half a minute, and the browser
    tests and the command-line tests each built their own."""
    database = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    subprocess.run([sys.executable, "-m", "servicecenter.cli", "demo", "--no-serve", "--db", str(database)], check=True,
                   env=cli_environment(database), capture_output=True)
    return database


def copy_of_demo(demo: Path, folder: Path) -> Path:
    """A copy of the session's demo file in ``folder``, to change as a test likes."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(demo, folder / "demo.sqlite3"))
