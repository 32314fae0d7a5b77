"""The one clock of the product (outside ``core``, which never reads a clock).

``now()`` is an aware timestamp, ``today()`` the business date in Europe/Stockholm (the
settings' time zone). A test or a demo can set the clock for a block of code with
:func:`frozen`, so a flow can be run as if it were another year.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_FROZEN: ContextVar[datetime | None] = ContextVar("servicecenter_clock", default=None)


def now() -> datetime:
    """The current time, aware."""
    return _FROZEN.get() or timezone.now()


def today() -> date:
    """Today's date where the organisation is (the settings' time zone, Europe/Stockholm)."""
    return timezone.localdate(now())


def local(moment: datetime) -> datetime:
    """A stored timestamp in the organisation's time zone (never the server's)."""
    return timezone.localtime(moment)


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Run the block as if it were ``at`` (aware; a naive time is taken as Stockholm time)."""
    moment = at if timezone.is_aware(at) else timezone.make_aware(at)
    token = _FROZEN.set(moment)
    try:
        yield
    finally:
        _FROZEN.reset(token)


def real_now() -> datetime:
    """The machine's time, never frozen: for when background work ran and whether a worker still
    beats (operations, not business dates)."""
    return timezone.now()


def wall() -> float:
    """The machine's time in seconds since the epoch, never frozen (heartbeats)."""
    import time

    return time.time()
