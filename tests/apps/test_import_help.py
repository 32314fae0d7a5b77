"""The kinds of file one can import are named the same in the registry, the CLI help and the
import documentation: a kind added to the registry without the other two fails here."""

import re
import subprocess
import sys
from pathlib import Path

from servicecenter.apps.imports.base import IMPORTERS

ROOT = Path(__file__).resolve().parents[2]


def test_the_cli_help_lists_every_kind():
    result = subprocess.run([sys.executable, "-m", "servicecenter.cli", "import", "--help"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"^  (\w+)\s{2,}", result.stdout.split("kinds (")[1], flags=re.M))
    assert listed == set(IMPORTERS)


def test_every_column_of_every_kind_has_an_example_for_its_template():
    from servicecenter.apps.imports.templates import EXAMPLES

    assert set(EXAMPLES) == set(IMPORTERS)
    for kind, importer in IMPORTERS.items():
        assert set(EXAMPLES[kind]) == {c.name for c in importer.columns}, kind
        assert all(EXAMPLES[kind][c.name] for c in importer.columns if c.required), kind


def test_each_template_is_read_back_with_every_column_recognised(ssc, client_for):
    """The .xlsx and .csv templates of every kind, downloaded from the import page, are read by
    their importer with no unknown, missing or doubled heading; the customers' and catalogue's
    example rows check clean."""
    from servicecenter.apps.imports.base import run_import

    client = client_for("admin")
    page = client.get("/import/").content.decode()
    for kind in IMPORTERS:
        for extension in ("xlsx", "csv"):
            url = f"/import/templates/{kind}.{extension}"
            assert url in page
            response = client.get(url)
            assert response.status_code == 200 and response["Content-Disposition"].endswith(f'.{extension}"')
            report = run_import(kind, response.content, f"mall.{extension}", provider=ssc, dry_run=True)
            headings = [p for p in report.problems if p.code.startswith("header.")]
            assert headings == [], (kind, extension, [p.describe("en") for p in headings])
            if kind in ("customers", "catalogue"):
                assert report.ok, (kind, extension, report.lines("en"))
    assert client_for("kundkontakt").get("/import/templates/customers.csv").status_code == 403
    assert client.get("/import/templates/okand.csv").status_code == 404


def test_the_templates_examples_fall_in_the_year_of_the_clock():
    from datetime import datetime

    from servicecenter import clock
    from servicecenter.apps.imports.templates import template_csv

    with clock.frozen(datetime(2031, 3, 1, 9)):
        text = template_csv("agreements").decode("utf-8-sig") + template_csv("volumes").decode("utf-8-sig")
    assert "2031-01-01" in text and "2030-09-01" in text and "2031-01" in text and "2027" not in text


def test_docs_imports_md_is_what_the_registry_generates():
    """docs/imports.md is written from the importer registry; a column added to an importer
    without regenerating it (python scripts/imports_doc.py) fails here."""
    from pathlib import Path

    from servicecenter.apps.imports.base import IMPORTERS
    from servicecenter.apps.imports.reference import imports_markdown

    written = (Path(__file__).resolve().parents[2] / "docs" / "imports.md").read_text(encoding="utf-8")
    assert written == imports_markdown(), "docs/imports.md is stale: run python scripts/imports_doc.py"
    for kind, importer in IMPORTERS.items():
        row = next(line for line in written.splitlines() if line.startswith(f"| `{kind}` |"))
        assert all(f"`{column.name}`" in row for column in importer.columns), kind


def test_every_count_and_detail_the_demo_s_imports_and_audit_log_record_has_a_word(db):
    """The import page and the audit log show an import's counts and an entry's details by their
    keys' words (ui/words.py), never the keys: every key the demo's imports and actions wrote."""
    from servicecenter.apps.accounts.models import AuditEntry
    from servicecenter.apps.imports.models import ImportRun
    from servicecenter.ui.words import KEYS

    keys = {key for counts in ImportRun.objects.values_list("counts", flat=True) for key in counts}
    keys |= {key for data in AuditEntry.objects.values_list("data", flat=True) for key in (data or {})}
    assert {"activities", "figures", "created", "source"} <= keys   # the demo's imports of the annual tables and registers
    assert not keys - set(KEYS), sorted(keys - set(KEYS))
