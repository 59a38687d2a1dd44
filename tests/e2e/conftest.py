"""Browser journeys: Playwright drives the system's Chromium against pytest-django's live server."""

import os
import threading

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import DEFAULT_OPTIONS, Axe
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without these Chromium waits on connections that this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there (creating users, reading results) are still ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    """Every journey is a browser test, and one of any_database: what it proves is the
    pages in a browser (their behaviour, focus, axe-core, reflow), the same whichever
    database the server reads; the database's own behaviour is tested without a browser on
    both, concurrency on PostgreSQL (tests/negotiations/test_concurrency.py), and the live
    server here answers one request at a time anyway (one_request_at_a_time below). So
    `make test` runs the journeys in its SQLite run only (see the Makefile)."""
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.any_database)


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Browser:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install the Debian package chromium (make test does).")
    # Playwright keeps an asyncio loop running in this thread, and Django then keeps database
    # connections per async context: the tests would get fresh connection objects without the
    # test database's serialized state, and serialized_rollback would restore nothing. Hand
    # the connections made while setting up the test database over to that context.
    existing = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in existing.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def one_request_at_a_time():
    """The live server answers one request at a time. On SQLite its threads share the test
    database's single connection, and two requests at once (an autosave fired by the blur of
    a click on "approve", say) would interleave their savepoints on it. Concurrent requests
    are tested where they are real: tests/negotiations/test_concurrency.py on PostgreSQL."""
    lock = threading.Lock()
    original = WSGIHandler.__call__

    def serialised(self, environ, start_response):
        with lock:
            return original(self, environ, start_response)

    WSGIHandler.__call__ = serialised
    yield
    WSGIHandler.__call__ = original


@pytest.fixture
def page(browser: Browser, live_server) -> Page:
    # An English browser on purpose: the service must still answer in Finnish.
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def open_page(browser: Browser, live_server):
    """Pages for further users in their own browser contexts, closed after the test so the
    live server's request threads end while the test database is still shared with them."""
    contexts = []

    def open_() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def sign_in(page: Page, username: str, password: str = "demo") -> None:
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu sisään").click()


@pytest.fixture
def log_in():
    """log_in(page, username, password="demo"): signs in through the login form the page
    shows (the demo users' password unless told)."""
    return sign_in


class AxeOncePerDocument(Axe):
    """axe-core put into a document once: checking the same page again (at another width,
    after an htmx swap) runs the script already there instead of sending its 570 kB again.
    The same check with the same options as Axe.run."""

    def run(self, page, context=None, options=DEFAULT_OPTIONS) -> AxeResults:
        if not page.evaluate("typeof window.axe?.run === 'function'"):
            page.evaluate(self.axe_script)
        args = self._format_script_args(context=context, options=options)
        return AxeResults(page.evaluate(f"axe.run({args}).then(results => results)"))


@pytest.fixture(scope="session")
def axe() -> Axe:
    return AxeOncePerDocument()


@pytest.fixture
def assert_accessible(axe: Axe):
    """Runs axe-core on the page as it is now; any violation fails the test with axe's report."""

    def check(page: Page) -> None:
        results = axe.run(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check
