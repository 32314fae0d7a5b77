"""#16, several application servers: every process of an installation uses one cache (the
database's table, created by the migrations), so what one web process caches another reads;
never per-process memory."""

import os
import subprocess
import sys

from django.conf import settings


def _shell(database, code: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "servicecenter.web.settings.prod", "SERVICECENTER_SECRET_KEY": "test-" + "x" * 50}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "servicecenter.cli", "--db", str(database), "manage", "shell", "-c", code],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_the_default_cache_is_shared_not_per_process():
    backend = settings.CACHES["default"]["BACKEND"]
    assert "locmem" not in backend.lower() and backend.endswith(("DatabaseCache", "RedisCache"))


def test_what_one_process_caches_another_reads(tmp_path):
    database = tmp_path / "shared.sqlite3"
    _shell(database, "from django.core.management import call_command; call_command('migrate', verbosity=0)")   # the migrations make the table
    _shell(database, "from django.core.cache import cache; cache.set('figure', 4213.5, 600)")
    assert "4213.5" in _shell(database, "from django.core.cache import cache; print(cache.get('figure'))")
