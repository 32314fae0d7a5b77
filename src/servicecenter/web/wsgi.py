"""WSGI entry point (gunicorn servicecenter.web.wsgi): the production settings unless
DJANGO_SETTINGS_MODULE says otherwise."""

import os

from django.core.wsgi import get_wsgi_application

if not os.environ.get("DJANGO_SETTINGS_MODULE"):
    os.environ["DJANGO_SETTINGS_MODULE"] = "servicecenter.web.settings.prod"
application = get_wsgi_application()


def warm() -> int:
    """Import every view (the URLconf), compile every template of ours and load the charts'
    plotting library, in the process that then forks the web workers (`servicecenter serve`):
    each worker starts with them, where its first page with a chart otherwise waited more than
    half a second. Touches no database. Returns how many templates were compiled."""
    from pathlib import Path

    from django.conf import settings
    from django.template import engines
    from django.urls import reverse
    from django.utils import translation

    from servicecenter.formats import charts

    charts.prepare()
    for language, _name in settings.LANGUAGES:   # a first reverse imports the URLconf (every view) and builds its names, per language
        with translation.override(language):
            reverse("health")
    ours = Path(__file__).resolve().parent / "templates"
    compiled = 0
    for engine in engines.all():
        for name in sorted(path.relative_to(ours).as_posix() for path in ours.rglob("*.html")):
            engine.get_template(name)
            compiled += 1
    return compiled
