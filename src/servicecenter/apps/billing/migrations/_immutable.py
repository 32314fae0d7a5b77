"""The database triggers that make issued documents, their lines and their seals immutable: rows
can be inserted, never updated or deleted, whatever the code path (ORM, raw SQL, a console).

Shared by the migrations that create them (0002 and 0004, and the squashed 0001 that replaces
0001–0008 on a new database). The loader skips this module: its name begins with ``_``."""

MESSAGE = "issued invoices are immutable: issue a credit note instead"


def create_function(connection) -> None:
    """PostgreSQL's trigger function (SQLite's triggers raise by themselves)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"""CREATE OR REPLACE FUNCTION billing_refuse_change() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation'; END;
                $$ LANGUAGE plpgsql""")


def create_triggers(connection, tables: tuple[str, ...]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION billing_refuse_change()")
                cursor.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION billing_refuse_change()")
            elif connection.vendor == "sqlite":
                for operation in ("UPDATE", "DELETE"):
                    cursor.execute(f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                                   f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
            else:
                raise RuntimeError(f"no immutability triggers for database {connection.vendor}; add them before using it")


def drop_triggers(connection, tables: tuple[str, ...]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            else:
                for operation in ("update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
