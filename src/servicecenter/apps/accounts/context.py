"""Template context: the person's scope, role and capabilities."""

from servicecenter.apps.accounts.access import Capability, Scope


def access(request):
    scope = scope_of(request)
    return {
        "scope": scope,
        "can": {capability.value: scope.can(capability) for capability in Capability},
    }


def scope_of(request) -> Scope:
    """The person's Scope, computed once per request."""
    scope = getattr(request, "_servicecenter_scope", None)
    if scope is None:
        scope = Scope.for_user(getattr(request, "user", None))
        request._servicecenter_scope = scope
    return scope
