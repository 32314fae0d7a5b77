"""Shared helpers for the benchmark scripts: run the CLI in a child process, measure its wall
time and peak memory (the child's maximum resident set size, from the kernel)."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: float
    output: str


def run_cli(*args: str, database: Path | None = None, env: dict | None = None) -> Measured:
    """Run ``servicecenter ARGS`` in a fresh process; time it and read its peak RSS."""
    environment = {**os.environ, **(env or {}), "DJANGO_SETTINGS_MODULE": "servicecenter.web.settings.dev"}
    command = [sys.executable, "-c", "import resource,sys,runpy;"
               "sys.argv=['servicecenter',*sys.argv[1:]];"
               "from servicecenter.cli import main;code=main();"
               "print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss);sys.exit(code)", *args]
    if database is not None:
        command[3:3] = ["--db", str(database)]
    started = time.perf_counter()
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"servicecenter {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    peak = next((int(line.split()[1]) for line in result.stdout.splitlines() if line.startswith("PEAK_KB")), 0)
    return Measured(seconds, peak / 1024, result.stdout)


def database_label() -> str:
    return "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"


def table(rows: list[tuple]) -> str:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) for row in rows)


def print_imports(kind: str, rows: int, baseline: float, runs: list[tuple[str, str, Measured]]) -> None:
    """The table of `servicecenter import KIND` runs (``runs``: key, what it was, its measure)
    against the DuckDB scan of the same file, and the RESULT line of their seconds by key."""
    label = database_label()
    print(table([
        ("measure", "rows", "seconds", "peak MB", "ratio to baseline", "reported"),
        ("baseline: DuckDB scan of the CSV", f"{rows:,}", f"{baseline:.2f}", "", "1.0", ""),
        *((f"servicecenter import {kind}, {what} ({label})", f"{rows:,}", f"{run.seconds:.2f}", f"{run.peak_mb:.0f}", f"{run.seconds / baseline:.0f}",
           run.output.splitlines()[0] if run.output else "") for _key, what, run in runs),
    ]))
    print(f"RESULT import_{kind}_{label.lower()} " + " ".join(f"{key}={run.seconds:.2f}" for key, _what, run in runs))


def self_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


PRICE_LIST = """
from decimal import Decimal
from servicecenter.apps.registry.models import Provider, Service
from servicecenter.apps.costing.models import PriceList, PriceListEntry
provider = Provider.objects.get(code='bench')
provider.street, provider.postal_code, provider.city, provider.bankgiro = 'Box 1', '80101', 'Gävle', '1234566'
provider.save()
price_list = PriceList.objects.create(provider=provider, year=2023, name='Prislista', status='published')
for index, service in enumerate(Service.objects.filter(provider=provider).order_by('code')):
    PriceListEntry.objects.create(price_list=price_list, service=service, unit_price=Decimal('10.25') + index, vat_category='O', vat_rate=0)
"""


def national_provider(data: Path, database: Path, kinds: tuple[str, ...], env: dict | None = None) -> None:
    """A provider ``bench`` in a new database, filled through the CLI with the national data set's
    files ``kinds`` (customers, catalogue, agreements, volumes...), and a published 2023 price list."""
    run_cli("manage", "migrate", "-v", "0", database=database, env=env)
    run_cli("manage", "shell", "-c", "from servicecenter.apps.registry.models import Provider; Provider.objects.get_or_create(code='bench', "
            "defaults={'name': 'Bench', 'org_number': '202100-6255', 'kind': 'state_service_centre'})", database=database, env=env)
    for kind in kinds:
        run_cli("import", kind, str(data / f"{kind}.csv"), "--provider", "bench", database=database, env=env)
    run_cli("manage", "shell", "-c", PRICE_LIST, database=database, env=env)



def national_billing_database(folder: Path, months: int) -> tuple[Path, Path]:
    """The national data set with every customer buying every service, ``months`` months of it
    from 2023-01, in ``folder/data``; and a new database ``folder/bench.sqlite3`` whose provider
    ``bench`` holds its customers, catalogue, agreements and volumes. Returns (data, database)."""
    from servicecenter.demo.national import generate_national

    data = folder / "data"
    generate_national(data, months=months, coverage=1.0, events=0)
    database = folder / "bench.sqlite3"
    national_provider(data, database, ("customers", "catalogue", "agreements", "volumes"))
    return data, database


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(database: Path, *, worker: bool = False, storage: Path | None = None):
    """`servicecenter serve` (gunicorn, 2 workers) on a free loopback port; yields the port once it
    accepts. ``worker``: with the background jobs' worker `serve` starts beside it (as `make demo`
    runs), its job files in ``storage``."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "servicecenter.web.settings.dev", "SERVICECENTER_DB": str(database)}
    if storage is not None:
        env["SERVICECENTER_STORAGE"] = str(storage)
    command = [sys.executable, "-m", "servicecenter.cli", "--db", str(database), "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(command + ([] if worker else ["--no-worker"]), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()


SIGN_IN = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from servicecenter.apps.accounts.models import Profile
from servicecenter.apps.registry.models import Provider
for name in NAMES:
    user = get_user_model().objects.filter(username=name).first()
    if user is None:   # a new controller of the provider PROVIDER
        user = get_user_model().objects.create_user(name, password=name)
        Profile.objects.create(user=user, role='controller', provider=Provider.objects.get(code=PROVIDER))
    session = SessionStore()
    session['_auth_user_id'] = str(user.pk)
    session['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'
    session['_auth_user_hash'] = user.get_session_auth_hash()
    session.create()
    print('SESSION', name, session.session_key)
"""


def sessions(database: Path, names: tuple[str, ...], provider: str = "bench") -> dict[str, str]:
    """A signed-in session (its cookie value) for each user ``names``; a user that does not exist
    yet is made a controller of ``provider``."""
    script = f"NAMES, PROVIDER = {names!r}, {provider!r}\n" + SIGN_IN
    output = run_cli("manage", "shell", "-c", script, database=database).output.splitlines()
    return {line.split()[1]: line.split()[2] for line in output if line.startswith("SESSION")}
