"""Template context: whether the person sees illustrative demo data (the notice on every page)."""

from django.conf import settings

from servicecenter.apps.accounts.context import scope_of
from servicecenter.apps.registry.models import Provider


def demo_notice(request):
    scope = scope_of(request)
    demo = False
    if settings.SERVICECENTER_DEMO_NOTICE and scope.role is not None:
        demo = Provider.objects.visible_to(scope).filter(is_demo=True).exists()
    return {"demo_notice": demo}
