"""The served measurement (issue 12: "measured the way production runs"): gunicorn with
gunicorn.conf.py and the production settings (DEBUG off; 4 workers on PostgreSQL, 1 on SQLite,
which serves one process) against the benchmark's database, and 8 client threads over loopback,
each with a signed-in session, behind the same proxy headers as the load run.

Every page is requested by all clients for a block of a few seconds, in turns with blocks of
the bare view (tests/bench/urls.py; this gunicorn loads it through tests/bench/settings.py):
bare, page 1, bare, page 2, ..., bare, and in the next round the pages in the opposite order.
A page's ratio is its requests per second over the bare view's in the blocks either side of it,
so that a slower moment of the machine slows both alike.

Closed loop: a client sends its next request as soon as the last one answered. A client's rate
is its requests over the time from its first request's start to its last one's end, and a
block's rate the sum over its clients, so that the requests under way at the end of a block
are neither lost nor counted as if they had been quick. The clients of each block connect anew,
so the connections spread over the workers differently each time. The autosave POST is sent
as htmx does, each client in a section of its own on the version of its last save (as in the
load run), and afterwards every save that answered "saved" is looked for in the database.

Bounded: a fixed number of blocks, each `seconds` long plus the requests under way (each with
the load run's timeout), and gunicorn's process group is stopped whatever happens.
"""

import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from django.db import connection
from django.urls import reverse

from tests import gunicorn
from tests.bench.autosave import Target
from tests.bench.data import BenchData, editable_record_sections
from tests.bench.load import (
    START_TIMEOUT,
    ClientLog,
    LoadClient,
    Save,
    check_saves,
    run_clients,
    server_environment,
    server_shape,
    server_tracebacks,
    sessions,
)
from tests.bench.measure import nearest_rank, pages

CLIENTS = 8
SECONDS = 2.0  # one block: 53 of them on the large data set
ROUNDS = 2  # blocks per page, each between two of the bare view
WARM_UP_SECONDS = 5.0  # every page and the bare view in a short block each, before the blocks
WARM_UP_PASSES = 1
POSTGRES_WORKERS = 4  # issue 12: gunicorn with 4 workers
SETTINGS_MODULE = "tests.bench.settings"
BARE = "Bare view"


@dataclass
class Item:
    """What the clients of a block request: the bare view or one page."""

    name: str
    url: str
    keys: list[str]  # the session of each client
    target: float | None = None  # issue 12's ratio; None for the bare view
    targets: list[Target] | None = None  # an autosave: each client's own section

    @property
    def kind(self) -> str:
        return "page" if self.targets is None else "autosave"


@dataclass
class Block:
    requests: int
    per_second: float
    times: list[float]  # ms
    errors: Counter = field(default_factory=Counter)


def client_rate(log: ClientLog, kind: str) -> float:
    """One closed-loop client's requests of `kind` per second: from its first request's start
    to its last one's end (all its requests, a re-read of the page after a failed save too)."""
    spans = [
        (started, started + ms / 1000) for times in log.times.values() for started, ms in times
    ]
    if not spans:
        return 0.0
    elapsed = max(end for _, end in spans) - min(start for start, _ in spans)
    return len(log.times[kind]) / elapsed if elapsed > 0 else 0.0


def schedule(count: int, rounds: int) -> list[int | None]:
    """The blocks in order: None for the bare view, else the page's index; every page block
    between two bare blocks, the pages in the opposite order in every other round."""
    order: list[int | None] = [None]
    for n in range(rounds):
        indexes = range(count) if n % 2 == 0 else reversed(range(count))
        for index in indexes:
            order += [index, None]
    return order


class Served:
    """The clients' side of the measurement, against a server at `base_url` (or, for the
    tests, an httpx transport)."""

    def __init__(
        self,
        base_url: str,
        *,
        clients: int = CLIENTS,
        behind_proxy: bool = True,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url
        self.clients = clients
        self.behind_proxy = behind_proxy
        self.transport = transport
        self.logs: list[ClientLog] = []  # every client's, warm-up included: the saves

    def block(self, item: Item, seconds: float) -> Block:
        load_clients = [
            LoadClient.connect(
                self.base_url,
                item.keys[n % len(item.keys)],
                n,
                [item.url] if item.targets is None else [],
                [] if item.targets is None else [item.targets[n % len(item.targets)]],
                autosave_share=1.0,  # only when it has a section
                behind_proxy=self.behind_proxy,
                transport=self.transport,
            )
            for n in range(self.clients)
        ]
        logs, _, _ = run_clients(load_clients, seconds)
        self.logs += logs
        errors: Counter = Counter()
        for log in logs:
            errors.update(log.errors)
        times = [ms for log in logs for _, ms in log.times[item.kind]]
        return Block(
            requests=len(times),
            per_second=sum(client_rate(log, item.kind) for log in logs),
            times=times,
            errors=errors,
        )

    def warm_up(self, items: list[Item], seconds: float, passes: int = WARM_UP_PASSES) -> None:
        """Every item in short blocks (each client at least one request, on connections of
        its own), `passes` times: gunicorn's workers import and compile their templates on
        their first requests."""
        each = max(0.05, seconds / passes / len(items))
        for _ in range(passes):
            for item in items:
                self.block(item, each)

    def measure(
        self,
        items: list[Item],
        bare: Item,
        *,
        seconds: float = SECONDS,
        rounds: int = ROUNDS,
        warm_up: float = WARM_UP_SECONDS,
    ) -> dict:
        started = time.monotonic()
        if warm_up > 0:
            self.warm_up([bare, *items], warm_up)
        order = schedule(len(items), rounds)
        blocks = [self.block(bare if index is None else items[index], seconds) for index in order]
        bare_blocks = [block for block, index in zip(blocks, order, strict=True) if index is None]
        results = {BARE: figures(bare_blocks, bare, [])}
        for number, item in enumerate(items):
            mine = [position for position, index in enumerate(order) if index == number]
            beside = [[blocks[position - 1], blocks[position + 1]] for position in mine]
            results[item.name] = figures([blocks[p] for p in mine], item, beside)
        return {
            "clients": self.clients,
            "seconds": seconds,
            "rounds": rounds,
            "warm_up": warm_up,
            "blocks": len(blocks),
            "elapsed": time.monotonic() - started,
            "pages": results,
        }


def figures(blocks: list[Block], item: Item, beside: list[list[Block]]) -> dict:
    """An item's requests/s (the mean of its blocks'), p50 and p95 ms over all its requests;
    for a page also the bare view's requests/s in the blocks beside each of its blocks, the
    ratio, and the ratio of each round alone (its spread shows the noise)."""
    times = [ms for block in blocks for ms in block.times]
    errors: Counter = Counter()
    for block in blocks:
        errors.update(block.errors)
    result = {
        "requests": len(times),
        "per_second": statistics.mean(block.per_second for block in blocks),
        "p50": statistics.median(times) if times else None,
        "p95": nearest_rank(times, 95) if times else None,
        "errors": sum(errors.values()),
        "error_kinds": {f"{kind}: {what}": count for (kind, what), count in errors.items()},
        "target": item.target,
    }
    if beside:
        bare = [statistics.mean(b.per_second for b in pair) for pair in beside]
        result["bare_per_second"] = statistics.mean(bare)
        result["ratio"] = (
            result["per_second"] / result["bare_per_second"] if result["bare_per_second"] else 0.0
        )
        result["round_ratios"] = [
            block.per_second / rate if rate else 0.0
            for block, rate in zip(blocks, bare, strict=True)
        ]
    return result


def items_of(data: BenchData, clients: int) -> tuple[list[Item], Item, dict[int, int]]:
    """The pages of the page measurement (measure.pages) with the sessions of their users
    (the situation report its preparer's, the rest a ministry official's), each client's own
    section for the autosave, the bare view; and the autosaved sections' versions before."""
    ministry = sessions([data.ministry] * clients)
    preparer = sessions([data.preparer] * clients)
    # Each client writes in a record of its own, as the officials of different negotiations
    # do: the saves of one record wait for each other at its row lock, which would measure
    # that queue instead of the request (the load run has several writers a record).
    first_of_record = {}
    for section in editable_record_sections(data):
        first_of_record.setdefault(section.record_id, section)
    sections = list(first_of_record.values())[:clients]
    # Fewer sections than clients only in a tiny data set: then some are shared (conflicts).
    targets = [Target.of(sections[n % len(sections)]) for n in range(clients)]
    items = [
        Item(
            page.name,
            page.url,
            preparer if page.user == "preparer" else ministry,
            page.target,
            targets if page.autosave is not None else None,
        )
        for page in pages(data)
    ]
    initial = {section.pk: section.version for section in sections}
    return items, Item(BARE, reverse("bench-bare"), ministry), initial


def served_run(
    data: BenchData,
    *,
    database_url: str,
    tmp: Path,
    seconds: float = SECONDS,
    rounds: int = ROUNDS,
    clients: int = CLIENTS,
    workers: int | None = None,
    warm_up: float = WARM_UP_SECONDS,
) -> dict:
    """gunicorn with the production settings and the bare view against the benchmark's
    database (DATABASE_URL of this process), `workers` workers (POSTGRES_WORKERS if None;
    1 on SQLite); every page's requests/s and ratio, and the check of the autosaves."""
    if workers is None:
        workers = 1 if connection.vendor == "sqlite" else POSTGRES_WORKERS
    items, bare, initial = items_of(data, clients)
    env = server_environment(
        database_url=database_url, tmp=tmp, workers=workers, settings_module=SETTINGS_MODULE
    )
    # The server gets the database to itself while it runs (SQLite: no reader of ours open).
    connection.close()
    log_file = tmp / "gunicorn-served.log"
    with gunicorn.gunicorn(env, log=log_file, start_timeout=START_TIMEOUT) as base_url:
        served = Served(base_url, clients=clients)
        result = served.measure(items, bare, seconds=seconds, rounds=rounds, warm_up=warm_up)
    saves: list[Save] = [save for log in served.logs for save in log.saves]
    unanswered: Counter = Counter()
    for log in served.logs:
        unanswered.update(log.unanswered)
    result["saved"] = len(saves)
    result["problems"] = check_saves(saves, unanswered, initial)
    result["workers"], result["threads"] = server_shape(env)
    result["server_tracebacks"] = server_tracebacks(log_file)
    boots = sum("Booting worker" in line for line in log_file.read_text().splitlines())
    result["worker_restarts"] = max(0, boots - result["workers"])
    return result
