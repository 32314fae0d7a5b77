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


def test_serve_with_several_workers_gives_each_its_own_database_session(tmp_path):
    """`serve` migrates, then forks its web workers: a connection it left open was inherited by all
    of them, one PostgreSQL session answering five workers at once (most requests failed:
    other users' sessions, half-read rows). Each request here must find its own signed-in user."""
    import threading

    import requests

    from tests.apps.databases import own_database
    from tests.apps.servers import free_port, wait_until_up

    env = {**_environment(tmp_path), "SERVICECENTER_ADMIN_PASSWORD": "Flera-arbetare-2031"}
    with own_database(env, tmp_path, "serve_workers") as env:
        cli = [sys.executable, "-m", "servicecenter.cli"]
        subprocess.run([*cli, "init", "--code", "arb", "--name", "Arbetarcentret", "--org-number", "212000-1124",
                        "--kind", "municipal_service", "--admin", "arbetare"], env=env, check=True, capture_output=True, timeout=300)
        port = free_port()
        server = subprocess.Popen([*cli, "serve", "--port", str(port), "--workers", "3", "--no-worker", "--http"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base, server, seconds=120)
            signed_in = requests.Session()
            token = signed_in.get(f"{base}/login/").cookies["csrftoken"]
            answer = signed_in.post(f"{base}/login/", data={"username": "arbetare", "password": "Flera-arbetare-2031", "csrfmiddlewaretoken": token},
                                    headers={"Referer": f"{base}/login/"}, allow_redirects=False)
            assert answer.status_code == 302, answer.text[:500]
            cookie = signed_in.cookies["sessionid"]
            wrong: list = []

            def ask() -> None:
                with requests.Session() as http:
                    http.cookies.set("sessionid", cookie)
                    for _ in range(15):
                        for path in ("/", "/customers/", "/services/"):
                            try:
                                page = http.get(base + path, allow_redirects=False, timeout=60)
                                if page.status_code != 200 or "arbetare" not in page.text:
                                    wrong.append((path, page.status_code))
                            except requests.RequestException as error:
                                wrong.append((path, repr(error)))

            threads = [threading.Thread(target=ask) for _ in range(6)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert wrong == [], f"{len(wrong)} of 270 requests: {wrong[:5]}"
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)


def test_what_serve_prepares_before_forking_its_workers_touches_no_database(db, django_assert_num_queries):
    from pathlib import Path

    import servicecenter.web.wsgi as wsgi

    with django_assert_num_queries(0):   # a connection opened here would be forked into every worker
        compiled = wsgi.warm()
    assert compiled == len(list((Path(wsgi.__file__).parent / "templates").rglob("*.html"))) > 50
