"""Where a page builds a file that can take seconds (an Excel export, a PDF report), it asks
``deferred(request, label)`` first: with the jobs app installed, the answer is a response that
sends the browser to a background job, which builds the same file by calling the same view
again in a worker (where ``deferred`` answers None and the file is built). The shared UI
package stays below the apps: the jobs app registers itself here when Django starts."""

from __future__ import annotations

from collections.abc import Callable

_deferrer: Callable | None = None


def set_deferrer(function: Callable | None) -> None:
    global _deferrer
    _deferrer = function


def in_job(request) -> bool:
    return getattr(request, "servicecenter_job", None) is not None


def deferred(request, label: str):
    """A response starting the job that builds this download, or None to build it now."""
    if _deferrer is None or in_job(request):
        return None
    return _deferrer(request, label)
