"""The triggers that count each tracked table's changes into pagecache_tableversion.

PostgreSQL counts once per statement (a bulk update is one change), SQLite once per row (it
has no statement triggers). Both are made again after every migrate, so a table added later
is counted from the migrate that creates it.

A model of those apps may say COUNTED_BY_PAGE_CACHE = False (the sections' saved versions:
written by every autosave, read only by the history pages, which are drawn every time).

A model may name columns whose updates count apart, under "<table>.texts"
(`TEXTS_COUNTED_APART`: the texts of report and record sections, which autosave writes every
few seconds while someone types), so that the pages showing such a row but not its texts
(a section's title on the home page, the tracker, the report's carried actions) stay in the
cache. Inserts and deletes count in the table's own version, and so does a full save().
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

# The apps whose data the pages show. Not tracked: sessions, the usage log (written by every
# request), the sign-in lockouts, the admin's log and the content types.
TRACKED_APPS = ("auth", "regions", "negotiations", "knowledge")

VERSIONS = "pagecache_tableversion"
FUNCTION = "pagecache_count_change"
TEXTS = ".texts"


@dataclass(frozen=True)
class Table:
    name: str
    texts: tuple[str, ...] = ()  # the columns counted apart
    others: tuple[str, ...] = ()  # the rest, but the primary key


def _table(model) -> Table:
    apart = getattr(model, "TEXTS_COUNTED_APART", ())
    if not apart:
        return Table(model._meta.db_table)
    columns = [field.column for field in model._meta.concrete_fields if not field.primary_key]
    texts = tuple(model._meta.get_field(name).column for name in apart)
    return Table(model._meta.db_table, texts, tuple(c for c in columns if c not in texts))


def _models(counted: bool) -> list:
    return [
        model
        for label in TRACKED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if getattr(model, "COUNTED_BY_PAGE_CACHE", True) is counted
    ]


def tracked() -> list[Table]:
    tables = {model._meta.db_table: _table(model) for model in _models(counted=True)}
    return [tables[name] for name in sorted(tables)]


def not_counted() -> list[str]:
    """The tables of the tracked apps that say COUNTED_BY_PAGE_CACHE = False (no cached page
    reads them; PAGE_CACHE_CHECK fails one that does)."""
    return sorted(model._meta.db_table for model in _models(counted=False))


def _columns(names: tuple[str, ...]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _postgresql(cursor, tables: list[Table], untracked: list[str]) -> None:
    for name in untracked:
        cursor.execute(f'DROP TRIGGER IF EXISTS pagecache_change ON "{name}"')
    cursor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {VERSIONS} ("table", version) VALUES (TG_TABLE_NAME || TG_ARGV[0], 1)
            ON CONFLICT ("table") DO UPDATE SET version = {VERSIONS}.version + 1;
            RETURN NULL;
        END $$
        """
    )
    for table in tables:
        update = f"UPDATE OF {_columns(table.others)}" if table.texts else "UPDATE"
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER pagecache_change AFTER INSERT OR {update} OR DELETE "
            f"OR TRUNCATE ON \"{table.name}\" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('')"
        )
        if table.texts:
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER pagecache_texts AFTER UPDATE OF "
                f'{_columns(table.texts)} ON "{table.name}" FOR EACH STATEMENT '
                f"EXECUTE FUNCTION {FUNCTION}('{TEXTS}')"
            )


def _sqlite(cursor, tables: list[Table], untracked: list[str]) -> None:
    for name in untracked:
        for event in ("insert", "update", "delete"):
            cursor.execute(f'DROP TRIGGER IF EXISTS "pagecache_{name}_{event}"')
    # The rows are made here and the triggers only add to them: an INSERT in a trigger body
    # would take the conflict clause of the statement that fired it (an INSERT OR REPLACE
    # would start the count again).
    names = [table.name for table in tables]
    names += [table.name + TEXTS for table in tables if table.texts]
    cursor.executemany(
        f'INSERT OR IGNORE INTO {VERSIONS} ("table", version) VALUES (%s, 0)',
        [(name,) for name in names],
    )

    def trigger(name: str, event: str, table: str, counted: str) -> None:
        cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        cursor.execute(
            f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" BEGIN '
            f"UPDATE {VERSIONS} SET version = version + 1 WHERE \"table\" = '{counted}'; END"
        )

    for table in tables:
        name = f"pagecache_{table.name}"
        trigger(f"{name}_insert", "INSERT", table.name, table.name)
        trigger(f"{name}_delete", "DELETE", table.name, table.name)
        if table.texts:
            trigger(f"{name}_update", f"UPDATE OF {_columns(table.others)}", table.name, table.name)
            trigger(
                f"{name}_texts",
                f"UPDATE OF {_columns(table.texts)}",
                table.name,
                table.name + TEXTS,
            )
        else:
            trigger(f"{name}_update", "UPDATE", table.name, table.name)


def install_triggers(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate's receiver for this app."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if VERSIONS not in existing:
        return
    tables = [table for table in tracked() if table.name in existing]
    untracked = [name for name in not_counted() if name in existing]
    install = {"postgresql": _postgresql, "sqlite": _sqlite}[connection.vendor]
    # A flush (the tests' TransactionTestCase) empties the versions too and then sends
    # post_migrate: the rows and the triggers come back.
    with connection.cursor() as cursor:
        install(cursor, tables, untracked)
