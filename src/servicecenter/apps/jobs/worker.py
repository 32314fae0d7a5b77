"""``servicecenter worker``: django-tasks' database worker, with the sweep that takes up the
jobs of a worker that died (run at start and every ``SWEEP_EVERY`` seconds)."""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.db import close_old_connections, connection

from servicecenter.apps.jobs import services

logger = logging.getLogger(__name__)
SWEEP_EVERY = 10.0


def _sweep_now() -> None:
    try:
        for job in services.sweep():
            logger.warning("job %s (%s) of a stopped worker: now %s", job.pk, job.kind, job.state)
    except Exception:   # a sweep that fails is tried again at the next round
        logger.exception("sweeping jobs failed")


def _housekeeping(last: dict) -> None:
    from servicecenter import clock

    for function, every in services.HOUSEKEEPING:
        if clock.wall() - last.get(function, 0.0) >= every:
            last[function] = clock.wall()
            try:
                done = function()
                if done:
                    logger.info("%s: %s", function.__name__, done)
            except Exception:   # tried again at its next round
                logger.exception("%s failed", function.__name__)


def _sweeping(stop: threading.Event) -> None:
    last: dict = {}
    _housekeeping(last)
    while not stop.wait(SWEEP_EVERY):
        _sweep_now()
        _housekeeping(last)
        close_old_connections()
    connection.close()


def _starting() -> None:
    for function in services.STARTUP:
        try:
            logger.info("at start: %s: %s", function.__name__, function())
        except Exception:   # the work it prepares happens anyway when a job needs it
            logger.exception("%s failed", function.__name__)
    connection.close()


def run(batch: bool = False, interval: float = 1.0, max_tasks: int | None = None) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    _sweep_now()
    stop = threading.Event()
    sweeper = threading.Thread(target=_sweeping, args=(stop,), daemon=True, name="job-sweeper")
    sweeper.start()
    if not batch:   # a worker that keeps running prepares what its jobs will need, beside them
        threading.Thread(target=_starting, daemon=True, name="job-startup").start()
    worker = Worker(queue_names=["default"], interval=interval, batch=batch, backend_name="default", startup_delay=not batch,
                    max_tasks=max_tasks, worker_id=f"{socket.gethostname()}:{os.getpid()}"[:64], excluded_queue_names=[])
    worker.configure_signals()
    try:
        worker.run()
    finally:
        stop.set()
