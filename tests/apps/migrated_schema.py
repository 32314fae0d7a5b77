"""A separate process for tests/apps/test_migrations.py: migrate an empty database (SQLITE file
of SERVICECENTER_DB or the PostgreSQL database of DATABASE_URL) one way, then print what was
applied and the schema as the database describes it, as one JSON line.

    python migrated_schema.py new        ``migrate`` as a new installation runs it
    python migrated_schema.py upgrade    the original migrations up to billing 0004, as an installation
                                         of that time has them, then ``migrate`` as an upgrade runs it
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicecenter.web.settings.dev")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.db.migrations.loader import MigrationLoader  # noqa: E402
from django.db.migrations.recorder import MigrationRecorder  # noqa: E402

UPGRADE_FROM = ("billing", "0004_seal_issued_documents")


def originals_up_to(target: tuple[str, str]) -> None:
    """What an installation migrated before the squash holds: the original chain up to ``target``
    (the loader without its squashed migrations, as Django uses it for a database part-way)."""
    loader = MigrationLoader(connection, replace_migrations=False)
    for key, migration in loader.replacements.items():
        loader.graph.remove_replacement_node(key, migration.replaces)
    executor = MigrationExecutor(connection)
    executor.loader = loader
    executor.migrate([target])


def schema() -> dict:
    introspection = connection.introspection
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(introspection.table_names(cursor)):
            if table == "django_migrations":
                continue
            columns = sorted([str(value) for value in column] for column in introspection.get_table_description(cursor, table))
            constraints = sorted(json.dumps(details, sort_keys=True, default=str) + ("" if name.startswith(("__unnamed", "fk_")) else " " + name)
                                 for name, details in introspection.get_constraints(cursor, table).items())
            tables[table] = {"columns": columns, "constraints": constraints}
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        else:
            cursor.execute("SELECT tgname, tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname")
        triggers = [list(row) for row in cursor.fetchall()]
    return {"tables": tables, "triggers": triggers}


def main(way: str) -> None:
    before = set()
    if way == "upgrade":
        originals_up_to(UPGRADE_FROM)
        before = set(MigrationRecorder(connection).applied_migrations())
    executor = MigrationExecutor(connection)                  # what ``migrate`` is about to run
    applied = sorted(f"{migration.app_label}.{migration.name}" for migration, _ in executor.migration_plan(executor.loader.graph.leaf_nodes()))
    call_command("migrate", verbosity=0)
    print(json.dumps({"before": sorted(f"{app}.{name}" for app, name in before), "applied": applied, "schema": schema()}))


if __name__ == "__main__":
    main(sys.argv[1])
