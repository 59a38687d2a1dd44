"""The load run: gunicorn with the production settings on loopback, against the benchmark's
database, and client threads that mix page reads and autosaves for a fixed time.

The clients model people: after each answer a client waits a random think time (uniform
between two bounds, by default 0.5–1.5 s: someone clicking or typing about once a second,
already busier than a real official). After that run the same server gets, for a shorter time,
the same clients with no think time (closed loop, a request as soon as the last one answered):
its requests/s is the server's capacity. A think time of 0 makes the main run that closed loop.

Each client has a signed-in session made beforehand and sections of its own to write in (the
newest round's records that are not approved yet), so it always knows the version its next
autosave is based on and the saves succeed unless something is wrong. Afterwards every autosave
that answered "saved" is looked for in the database (`check_saves`).

Bounded: each client stops starting requests at the deadline and after MAX_REQUESTS_PER_CLIENT,
every request has a timeout, the threads are waited for a bounded time, and gunicorn's process
group is stopped whatever happens.
"""

import functools
import os
import random
import re
import runpy
import secrets
import ssl
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from django.conf import settings
from django.db import connection
from django.test import Client

from negotiations.models import RecordSection, RecordSectionVersion
from tests import gunicorn
from tests.bench.autosave import Target, outcome
from tests.bench.data import BenchData, editable_record_sections, ministry_officials
from tests.bench.measure import nearest_rank, pages

SECONDS, CLIENTS = 60, 50
# Seconds a client waits after each answer, uniform between the two; (0, 0): no pause.
THINK = (0.5, 1.5)
# The closed-loop run after the think-time run, on the same server: the capacity.
CAPACITY_SECONDS = 20
# Before the measured seconds the clients already run this long, untimed: gunicorn's workers
# import and compile their templates on their first requests.
WARM_UP_SECONDS = 5
AUTOSAVE_SHARE = 0.25  # of a client's requests; the rest read pages
REQUEST_TIMEOUT = 30.0
# Until gunicorn answers /healthz: its workers import the application at once, which on this
# shared 2-core machine has taken longer than tests/gunicorn.py's 20 s.
START_TIMEOUT = 60
MAX_REQUESTS_PER_CLIENT = 10_000


@dataclass
class Save:
    """An autosave that answered "saved": the section, the version it made and its texts."""

    section_pk: int
    version: int
    texts: dict[str, str]


@dataclass
class ClientLog:
    # (when it started, ms) per kind of request
    times: dict[str, list[tuple[float, float]]] = field(
        default_factory=lambda: {"page": [], "autosave": []}
    )
    errors: Counter = field(default_factory=Counter)  # (kind, what) -> count
    outcomes: Counter = field(default_factory=Counter)  # autosave answers
    saves: list[Save] = field(default_factory=list)
    unanswered: Counter = field(default_factory=Counter)  # section pk -> autosaves not "saved"


def sessions(users) -> list[str]:
    """A signed-in session per user, made in the database the server uses (with the server's
    SECRET_KEY, so the server accepts them)."""
    keys = []
    for user in users:
        client = Client()
        client.force_login(user)
        keys.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return keys


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One for every client (the server is plain HTTP on loopback): httpx would load the
    certificate store for each client, some 80 ms apiece on this machine."""
    return ssl.create_default_context()


class LoadClient:
    """One user: a browser with a session that reads pages and autosaves its sections."""

    def __init__(
        self,
        http: httpx.Client,
        number: int,
        page_urls: list[str],
        targets: list[Target],
        *,
        autosave_share: float = AUTOSAVE_SHARE,
        think: tuple[float, float] = (0.0, 0.0),
    ) -> None:
        self.http = http
        self.number = number
        self.page_urls = page_urls
        self.targets = targets
        self.autosave_share = autosave_share if targets else 0.0
        self.random = random.Random(number)
        self.think = think
        self.log = ClientLog()
        self.count = 0

    @classmethod
    def connect(
        cls,
        base_url: str,
        session_key: str,
        number: int,
        page_urls: list[str],
        targets: list[Target],
        *,
        behind_proxy: bool = True,
        transport: httpx.BaseTransport | None = None,
        autosave_share: float = AUTOSAVE_SHARE,
        think: tuple[float, float] = (0.0, 0.0),
    ) -> "LoadClient":
        """With `behind_proxy` the client says what the TLS-terminating proxy says
        (`X-Forwarded-Proto: https`, which gunicorn trusts from loopback), so that the secure
        cookies, the HTTPS redirect and the CSRF origin check run as in production."""
        token = secrets.token_hex(16)  # an unmasked 32-character CSRF secret
        origin = base_url.replace("http://", "https://") if behind_proxy else base_url
        headers = {
            # Fixed, and not from the cookie jar: the server sets the cookies `Secure`, which
            # a jar keeps for https:// addresses only; the session key itself does not change.
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; csrftoken={token}",
            "X-CSRFToken": token,
            "Origin": origin,
        }
        if behind_proxy:
            headers["X-Forwarded-Proto"] = "https"
        http = httpx.Client(
            base_url=base_url,
            headers=headers,
            timeout=REQUEST_TIMEOUT,
            transport=transport,
            verify=_ssl_context(),
        )
        return cls(http, number, page_urls, targets, autosave_share=autosave_share, think=think)

    def step(self) -> None:
        if self.random.random() < self.autosave_share:
            self.autosave(self.random.choice(self.targets))
        else:
            self.read(self.random.choice(self.page_urls))

    def _send(self, kind: str, method: str, url: str, **kwargs) -> httpx.Response | None:
        started = time.monotonic()
        start = time.perf_counter()
        try:
            response = self.http.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            self.log.errors[(kind, type(error).__name__)] += 1
            return None
        finally:
            self.log.times[kind].append((started, (time.perf_counter() - start) * 1000))
        if response.status_code != 200:
            self.log.errors[(kind, f"HTTP {response.status_code}")] += 1
        return response

    def read(self, url: str) -> None:
        self._send("page", "GET", url)

    def autosave(self, target: Target) -> None:
        self.count += 1
        texts = target.typed(f"Kuormitus {self.number}-{self.count}.")
        response = self._send(
            "autosave", "POST", target.url, data=target.form(texts), headers={"HX-Request": "true"}
        )
        if response is None:
            result, version = "error", None
        else:
            result, version = outcome(response.status_code, response.text, target)
            if result == "error" and response.status_code == 200:
                self.log.errors[("autosave", "not saved")] += 1
        self.log.outcomes[result] += 1
        if result == "saved":
            target.texts, target.version = texts, version
            self.log.saves.append(Save(target.pk, version, texts))
            return
        # It may still have been saved (a timeout): the writer's text stays as typed, and the
        # version is read again from the record page, as a reload of the page would.
        self.log.unanswered[target.pk] += 1
        target.texts = texts
        self.resync(target)

    def resync(self, target: Target) -> None:
        response = self._send("page", "GET", target.page_url)
        if response is not None and response.status_code == 200:
            version = stored_version(response.text, target.pk)
            if version is not None:
                target.version = version

    def pause(self, deadline: float, seconds: float) -> bool:
        """Wait `seconds`, but not past the deadline; False if the deadline has come."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        time.sleep(min(seconds, remaining))
        return time.monotonic() < deadline

    def run(self, deadline: float, max_requests: int = MAX_REQUESTS_PER_CLIENT) -> None:
        """Requests until the deadline (or `max_requests`), each followed by a think time;
        with one, the first request also waits a random part of it, as people do not all
        click at the same moment."""
        low, high = self.think
        try:
            if high > 0 and not self.pause(deadline, self.random.uniform(0, high)):
                return
            for _ in range(max_requests):
                if time.monotonic() >= deadline:
                    break
                self.step()
                if high > 0 and not self.pause(deadline, self.random.uniform(low, high)):
                    break
        finally:
            self.http.close()


_STORED_VERSION = re.compile(r"<input[^>]*\bname=\"version-(\d+)\"[^>]*>")
_VALUE = re.compile(r'\bvalue="(\d*)"')


def stored_version(html: str, section_pk: int) -> int | None:
    """The version of a section as its editing page says it (the hidden `version-<pk>`)."""
    for tag in _STORED_VERSION.finditer(html):
        if int(tag[1]) == section_pk:
            value = _VALUE.search(tag[0])
            return int(value[1]) if value and value[1] else None
    return None


def plan(data: BenchData, clients: int) -> tuple[list[str], list[list[Target]], dict[int, int]]:
    """The pages to read, each client's own sections (the client count is spread over the
    sections; sections are shared only when there are fewer of them than clients), and each
    section's version before the run."""
    page_urls = [page.url for page in pages(data) if page.autosave is None]
    sections = editable_record_sections(data)
    per_client: list[list[Target]] = [[] for _ in range(clients)]
    for n, section in enumerate(sections):
        per_client[n % clients].append(Target.of(section))
    for n in range(len(sections), clients):  # more clients than sections
        per_client[n].append(Target.of(sections[n % len(sections)]))
    initial = {section.pk: section.version for section in sections}
    return page_urls, per_client, initial


def run_clients(
    load_clients: list[LoadClient], seconds: float, warm_up: float = 0.0
) -> tuple[list[ClientLog], float, float]:
    """Every client in its own thread for `warm_up` and then `seconds`; the logs, when the
    measured time began and how long it lasted (until the last client stopped)."""
    measured_from = time.monotonic() + warm_up
    deadline = measured_from + seconds
    threads = [
        threading.Thread(target=client.run, args=(deadline,), daemon=True, name=f"client-{n}")
        for n, client in enumerate(load_clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT + 5)
    elapsed = time.monotonic() - measured_from
    stuck = sum(thread.is_alive() for thread in threads)
    logs = [client.log for client in load_clients]
    if stuck:
        logs[0].errors[("client", "thread still running at the end")] += stuck
    return logs, measured_from, elapsed


def check_saves(saves: list[Save], unanswered: Counter, initial: dict[int, int]) -> list[str]:
    """Problems with the saves that answered "saved", compared with the database: each save
    adds one to its section's version, so a section must be at its initial version plus its
    saves (plus at most the autosaves whose answer said nothing); the last save's texts must be
    the section's and its history's newest version. An empty list: every save is there."""
    problems = []
    by_section: dict[int, list[Save]] = {}
    for save in saves:
        by_section.setdefault(save.section_pk, []).append(save)
    stored = RecordSection.objects.in_bulk(list(by_section))
    for pk, section_saves in sorted(by_section.items()):
        versions = [save.version for save in section_saves]
        if len(set(versions)) != len(versions):
            problems.append(f"section {pk}: two saves answered with the same version")
        section = stored.get(pk)
        if section is None:
            problems.append(f"section {pk}: {len(section_saves)} saves, the section is gone")
            continue
        last = max(section_saves, key=lambda save: save.version)
        lowest = initial.get(pk, 0) + len(section_saves)
        highest = lowest + unanswered.get(pk, 0)
        if not lowest <= section.version <= highest:
            problems.append(
                f"section {pk}: version {section.version} in the database, "
                f"{len(section_saves)} saves answered up to version {last.version}"
            )
        if section.version == last.version:
            if any(getattr(section, name) != text for name, text in last.texts.items()):
                problems.append(f"section {pk}: the text of saved version {last.version} is gone")
            newest = RecordSectionVersion.objects.filter(section_id=pk).order_by("-version").first()
            if newest is None or newest.version != last.version:
                problems.append(f"section {pk}: saved version {last.version} not in its history")
            elif any(getattr(newest, name) != text for name, text in last.texts.items()):
                problems.append(f"section {pk}: the history of version {last.version} differs")
    return problems


def summary(logs: list[ClientLog], measured_from: float, elapsed: float, clients: int) -> dict:
    """Times and rates of the requests that began in the measured seconds; errors and
    answers of the whole run, warm-up included."""
    times = {
        kind: [
            ms
            for started, ms in (t for log in logs for t in log.times[kind])
            if started >= measured_from
        ]
        for kind in ("page", "autosave")
    }
    errors: Counter = Counter()
    outcomes: Counter = Counter()
    for log in logs:
        errors.update(log.errors)
        outcomes.update(log.outcomes)
    requests = sum(len(values) for values in times.values())
    return {
        "clients": clients,
        "seconds": elapsed,
        "requests": requests,
        "per_second": requests / elapsed if elapsed else 0.0,
        "errors": sum(errors.values()),
        "error_kinds": {f"{kind}: {what}": count for (kind, what), count in errors.items()},
        "outcomes": dict(outcomes),
        "kinds": {
            kind: {
                "requests": len(values),
                "p50": statistics.median(values) if values else None,
                "p95": nearest_rank(values, 95) if values else None,
                "p99": nearest_rank(values, 99) if values else None,
            }
            for kind, values in times.items()
        },
    }


def server_shape(env: dict[str, str]) -> tuple[int, int]:
    """gunicorn.conf.py's workers and threads in `env`, as the server read them."""
    saved = dict(os.environ)
    try:
        os.environ.update(env)
        conf = runpy.run_path(str(gunicorn.ROOT / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return conf["workers"], conf["threads"]


def server_environment(
    *,
    database_url: str,
    tmp: Path,
    workers: int | None = None,
    settings_module: str | None = None,
) -> dict[str, str]:
    """gunicorn's environment for the benchmark: the production one (tests/gunicorn.py) on a
    free port with this process's SECRET_KEY (so that the sessions made here are accepted) and
    static files; `workers` as WEB_CONCURRENCY (else gunicorn.conf.py's default) and, for the
    served measurement, its own settings module (tests/bench/settings.py, the bare view)."""
    env = gunicorn.production_environment(
        database_url=database_url,
        static_root=Path(settings.STATIC_ROOT),
        media_root=tmp / "media",
        port=gunicorn.free_port(),
        secret_key=settings.SECRET_KEY,
    )
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    return env


def server_tracebacks(log_file: Path) -> int:
    return sum("Traceback" in line for line in log_file.read_text().splitlines())


def load_run(
    data: BenchData,
    *,
    database_url: str,
    tmp: Path,
    seconds: float = SECONDS,
    clients: int = CLIENTS,
    workers: int | None = None,
    warm_up: float = WARM_UP_SECONDS,
    think: tuple[float, float] = THINK,
    capacity_seconds: float = CAPACITY_SECONDS,
) -> dict:
    """gunicorn with the production settings against the benchmark's database (DATABASE_URL
    of this process), `clients` threads with `think` time for `seconds`, then (with a think
    time and `capacity_seconds`) the same clients without it on the same server; the figures
    and the check of the saves of both."""
    users = ministry_officials(clients)
    keys = sessions(users)
    page_urls, targets, initial = plan(data, clients)
    env = server_environment(database_url=database_url, tmp=tmp, workers=workers)
    # The server gets the database to itself while it runs (SQLite: no reader of ours open).
    connection.close()
    log_file = tmp / "gunicorn.log"
    closed_loop = think[1] > 0 and capacity_seconds > 0
    with gunicorn.gunicorn(env, log=log_file, start_timeout=START_TIMEOUT) as base_url:

        def connect(think_time: tuple[float, float]) -> list[LoadClient]:
            # The targets are the same objects in both runs: the versions carry over.
            return [
                LoadClient.connect(base_url, keys[n], n, page_urls, targets[n], think=think_time)
                for n in range(clients)
            ]

        logs, measured_from, elapsed = run_clients(connect(think), seconds, warm_up)
        if closed_loop:
            capacity_logs, capacity_from, capacity_elapsed = run_clients(
                connect((0.0, 0.0)), capacity_seconds
            )
    result = summary(logs, measured_from, elapsed, clients)
    result["warm_up"] = warm_up
    result["think"] = list(think)
    result["capacity"] = None
    all_logs = list(logs)
    if closed_loop:
        result["capacity"] = summary(capacity_logs, capacity_from, capacity_elapsed, clients)
        all_logs += capacity_logs
    saves = [save for log in all_logs for save in log.saves]
    unanswered: Counter = Counter()
    for log in all_logs:
        unanswered.update(log.unanswered)
    result["saved"] = len(saves)
    result["sections"] = len(initial)
    result["problems"] = check_saves(saves, unanswered, initial)
    result["workers"], result["threads"] = server_shape(env)
    result["server_tracebacks"] = server_tracebacks(log_file)
    return result
