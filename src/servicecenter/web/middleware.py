"""Middleware of the whole site: bounded requests and private responses."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse


def _refuse(request, status: int, text: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text}, status=status)
    return HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")


class RequestLimits:
    """Refuse, before any view runs, a body larger than the largest import (413) and a query or
    form value with a NUL character (400: PostgreSQL cannot store one, and no real input has it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_IMPORT_UPLOAD_BYTES + 1024 * 1024:
            return _refuse(request, 413, f"Request too large (more than {settings.MAX_IMPORT_UPLOAD_BYTES // (1024 * 1024)} MB).")
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.path:
            return _refuse(request, 400, "A parameter contains a NUL character.")
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            if any("\x00" in value for values in request.POST.lists() for value in values[1] if isinstance(value, str)):
                return _refuse(request, 400, "A form field contains a NUL character.")
        return self.get_response(request)


class PrivateResponses:
    """Pages, downloads and API answers hold data of a provider or a customer: no shared cache
    and no browser cache may keep them (``Cache-Control: private, no-store``). Static files are
    served before this middleware and keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "private, no-store"
        response.setdefault("Pragma", "no-cache")
        return response
