"""The production shape: gunicorn with gunicorn.conf.py and DJANGO_DEBUG=false, the static files
collected (the stylesheet it fetches compressed, see COLLECTSTATIC) and served by WhiteNoise,
checked over real HTTP on a free loopback port.

The client stands in for the TLS-terminating proxy: it says `X-Forwarded-Proto: https`
(gunicorn trusts it from loopback), so the HTTPS redirect, the secure cookies and the CSRF
origin check all run as in production.

On PostgreSQL gunicorn uses pytest-django's test database, on SQLite a file copy of it (the
SQLite test database lives in this process's memory, where no other process can open it).
Every wait is bounded; gunicorn is stopped whatever happens.
"""

import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from django.db import connection

from tests.gunicorn import ROOT, CommandFailed, finish, free_port, gunicorn, manage

ONE_YEAR = 365 * 24 * 60 * 60
USERNAME = "tuotantotesti"
PASSWORD = "Tuotanto-salasana-2026"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# collectstatic as production runs it (the production settings' storage: hashed names, the
# manifest, gzip and brotli), except that only the stylesheet the test fetches is compressed.
# Brotli takes some 20 s of CPU for the rest (the fonts and the admin's scripts), which
# nothing here asks for.
COMPRESSED = r"^css/app\.[0-9a-f]{12}\.css$"
COLLECTSTATIC = f"""
import re
import django
django.setup()
from django.core.management import call_command
from whitenoise.compress import Compressor
should_compress = Compressor.should_compress
Compressor.should_compress = lambda self, name: (
    re.search({COMPRESSED!r}, name) is not None and should_compress(self, name)
)
call_command("collectstatic", interactive=False, verbosity=0)
"""


def start_collectstatic(environment: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", COLLECTSTATIC],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "steering.settings"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def database_url(tmp_path: Path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(settings["USER"] or "", safe="")
        password = quote(settings["PASSWORD"] or "", safe="")
        credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
        host = settings["HOST"] or "localhost"
        port = f":{settings['PORT']}" if settings["PORT"] else ""
        return f"postgres://{credentials}{host}{port}/{quote(settings['NAME'], safe='')}"
    assert connection.vendor == "sqlite", connection.vendor
    return f"sqlite:///{tmp_path / 'production.sqlite3'}"


@pytest.fixture
def server(tmp_path: Path):
    """A running gunicorn: its base URL, its log file and its collected static files."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="production-test-" + "x7Kq2mVw9RtZ4pLs" * 4,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url(tmp_path),
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        PORT=str(port),
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="2",
    )
    environment.pop("BIND", None)
    # Runs while the database is prepared.
    collectstatic = start_collectstatic(environment)
    try:
        if connection.vendor == "sqlite":
            # The test database, migrated already, copied into the file gunicorn opens.
            connection.ensure_connection()
            with closing(sqlite3.connect(tmp_path / "production.sqlite3")) as copy:
                connection.connection.backup(copy)
        # Made by the production settings, so that the password hash is one of theirs.
        manage(
            environment,
            "shell",
            "-v",
            "0",
            "-c",
            "from django.contrib.auth.models import User; "
            f"User.objects.create_user({USERNAME!r}, password={PASSWORD!r}, first_name='Tuula')",
        )
    finally:
        finish(collectstatic)

    log = tmp_path / "gunicorn.log"
    try:
        with gunicorn(environment, log=log) as base_url:
            yield base_url, log, tmp_path / "static"
    except CommandFailed as failure:  # gunicorn exited or did not answer in time
        pytest.fail(str(failure))


@pytest.fixture
def browser(server):
    base_url, _log, _static = server
    secure_cookies = set()

    def as_behind_the_proxy(response: httpx.Response) -> None:
        # The cookies are `Secure`, and a cookie jar keeps those for https:// addresses. The
        # proxy would carry them over the TLS connection it terminates; here the jar is told
        # to send them over plain loopback.
        for cookie in client.cookies.jar:
            if cookie.secure:
                secure_cookies.add(cookie.name)
                cookie.secure = False

    client = httpx.Client(
        base_url=base_url,
        headers={"X-Forwarded-Proto": "https"},
        event_hooks={"response": [as_behind_the_proxy]},
        timeout=10,
    )
    client.secure_cookies = secure_cookies
    with client:
        yield client


def test_gunicorn_serves_the_application_and_its_static_files(server, browser):
    base_url, log, static_root = server
    # /healthz over plain HTTP, as a load balancer probes it (exempt from the HTTPS redirect).
    health = httpx.get(f"{base_url}/healthz", timeout=10)
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "database": "ok"}
    assert httpx.get(f"{base_url}/login/", timeout=10).status_code == 301

    login = browser.get("/login/")
    assert login.status_code == 200, login.text
    csp = login.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "Strict-Transport-Security" in login.headers

    # The stylesheet under its hashed name, compressed, cached for good.
    stylesheet = re.search(
        r'<link rel="stylesheet" href="(/static/css/app\.[0-9a-f]{12}\.css)"', login.text
    )
    assert stylesheet, login.text
    collected = static_root / stylesheet[1].removeprefix("/static/")
    for encoding in ("br", "gzip"):
        css = browser.get(stylesheet[1], headers={"Accept-Encoding": encoding})
        assert css.status_code == 200
        assert css.headers["Content-Encoding"] == encoding
        assert css.headers["Content-Type"].startswith("text/css")
        assert css.content == collected.read_bytes()
        cache_control = css.headers["Cache-Control"]
        max_age = int(re.search(r"max-age=(\d+)", cache_control)[1])
        assert max_age >= ONE_YEAR, cache_control
        assert "immutable" in cache_control, cache_control

    # Signing in through the form: the CSRF cookie and token, the session cookie.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)[1]
    signed_in = browser.post(
        "/login/",
        data={"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD},
        headers={"Origin": f"https://127.0.0.1:{browser.base_url.port}"},
        follow_redirects=True,
    )
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.url.path == "/"
    assert browser.secure_cookies == {"csrftoken", "sessionid"}
    assert '<span class="current-user">Tuula</span>' in signed_in.text

    # The access log on stdout shows the requests.
    assert '"GET /healthz HTTP/1.1" 200' in log.read_text()
