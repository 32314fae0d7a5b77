"""Browser tests: Playwright drives the chromium of Debian's package against a real server
(gunicorn, as `servicecenter serve` runs it) on a demo database built for the session.
Screenshots are kept in artifacts/screenshots/."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import cli_environment, copy_of_demo

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_environment = cli_environment


@pytest.fixture(scope="session")
def demo_database(demo_file, tmp_path_factory) -> Path:
    """The session's demo for the browser tests' server (a copy: the tests change it)."""
    return copy_of_demo(demo_file, tmp_path_factory.mktemp("browser"))


def start_server(database: Path):
    """``servicecenter serve`` on a free port of the loopback address; returns (url, process)."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "servicecenter.cli", "--db", str(database), "serve", "--port", str(port), "--workers", "2"],
                               env=_environment(database), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError(f"server did not start: {process.stdout.read().decode()[-2000:]}")
    return url, process


@pytest.fixture(scope="session")
def server(demo_database):
    url, process = start_server(demo_database)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run `make system-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page, server):
    def go(username: str):
        page.goto(f"{server}/login/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill("demo")
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(f"{server}/")
        return page
    return go


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
