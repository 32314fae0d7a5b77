"""The Django project: settings, URLs, templates and static files."""
