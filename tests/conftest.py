"""Shared fixtures; the functions that build their objects are in tests/factories.py."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from regions.roles import MINISTRY_OFFICIAL
from tests.demo_rows import seed_demo_rows
from tests.factories import county, make_preparer, make_user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, the test database without autovacuum. Its tables hold rows that no
    test commits: a vacuum counts them as empty (reltuples 0 for all their pages), and the
    planner then takes the demo's thousand rows for one, and a page that took 0.1 s takes
    0.5 s for the rest of the run. Never vacuumed, a table is estimated from its size."""
    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                for table in connection.introspection.table_names(cursor):
                    cursor.execute(
                        f"ALTER TABLE {connection.ops.quote_name(table)} SET"
                        " (autovacuum_enabled = false, toast.autovacuum_enabled = false)"
                    )
    yield


@pytest.fixture
def ministry_user(db) -> User:
    return make_user("virkamies", group=MINISTRY_OFFICIAL, first_name="Mirja")


@pytest.fixture
def pirkanmaa_preparer(db) -> User:
    return make_preparer("pirkanmaan-valmistelija", county("08"))


@pytest.fixture
def lappi_preparer(db) -> User:
    return make_preparer("lapin-valmistelija", county("21"))


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("paakayttaja", "admin@example.fi", "salasana-123")


@pytest.fixture
def demo_data(db) -> None:
    """The database as seed_demo() leaves it (tests/demo_rows.py)."""
    seed_demo_rows()


def pytest_collection_modifyitems(items):
    """demo_data before the test's other fixtures (after the autouse ones): a test that asks
    for `superuser, demo_data` gets its superuser on top of the demo, and the demo's rows
    can be copied into the database as every test starts (tests/demo_rows.py). Only the
    test's function-scoped arguments count: a session fixture it asks for (the browser
    tests' axe) comes before the autouse ones, and demo_data before it would seed the demo
    with the production password hashers and the language of the previous test."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if not names or "demo_data" not in names:
            continue
        definitions = item._fixtureinfo.name2fixturedefs
        arguments = [
            name
            for name in item._fixtureinfo.argnames
            if name in names
            and name != "demo_data"
            and all(fixture.scope == "function" for fixture in definitions.get(name, ()))
        ]
        names.remove("demo_data")
        first = min((names.index(name) for name in arguments), default=None)
        names.insert(len(names) if first is None else first, "demo_data")


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded and stored files in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def query_count():
    """query_count(client, url, **headers): the number of queries a GET of the page takes,
    which must answer 200, drawn: the page cache is emptied first (the other caches are as they
    are). A test that the count does not grow with the data measures the small case with it
    and holds the large one to it with django_assert_max_num_queries."""

    def count(client, url: str, **headers) -> int:
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, **headers).status_code == 200, url
        return len(queries)

    return count


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the pages' and the figures' caches key on the
    data they show, and another test's data can be the same, timestamps and all."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def page_cache_checked(settings):
    """A cached page that reads a table outside its key fails the test (pagecache.pages)."""
    settings.PAGE_CACHE_CHECK = True


@pytest.fixture(autouse=True)
def finnish_first():
    """Each test starts in Finnish, as the service does: a request activates the reader's
    language in the thread and leaves it so, and a test after a Swedish one would otherwise
    read its lazy labels in Swedish."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # The production hasher is slow on purpose; tests create and log in many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def log_in_as(client, ministry_user, pirkanmaa_preparer, lappi_preparer):
    """The four visitors of a permission walk: Pirkanmaa's own preparer, another region's
    preparer, a ministry official and an anonymous user."""
    users = {
        "own-preparer": pirkanmaa_preparer,
        "other-preparer": lappi_preparer,
        "ministry": ministry_user,
        "anonymous": None,
    }

    def log_in(who: str) -> None:
        client.logout()
        if users[who] is not None:
            client.force_login(users[who])

    return log_in
