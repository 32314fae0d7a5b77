"""Write docs/imports.md from the importer registry (``servicecenter.apps.imports.reference``)."""

import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicecenter.web.settings.dev")
django.setup()

from servicecenter.apps.imports.reference import imports_markdown  # noqa: E402

Path(__file__).resolve().parent.parent.joinpath("docs", "imports.md").write_text(imports_markdown(), encoding="utf-8")
print("docs/imports.md written")
