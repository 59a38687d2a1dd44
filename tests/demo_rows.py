"""The demo data for tests, without running `seed_demo()` in full in every test that needs it.

`seed_demo()` makes some 1 800 rows through the ORM (3 000 queries, 2–4 seconds; more on
PostgreSQL), and some 110 tests and browser journeys start from it, on both databases.
`seed_demo_rows()` leaves the database exactly as `seed_demo()` would: the first time, it
runs `seed_demo()` and notes every row that it added or changed; after that, in a database
holding exactly the same rows as that one did (every table compared, row by row), with the
same password hashers and language active, it writes the noted rows again, one INSERT a
table: the same primary keys and values, timestamps included. In any other database it runs
`seed_demo()` (and notes that one too). tests/test_demo_rows.py checks the copy.

`tests/negotiations/test_seed_demo.py` tests `seed_demo()` itself and keeps calling it."""

import hashlib
from functools import reduce
from operator import or_

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q
from django.db.models.sql import DeleteQuery, InsertQuery
from django.utils import translation

from negotiations.demo import seed_demo

# {what the database held and the settings seed_demo() read: the SQL of what it changed}
_noted: dict[tuple, list] = {}


def _models() -> list:
    """Every table but the page cache's versions, which the database's triggers write as the
    other rows are written (pagecache.triggers)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and not model._meta.swapped
        and model._meta.app_label != "pagecache"
    ]


def _fields(model) -> list:
    """The columns compared and written. An automatic many-to-many table's rows are their
    two keys: the serialized rollback of the browser tests puts them back under new ids."""
    fields = model._meta.concrete_fields
    if model._meta.auto_created:
        fields = [field for field in fields if not field.primary_key]
    return fields


def _rows(model, using: str) -> dict:
    """{primary key (or the row of an automatic many-to-many table): row}."""
    names = [field.attname for field in _fields(model)]
    rows = model._base_manager.using(using).values_list(*names)
    if model._meta.auto_created:
        return {row: row for row in rows.order_by(*names)}
    rows = rows.order_by("pk")
    pk_index = names.index(model._meta.pk.attname)
    return {row[pk_index]: row for row in rows}


def _key(tables: dict) -> tuple:
    """Every row of the database, and the settings that seed_demo()'s rows depend on."""
    digest = hashlib.sha256()
    for model, rows in tables.items():
        digest.update(repr((model._meta.db_table, list(rows.values()))).encode())
    return digest.hexdigest(), tuple(settings.PASSWORD_HASHERS), translation.get_language()


def _statements(before: dict, after: dict, using: str) -> list:
    """The SQL that turns `before` into `after`: deletes of the rows seed_demo() changed,
    inserts of the rows it added or changed, and on PostgreSQL each sequence moved after its
    table's largest key (SQLite moves its own). Compiled once, run for every copy."""
    connection = connections[using]
    statements, written_models = [], []
    for model, old in before.items():
        new = after[model]
        deleted = [pk for pk, row in old.items() if new.get(pk) != row]
        written = [row for pk, row in new.items() if old.get(pk) != row]
        fields = _fields(model)
        names = [field.attname for field in fields]
        if deleted:
            if model._meta.auto_created:
                which = reduce(or_, (Q(**dict(zip(names, row, strict=True))) for row in deleted))
            else:
                which = Q(pk__in=deleted)
            query = model._base_manager.using(using).filter(which).query.clone()
            query.__class__ = DeleteQuery
            statements.append(query.get_compiler(using).as_sql())
        if written:
            written_models.append(model)
            objs = [model(**dict(zip(names, row, strict=True))) for row in written]
            size = connection.ops.bulk_batch_size(fields, objs) or len(objs)
            for start in range(0, len(objs), size):
                query = InsertQuery(model)
                # raw: the values as they were read, no auto_now or other pre_save changes.
                query.insert_values(fields, objs[start : start + size], raw=True)
                statements.extend(query.get_compiler(using).as_sql())
    statements.extend(
        (sql, ()) for sql in connection.ops.sequence_reset_sql(no_style(), written_models)
    )
    return statements


def _write(statements: list, using: str) -> None:
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def seed_demo_rows(using: str = DEFAULT_DB_ALIAS) -> None:
    """The database as `seed_demo()` leaves it."""
    before = {model: _rows(model, using) for model in _models()}
    key = _key(before)
    if key in _noted:
        _write(_noted[key], using)
        # Another test's copy has the same timestamps, so the same keys of the cached public
        # pages: start without them, as seed_demo()'s own timestamps would.
        for cache in caches.all():
            cache.clear()
        return
    seed_demo()
    after = {model: _rows(model, using) for model in _models()}
    _noted[key] = _statements(before, after, using)
