"""A GET changes nothing: every page of the URL map, PDFs, CSV, calendars, attachments,
histories and the admin included, leaves the row count of every table as it was, whoever
asks (the demo's admin, ministry official, two regional preparers and an anonymous visitor).

The pages and their demo objects are those of the bad-input test's table (tests/endpoints.py),
so a new URL name is in both or fails there."""

import pytest
from django.apps import apps
from django.db import connection, transaction

from tests.endpoints import HTMX, Demo, answers_htmx, endpoint_urls, url_names

pytestmark = pytest.mark.django_db

USERS = ["admin", "ministry", "pirkanmaa", "lappi", None]
# Tables a GET may change: activity saves the session once a minute (the idle timeout),
# the usage log records who read what, and axes records logins.
CHANGED_BY_A_GET = {"sessions", "audit", "axes"}


def counted_tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label not in CHANGED_BY_A_GET
            and model._meta.managed
            and not model._meta.proxy
        }
    )


def row_counts() -> dict[str, int]:
    """The row count of every table, in one query (two per request of the crawl, not 80)."""
    tables = counted_tables()
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


@pytest.mark.parametrize("username", USERS, ids=lambda name: name or "anonymous")
def test_a_get_of_any_page_leaves_every_table_as_it_was(client, media_root, username):
    demo = Demo()
    demo.extras()
    if user := demo.user(username):
        client.force_login(user)
    failures = []
    for name in url_names():
        for url in endpoint_urls(name, demo):
            # The htmx answer too, where the view has one (a PDF is rendered once).
            for headers in ({}, HTMX) if answers_htmx(url) else ({},):
                what = f"GET {url} ({name}{', htmx' if headers else ''})"
                before = row_counts()
                try:
                    with transaction.atomic():
                        response = client.get(url, headers=headers)
                except Exception as error:  # listed with the others, not the first alone
                    failures.append(f"{what}: {type(error).__name__}: {str(error)[:200]!r}")
                    continue
                after = row_counts()
                if response.status_code >= 500:
                    failures.append(f"{what}: status {response.status_code}")
                changed = {
                    table: f"{before[table]} → {after[table]}"
                    for table in before
                    if before[table] != after[table]
                }
                if changed:
                    failures.append(f"{what}: {changed}")
    assert not failures, "\n".join(failures)
