"""Our migrations are squashed, one per app, for new databases (a third of the demo's build went
on Django replaying 27 migrations). The squashed ones must build exactly the schema the original
chain builds, triggers included, and an installation migrated part-way must still upgrade through
the originals to that same schema. Both are checked on the database the tests run on (SQLite, or
PostgreSQL in make test-postgres), each in a database and a process of its own."""

import json
import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

from tests.apps.databases import own_database

SCRIPT = Path(__file__).with_name("migrated_schema.py")
SQUASHED = {"registry.0001_squashed_0006_shared_cache_table", "costing.0001_squashed_0006_ledger_cell_provider_index_in_the_composite",
            "followup.0001_squashed_0002_element_sources", "billing.0001_squashed_0008_run_controls"}


def _migrated(tmp_path, way: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "servicecenter.web.settings.dev", "SERVICECENTER_VAR": str(tmp_path)}
    with own_database(env, tmp_path, f"migrations_{way}") as env:
        result = subprocess.run([sys.executable, str(SCRIPT), way], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _replaced() -> set[str]:
    """The original migrations the squashed ones replace (migrations after a squash are no part of it)."""
    found = set()
    for squashed in SQUASHED:
        app, name = squashed.split(".")
        found |= {f"{label}.{original}" for label, original in import_module(f"servicecenter.apps.{app}.migrations.{name}").Migration.replaces}
    return found


def _differences(one: dict, other: dict) -> list[str]:
    found = [f"table {table} only in one" for table in set(one["tables"]) ^ set(other["tables"])]
    for table in sorted(set(one["tables"]) & set(other["tables"])):
        for part in ("columns", "constraints"):
            mine, theirs = ({json.dumps(item) for item in side["tables"][table][part]} for side in (one, other))
            found += [f"{table} {part}: new only {item}" for item in sorted(mine - theirs)]
            found += [f"{table} {part}: upgraded only {item}" for item in sorted(theirs - mine)]
    if one["triggers"] != other["triggers"]:
        found.append(f"triggers: new {one['triggers']} upgraded {other['triggers']}")
    return found


def test_a_new_database_and_an_upgraded_one_have_the_same_schema(tmp_path):
    new = _migrated(tmp_path, "new")
    upgraded = _migrated(tmp_path, "upgrade")

    assert SQUASHED <= set(new["applied"])                                  # a new database takes the squashed ones
    assert not set(new["applied"]) & _replaced()                             # and none of the chains they replace
    assert "billing.0002_issued_documents_are_immutable" in upgraded["before"]   # an older installation had the originals
    assert "billing.0005_run_validated_documents" in upgraded["applied"]         # and goes on with them
    assert "registry.0004_invoice_details" in upgraded["applied"]
    assert _differences(new["schema"], upgraded["schema"]) == []
    tables = new["schema"]["tables"]
    assert {"billing_invoice", "billing_invoiceline", "billing_invoiceseal", "costing_ledgercell", "servicecenter_cache"} <= set(tables)
    immutable = {trigger[1] for trigger in new["schema"]["triggers"]}
    assert {"billing_invoice", "billing_invoiceline", "billing_invoiceseal"} <= immutable
