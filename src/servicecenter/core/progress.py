"""Progress of long work, told to whoever listens: a background job's progress bar, a terminal's
bar, or no one. Code that loops over many things calls ``report(done, total, text)``; the
listener is set for the duration of a job with ``listening(callback)`` (a context variable, so
threads and nested calls each see their own). A listener may raise ``Cancelled`` to stop the
work: the caller's transaction then rolls back as for any error."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Listener = Callable[[int, int, str], None]

_listener: ContextVar[Listener | None] = ContextVar("servicecenter_progress", default=None)


class Cancelled(Exception):
    """The person who started the work asked to stop it."""


def report(done: int, total: int, text: str = "") -> None:
    """``done`` of ``total`` steps are done; ``text`` says what is being done (shown as is)."""
    listener = _listener.get()
    if listener is not None:
        listener(done, total, text)


def step(text: str) -> None:
    """A stage without a count (``0 of 0``): the bar shows the text and keeps moving."""
    report(0, 0, text)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def counting(total: int, text: Callable[[int, int], str], every: int = 1) -> Callable[[int], None]:
    """A callback ``tick(done)`` that reports every ``every``-th step and the last."""

    def tick(done: int) -> None:
        if done == total or done % max(every, 1) == 0:
            report(done, total, text(done, total))

    return tick
