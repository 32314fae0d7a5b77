"""What every app's API router shares: authentication (session or bearer token), the caller's
Scope, documented error answers, bounded pagination and parameters within the domain's limits.
Each app has its own router (``apps/<app>/api.py``); ``web/api.py`` mounts them."""

from __future__ import annotations

from typing import Any

from ninja import Field, Path, Query, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer

from servicecenter import clock
from servicecenter.apps.accounts.access import Scope
from servicecenter.apps.accounts.models import ApiToken
from servicecenter.core import limits
from servicecenter.formats.values import parse_month


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.filter(key_hash=ApiToken.hash_key(token), revoked=False).select_related("user").first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=clock.now())
        request.user = found.user
        return found.user

class ErrorOut(Schema):
    """Why a request was not answered: a text, or (422) the list of parameters that failed."""

    detail: Any
    field: str | None = None  # the field a refused write names, when it names one


# Every status code an operation can answer is in the OpenAPI document (schemathesis checks it).
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut}


def answers(model) -> dict:
    return {200: model, **ERRORS}


MAX_PAGE = 1000
MAX_OFFSET = 10**9
# Path and query ids and years within the domain's limits (core.limits): out of range is a 422
# that names the parameter, never a database overflow.
ID = Path(..., ge=1, le=limits.MAX_ID)
YEAR_QUERY = Query(None, ge=int(limits.YEAR.low), le=int(limits.YEAR.high))
ID_QUERY = Query(None, ge=1, le=limits.MAX_ID)


class BoundedPagination(LimitOffsetPagination):
    """Limit and offset with upper bounds (ninja's default has none)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


def month_filter(text: str, name: str):
    """The first day of the month in ``text`` (YYYY-MM), or a 422 naming the parameter."""
    period, problem = parse_month(text)
    if problem is not None:
        raise HttpError(422, f"{name}: {problem.message('en')} ({text[:20]!r})")
    return period.start


def scope(request) -> Scope:
    return Scope.for_user(request.user)

