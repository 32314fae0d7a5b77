"""The kinds of file one can import are named the same in the registry, the CLI help and the
import documentation: a kind added to the registry without the other two fails here."""

import re
import subprocess
import sys
from pathlib import Path

from servicecenter.apps.imports.base import IMPORTERS

ROOT = Path(__file__).resolve().parents[2]


def test_docs_imports_has_a_row_for_every_kind_and_its_required_columns():
    text = (ROOT / "docs" / "imports.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+) \|$", text, flags=re.M))
    assert set(rows) == set(IMPORTERS), f"docs/imports.md rows differ from the registry: {set(rows) ^ set(IMPORTERS)}"
    for kind, importer in IMPORTERS.items():
        if kind == "ledger":  # SIE needs no columns; its CSV columns are listed
            continue
        for column in importer.columns:
            if column.required:
                assert f"{column.name}*" in rows[kind], f"{kind}: required column {column.name} not in docs/imports.md"


def test_the_cli_help_lists_every_kind():
    result = subprocess.run([sys.executable, "-m", "servicecenter.cli", "import", "--help"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"^  (\w+)\s{2,}", result.stdout.split("kinds (")[1], flags=re.M))
    assert listed == set(IMPORTERS)
