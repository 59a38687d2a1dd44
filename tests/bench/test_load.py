"""The load run: its clients' autosaves are checked against the database, and the check finds
a save that is missing; a very short run with gunicorn prints its figures and the check.

The first tests drive the load run's own client through the WSGI application in this process
(httpx's WSGI transport), so that the test database holds what they save; the last one runs
`python -m tests.bench` as `make bench` does, 3 clients for 3 seconds on the tiny data set."""

import contextlib
import re
import subprocess
import sys

import httpx
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction

from negotiations.models import RecordSection, RecordSectionVersion
from tests.bench import load
from tests.bench.data import build_data, ministry_officials
from tests.gunicorn import ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_process():
    """The WSGI application in this thread, without closing the test's database connection
    at the end of each request (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield httpx.WSGITransport(app=WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def run(in_process):
    """Two clients that each autosaved their sections a few times and read a page."""
    data = build_data(rounds=1, regions=2, themes=2, actions=1, words=20)
    page_urls, targets, initial = load.plan(data, 2)
    keys = load.sessions(ministry_officials(2))
    clients = [
        load.LoadClient.connect(
            "http://testserver",
            keys[n],
            n,
            page_urls,
            targets[n],
            behind_proxy=False,
            transport=in_process,
        )
        for n in range(2)
    ]
    for client in clients:
        client.read(page_urls[0])
        for target in client.targets * 2:
            client.autosave(target)
    saves = [save for client in clients for save in client.log.saves]
    return clients, saves, initial


def unanswered(clients):
    counts = load.Counter()
    for client in clients:
        counts.update(client.log.unanswered)
    return counts


def test_the_clients_autosaves_answer_saved_and_are_all_in_the_database(run):
    clients, saves, initial = run
    attempts = sum(len(client.targets) * 2 for client in clients)
    assert len(saves) == attempts
    assert all(not client.log.errors for client in clients)
    assert load.check_saves(saves, unanswered(clients), initial) == []


class Rollback(Exception):
    pass


def test_the_check_reports_each_save_that_is_missing(run):
    clients, saves, initial = run
    last = saves[-1]
    sections = RecordSection.objects.filter(pk=last.section_pk)
    history = RecordSectionVersion.objects.filter(section_id=last.section_pk, version=last.version)
    pk, version = last.section_pk, last.version
    damages = {
        "text changed": (
            lambda: sections.update(discussion="Jotain muuta."),
            f"section {pk}: the text of saved version {version} is gone",
        ),
        "version lost": (
            lambda: sections.update(version=version - 1),
            f"section {pk}: version {version - 1} in the database, "
            f"{sum(s.section_pk == pk for s in saves)} saves answered up to version {version}",
        ),
        "history lost": (
            lambda: history.delete(),
            f"section {pk}: saved version {version} not in its history",
        ),
        "section deleted": (
            lambda: sections.delete(),
            f"section {pk}: {sum(s.section_pk == pk for s in saves)} saves, the section is gone",
        ),
    }
    for name, (damage, expected) in damages.items():
        with contextlib.suppress(Rollback), transaction.atomic():
            damage()
            assert load.check_saves(saves, unanswered(clients), initial) == [expected], name
            raise Rollback
    assert load.check_saves(saves, unanswered(clients), initial) == []


def test_a_short_load_run_with_gunicorn_prints_its_figures_and_finds_every_save():
    completed = subprocess.run(
        [
            sys.executable, "-m", "tests.bench", "--sizes", "tiny", "--only", "load",
            "--seconds", "3", "--clients", "3", "--warm-up", "1", "--uncompressed-static",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert re.search(r"\d+ requests, [\d.]+ requests/s, \d+ errors", output), output
    for kind in ("page", "autosave"):
        assert re.search(rf"^{kind} +\d+ +\d+ +\d+ +\d+ ", output, re.MULTILINE), output
    saved = re.search(
        r'Every autosave that answered "saved" is in the database: (\d+) saves', output
    )
    assert saved and int(saved[1]) > 0, output
