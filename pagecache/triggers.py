"""The triggers that count each tracked table's changes into pagecache_tableversion.

PostgreSQL counts once per statement (a bulk update is one change), SQLite once per row (it
has no statement triggers). Both are created idempotently after every migrate, so a table
added later is counted from the migrate that creates it.
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

# The apps whose data the pages show. Not tracked: sessions, the usage log (written by every
# request), the sign-in lockouts, the admin's log and the content types.
TRACKED_APPS = ("auth", "regions", "negotiations", "knowledge")

VERSIONS = "pagecache_tableversion"
FUNCTION = "pagecache_count_change"


def tracked_tables() -> list[str]:
    tables = {
        model._meta.db_table
        for label in TRACKED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    return sorted(tables)


def _postgresql(cursor, tables: list[str]) -> None:
    cursor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {VERSIONS} ("table", version) VALUES (TG_TABLE_NAME, 1)
            ON CONFLICT ("table") DO UPDATE SET version = {VERSIONS}.version + 1;
            RETURN NULL;
        END $$
        """
    )
    for table in tables:
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER pagecache_change AFTER INSERT OR UPDATE OR DELETE "
            f'OR TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()'
        )


def _sqlite(cursor, tables: list[str]) -> None:
    # The rows are made here and the triggers only add to them: an INSERT in a trigger body
    # would take the conflict clause of the statement that fired it (an INSERT OR REPLACE
    # would start the count again).
    cursor.executemany(
        f'INSERT OR IGNORE INTO {VERSIONS} ("table", version) VALUES (%s, 0)',
        [(table,) for table in tables],
    )
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            cursor.execute(
                f'CREATE TRIGGER IF NOT EXISTS "pagecache_{table}_{event.lower()}" '
                f'AFTER {event} ON "{table}" BEGIN '
                f"UPDATE {VERSIONS} SET version = version + 1 WHERE \"table\" = '{table}'; END"
            )


def install_triggers(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate's receiver for this app."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if VERSIONS not in existing:
        return
    tables = [table for table in tracked_tables() if table in existing]
    install = {"postgresql": _postgresql, "sqlite": _sqlite}[connection.vendor]
    # A flush (the tests' TransactionTestCase) empties the versions too and then sends
    # post_migrate: the rows and the triggers come back.
    with connection.cursor() as cursor:
        install(cursor, tables)
