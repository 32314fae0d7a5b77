"""servicecenter: run a public-sector shared-service organisation.

Pillars: ``core`` (pure computation), ``formats`` (file formats), ``apps`` (Django apps,
one per pillar), ``web`` (the Django project), ``demo`` (the illustrative data set).
"""

__version__ = "0.1.0"
