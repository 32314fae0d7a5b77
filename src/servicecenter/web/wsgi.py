"""WSGI entry point (gunicorn servicecenter.web.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicecenter.web.settings.dev")
application = get_wsgi_application()
