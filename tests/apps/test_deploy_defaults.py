"""#12: production is the default, with a secret key of its own and no deploy warning but the
HTTPS ones a reverse proxy answers."""

import os
import subprocess
import sys
import time

DEV_KEY = "servicecenter-development-key-not-for-production"


def _environment(tmp_path, **extra):
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "SERVICECENTER_SECRET_KEY", "DATABASE_URL")}
    return {**env, "SERVICECENTER_VAR": str(tmp_path), "SERVICECENTER_DB": str(tmp_path / "db.sqlite3"), **extra}


def _settings_of_wsgi(tmp_path) -> list[str]:
    code = ("import servicecenter.web.wsgi; from django.conf import settings; "
            "print(settings.SETTINGS_MODULE); print(settings.SECRET_KEY); print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)")
    result = subprocess.run([sys.executable, "-c", code], env=_environment(tmp_path), capture_output=True, text=True, check=True)
    return result.stdout.split("\n")


def test_wsgi_runs_the_production_settings_with_a_generated_secret_kept_in_var(tmp_path):
    module, key, flags, _ = _settings_of_wsgi(tmp_path)
    assert module == "servicecenter.web.settings.prod" and flags == "False True"
    assert key != DEV_KEY and len(key) >= 50
    stored = tmp_path / "secret_key"
    assert stored.read_text().strip() == key and oct(stored.stat().st_mode & 0o777) == "0o600"
    assert _settings_of_wsgi(tmp_path)[1] == key  # the same key on the next start


def test_check_deploy_warns_only_about_what_the_https_proxy_answers(tmp_path):
    env = _environment(tmp_path, DJANGO_SETTINGS_MODULE="servicecenter.web.settings.prod", SERVICECENTER_ALLOWED_HOSTS="servicecenter.example")
    result = subprocess.run([sys.executable, "-m", "servicecenter.cli", "manage", "check", "--deploy"], env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    warnings = sorted({line.split(")")[0].split("(")[-1] for line in output.splitlines() if "(security." in line or "(axes." in line or "(csp." in line})
    assert warnings == ["security.W004", "security.W008"], output


def test_serve_starts_with_the_production_settings(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "servicecenter.cli", "serve", "--port", "0", "--workers", "1", "--http"],
                               env=_environment(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 120
        line = ""
        while time.time() < deadline and "Serving on" not in line:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
        assert "settings servicecenter.web.settings.prod" in line, line
    finally:
        process.terminate()
        process.wait(timeout=20)
