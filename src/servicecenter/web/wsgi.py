"""WSGI entry point (gunicorn servicecenter.web.wsgi): the production settings unless
DJANGO_SETTINGS_MODULE says otherwise."""

import os

from django.core.wsgi import get_wsgi_application

if not os.environ.get("DJANGO_SETTINGS_MODULE"):
    os.environ["DJANGO_SETTINGS_MODULE"] = "servicecenter.web.settings.prod"
application = get_wsgi_application()
