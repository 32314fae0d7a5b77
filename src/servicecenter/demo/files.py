"""The demo's files, imported as a user imports theirs (``imports.base.run_import``: every row
checked, all or nothing). A file the import refuses stops the build, naming its first problems:
the demo's data must pass the checks a user's does."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from servicecenter.apps.imports.base import IMPORTERS, ImportReport, run_import


def import_file(kind: str, data: bytes | Path, source: str, provider) -> ImportReport:
    report = run_import(kind, data, source, provider=provider)
    if not report.ok:
        raise RuntimeError(f"the demo's {source} does not import: {report.lines('en')[:5]}")
    return report


def import_rows(kind: str, rows: list[dict], source: str, provider) -> ImportReport:
    """``rows`` (dicts keyed by the import's own column names; a column left out is empty) written
    as the CSV file ``source`` and imported with ``import_file``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[column.name for column in IMPORTERS[kind].columns], restval="")
    writer.writeheader()
    writer.writerows(rows)
    return import_file(kind, out.getvalue().encode(), source, provider)
