"""The JSON API (django-ninja). OpenAPI at /api/docs.

Authentication: the web session (cookie) or a bearer token (``Authorization: Bearer sc_...``,
issued with ``servicecenter token USER NAME``). Every endpoint reads through the caller's
Scope, so the API shows exactly what the web shows; an object outside the scope is a 404.
Calls that can take seconds answer 202 with a background job to poll (apps/jobs/api.py).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI
from ninja.security import django_auth

from servicecenter.apps.accounts.api import TokenAuth
from servicecenter.apps.billing.api import router as billing
from servicecenter.apps.billing.services import BillingError
from servicecenter.apps.costing.api import router as costing
from servicecenter.apps.costing.pricing import PricingError
from servicecenter.apps.costing.setup import SetupError
from servicecenter.apps.followup.api import router as followup
from servicecenter.apps.followup.defining import DefinitionError
from servicecenter.apps.imports.api import router as imports
from servicecenter.apps.jobs.api import router as jobs
from servicecenter.apps.metering.api import router as metering
from servicecenter.apps.network.api import router as network
from servicecenter.apps.network.services import FormError
from servicecenter.apps.registry.api import router as registry
from servicecenter.core.costing import AllocationError

# One router per app, mounted here; the OpenAPI document is at /api/openapi.json, the docs at /api/docs.
api = NinjaAPI(
    title="servicecenter API",
    version="1",
    description="A shared-service organisation's registry, costing, billing, follow-up and office network, read through the caller's scope.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


for router in (registry, metering, costing, billing, followup, network, imports, jobs):
    api.add_router("/", router)


@api.exception_handler(PermissionDenied)
def forbidden(request, error):
    """The one permission check (``Scope.require``) answers the API with a JSON 403."""
    return api.create_response(request, {"detail": str(error) or "not permitted"}, status=403)



def refused(request, error):
    """A service's refusal (a set-up or price-list change, a model that cannot run): a 400 whose
    detail names the field or lists every problem; nothing is written."""
    problems = getattr(error, "problems", None)
    language = (getattr(request, "LANGUAGE_CODE", None) or "sv")[:2]
    detail = [p.message(language) for p in problems] if problems else str(error)
    return api.create_response(request, {"detail": detail, "field": getattr(error, "field", None)}, status=400)


for refusal in (SetupError, PricingError, AllocationError, DefinitionError, BillingError, FormError):
    api.add_exception_handler(refusal, refused)
