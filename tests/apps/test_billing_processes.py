"""Billing under real processes: two runs started at once (PostgreSQL), and a process killed
in the middle of issuing. Each test gets a database of its own, filled by billing_worker.py."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.apps.databases import own_database, postgres_url

WORKER = Path(__file__).with_name("billing_worker.py")


@pytest.fixture
def worker_env(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "servicecenter.web.settings.dev", "SERVICECENTER_VAR": str(tmp_path)}
    with own_database(env, tmp_path, "billing") as env:
        assert run(env, "setup")["ok"]
        yield env


def run(env, *arguments, check=True) -> dict:
    result = subprocess.run([sys.executable, str(WORKER), *arguments], env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else {"returncode": result.returncode, "stderr": result.stderr[-2000:]}


def together(env, *arguments_list) -> list[dict]:
    """Start the commands in parallel processes that act at the same instant."""
    at = str(time.time() + 4)
    processes = [subprocess.Popen([sys.executable, str(WORKER), *arguments, at], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for arguments in arguments_list]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


@pytest.mark.skipif(postgres_url() is None, reason="concurrency is tested on PostgreSQL (make test-postgres)")
def test_two_runs_started_at_once_one_wins_the_other_is_refused(worker_env):
    results = together(worker_env, ("start", "2025-01"), ("start", "2025-01"))
    assert sorted(r["ok"] for r in results) == [False, True], results
    refused = next(r for r in results if not r["ok"])
    assert "already open" in refused["message"] or "redan" in refused["message"]
    assert run(worker_env, "state", "2025-01")["runs"] == 1


@pytest.mark.skipif(postgres_url() is None, reason="concurrency is tested on PostgreSQL (make test-postgres)")
def test_two_issues_at_once_issue_the_month_once(worker_env):
    assert run(worker_env, "start", "2025-02", "0")["ok"]
    run(worker_env, "approve", "2025-02")
    results = together(worker_env, ("issue", "2025-02"), ("issue", "2025-02"))
    assert sorted(r["ok"] for r in results) == [False, True], results
    state = run(worker_env, "state", "2025-02")
    assert state["invoices"] == 40 and state["numbers"] == list(range(1, 41)) and state["next_number"] == 41


def test_a_process_killed_mid_issue_leaves_no_partial_invoice_and_no_used_number(worker_env):
    assert run(worker_env, "start", "2025-03", "0")["ok"]
    run(worker_env, "approve", "2025-03")
    killed = run(worker_env, "crash", "2025-03", "40", check=False)
    assert killed.get("returncode") == -9, killed            # it really died, its 40 invoices and their lines written in its transaction
    state = run(worker_env, "state", "2025-03")
    assert (state["invoices"], state["lines"], state["next_number"], state["state"]) == (0, 0, 1, "approved")
    # and the month can still be issued in full, numbers from 1 without a gap
    assert run(worker_env, "issue", "2025-03", "0")["ok"]
    state = run(worker_env, "state", "2025-03")
    assert state["numbers"] == list(range(1, 41)) and state["state"] == "issued"
