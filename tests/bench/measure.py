"""Single requests through Django's test client, with every middleware and a signed-in session:
each page's time in turns with a bare view (tests/bench/urls.py), its HTML size and query count;
what the theme indicators add to the report and record pages (issue 11); the PDFs against
WeasyPrint alone; the usage log's cost.

A page's ratio is the bare view's median over the page's median, both from the same turns, so
that a slower moment of the machine slows both alike: 1.0 is as fast as the bare view.
"""

import secrets
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from weasyprint import HTML

from audit.models import UsageEntry
from audit.routes import region_of
from negotiations import pdf
from negotiations.models import Record, RecordSection, Round
from regions.models import Region
from tests.bench.autosave import Target, outcome
from tests.bench.data import BenchData, theme_indicator_rows

REQUESTS, WARM_UP = 50, 3
# PDFs take seconds each: fewer repetitions keep `make bench` within a few minutes (the round
# PDF, some 8 s a download, three times).
PDF_REQUESTS, PDF_WARM_UP, ROUND_PDF_REQUESTS = 5, 1, 3

# Issue 12's targets, as ratios to the bare view.
EVERY_PAGE, BUSY_PAGE = 0.10, 0.25
# ... and the editing pages' HTML on the large data set.
MAX_EDITING_PAGE_KB = 100
# Issue 11: the theme indicators add under this many ms to the report and record pages.
THEME_INDICATORS_MAX_MS = 10
THEME_INDICATOR_PAGES = ("Record page (draft)", "Situation report (draft)")


@dataclass
class Page:
    name: str
    url: str
    target: float = EVERY_PAGE
    user: str = "ministry"  # whose session: "ministry" or "preparer"
    max_kb: float | None = None
    autosave: RecordSection | None = None  # a POST of this section's texts instead of a GET


def pages(data: BenchData) -> list[Page]:
    """Issue 12's pages, and the knowledge base's where it has them."""
    newest, record_negotiation = data.newest_round.pk, data.record_negotiation.pk
    tracker = reverse("negotiations:action-tracker")
    autosaved = (
        RecordSection.objects.filter(
            record__negotiation=data.record_negotiation, kind=RecordSection.Kind.THEME
        )
        .order_by("order")
        .first()
    )
    found = [
        Page("Home", reverse("home"), BUSY_PAGE),
        Page(
            "Public record",
            reverse("negotiations:public-record", args=[data.published_record.pk]),
            BUSY_PAGE,
        ),
        Page("Round dashboard", reverse("negotiations:round-detail", args=[newest]), BUSY_PAGE),
        Page(
            "Negotiation page",
            reverse("negotiations:negotiation-detail", args=[record_negotiation]),
        ),
        Page("Schedule", reverse("negotiations:round-schedule", args=[newest])),
        Page("Public record list", reverse("negotiations:public-records"), BUSY_PAGE),
        Page("Action tracker", tracker, BUSY_PAGE),
        Page(
            "Action tracker, filtered",
            f"{tracker}?status=in-progress&responsible=region",
            BUSY_PAGE,
        ),
        Page(
            "Record page (draft)",
            reverse("negotiations:record-detail", args=[record_negotiation]),
            max_kb=MAX_EDITING_PAGE_KB,
        ),
        Page(
            "Situation report (draft)",
            reverse("negotiations:report-detail", args=[data.report_negotiation.pk]),
            user="preparer",
            max_kb=MAX_EDITING_PAGE_KB,
        ),
        Page(
            "Autosave POST",
            reverse("negotiations:record-section-save", args=[autosaved.record_id, autosaved.pk]),
            BUSY_PAGE,
            autosave=autosaved,
        ),
    ]
    return found + knowledge_pages(data)


def knowledge_pages(data: BenchData) -> list[Page]:
    try:
        from knowledge.models import Indicator
    except ImportError:
        return []
    found = []
    region = Region.objects.get(pk=data.record_negotiation.region_id)
    indicator = Indicator.objects.order_by("pk").first()
    for name, url_name, obj in (
        ("Knowledge: region profile", "knowledge:region-profile", region),
        ("Knowledge: indicator", "knowledge:indicator-detail", indicator),
    ):
        if obj is None:
            continue
        try:
            found.append(Page(name, reverse(url_name, args=[obj.pk])))
        except NoReverseMatch:
            continue
    return found


def signed_in_client(user) -> Client:
    """A client as a browser is: signed in, with a CSRF cookie that its POSTs send back, over
    HTTPS (the production settings redirect plain HTTP)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = secrets.token_hex(16)  # an unmasked 32-character CSRF secret
    client.cookies["csrftoken"] = token
    client.defaults.update(HTTP_X_CSRFTOKEN=token, HTTP_ORIGIN="https://testserver")
    return client


def request_of(client: Client, page: Page) -> Callable:
    """The request a page's measurement repeats: a GET, or an autosave that each time types a
    new sentence into the section with the version of the last save, as the browser does."""
    if page.autosave is None:
        return lambda: client.get(page.url, secure=True)
    target = Target.of(page.autosave)
    count = 0

    def autosave():
        nonlocal count
        count += 1
        texts = target.typed(f"Mittaus {count}.")
        response = client.post(page.url, target.form(texts), secure=True, HTTP_HX_REQUEST="true")
        result, version = outcome(response.status_code, response.content.decode(), target)
        if result != "saved":
            raise RuntimeError(f"the autosave answered {result} ({response.status_code})")
        target.version = version
        return response

    return autosave


def nearest_rank(times: list[float], percent: int) -> float:
    ordered = sorted(times)
    return ordered[max(0, -(-percent * len(ordered) // 100) - 1)]


def in_turns(client: Client, send: Callable, requests: int) -> tuple[list[float], list[float]]:
    """ms of `requests` requests of the page, each right after one of the bare view, and of
    those of the bare view."""
    bare = reverse("bench-bare")
    page_times, bare_times = [], []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(bare, secure=True)
        middle = time.perf_counter()
        send()
        page_times.append((time.perf_counter() - middle) * 1000)
        bare_times.append((middle - start) * 1000)
    return page_times, bare_times


def measure(
    clients: dict[str, Client],
    page: Page,
    *,
    timed: bool,
    requests: int = REQUESTS,
    warm_up: int = WARM_UP,
) -> dict:
    """Query count and HTML size of one request (the first, drawn); with timed=True also the
    median and 95th percentile of `requests` requests, each after one of the bare view (same
    session), and the median of as many drawn with the page cache off."""
    client = clients[page.user]
    send = request_of(client, page)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = send()
    except Exception as error:  # reported in the table; the other pages still run
        return {"error": f"{type(error).__name__}: {error}"[:80]}
    if response.status_code != 200:
        return {"error": f"HTTP {response.status_code}"}
    result = {
        "queries": len(queries.captured_queries),
        "kilobytes": len(response.content) / 1024,
        "target": page.target,
        "max_kb": page.max_kb,
    }
    if timed:
        bare = reverse("bench-bare")
        for _ in range(warm_up):
            client.get(bare, secure=True)
            send()
        page_times, bare_times = in_turns(client, send, requests)
        # The same page drawn every time (the page cache off), as after each change of what
        # it shows: what the page costs to make.
        with override_settings(PAGE_CACHE_SECONDS=0):
            drawn_times, drawn_bare_times = in_turns(client, send, requests)
        result.update(
            median=statistics.median(page_times),
            p95=nearest_rank(page_times, 95),
            bare=statistics.median(bare_times),
            drawn=statistics.median(drawn_times),
        )
        result["ratio"] = result["bare"] / result["median"]
        result["drawn_ratio"] = statistics.median(drawn_bare_times) / result["drawn"]
    return result


def measure_pages(data: BenchData, *, timed: bool, requests: int = REQUESTS) -> dict:
    clients = {
        "ministry": signed_in_client(data.ministry),
        "preparer": signed_in_client(data.preparer),
    }
    warm_up = min(WARM_UP, requests)
    measured = pages(data)
    results = {
        page.name: measure(clients, page, timed=timed, requests=requests, warm_up=warm_up)
        for page in measured
    }
    for page in measured:
        if page.name in THEME_INDICATOR_PAGES and "error" not in results[page.name]:
            results[page.name]["theme_indicators"] = measure_theme_indicators(
                data, clients, page, timed=timed, requests=requests, warm_up=warm_up
            )
    return results


def measure_theme_indicators(
    data: BenchData,
    clients: dict[str, Client],
    page: Page,
    *,
    timed: bool,
    requests: int = REQUESTS,
    warm_up: int = WARM_UP,
) -> dict:
    """Issue 11: the same page with the newest round's theme indicators and without them (their
    RoundTheme.indicators rows removed, then put back), in turns: the query count of one
    request each way and, with timed=True, the median of `requests` requests each way."""
    client = clients[page.user]
    rows = theme_indicator_rows(data.newest_round)
    pairs = rows.values_list("roundtheme_id", "indicator_id")
    kept = [rows.model(roundtheme_id=theme, indicator_id=indicator) for theme, indicator in pairs]

    def without():
        rows.delete()

    def with_():
        rows.model.objects.bulk_create(kept)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}")
        return len(queries.captured_queries)

    def timed_get(times: list[float]) -> None:
        start = time.perf_counter()
        client.get(page.url, secure=True)
        times.append((time.perf_counter() - start) * 1000)

    result = {"indicators": len(kept), "max_ms": THEME_INDICATORS_MAX_MS}
    try:
        result["with_queries"] = count()
        without()
        result["without_queries"] = count()
        with_()
        if timed:
            for _ in range(warm_up):
                timed_get([])
                without()
                timed_get([])
                with_()
            with_times: list[float] = []
            without_times: list[float] = []
            for _ in range(requests):
                timed_get(with_times)
                without()
                timed_get(without_times)
                with_()
            result.update(
                with_median=statistics.median(with_times),
                without_median=statistics.median(without_times),
            )
            result["added_ms"] = result["with_median"] - result["without_median"]
    except Exception as error:  # reported beside the page; the rows are put back below
        return {"error": f"{type(error).__name__}: {error}"[:80]}
    finally:
        if not rows.exists():
            with_()
    result["added_queries"] = result["with_queries"] - result["without_queries"]
    return result


# --- PDFs ---------------------------------------------------------------------------------------


def pdf_documents(data: BenchData) -> list[tuple[str, str, object, int]]:
    """(name, URL, a function giving the same HTML the view renders, repetitions) of the PDFs
    measured: the newest round's draft record and the summary of the last closed round (every
    record published, so every region's actions are in it; the newest round in the small data
    set, which has no other)."""
    record = Record.objects.select_related(
        "negotiation__round", "negotiation__region", "negotiation__chair", "approved_by"
    ).get(negotiation=data.record_negotiation)
    closed = (
        Round.objects.exclude(pk=data.newest_round.pk).order_by("-period_start").first()
        or data.newest_round
    )
    return [
        (
            "Record PDF",
            reverse("negotiations:record-pdf", args=[data.record_negotiation.pk]),
            lambda: pdf.record_html(record),
            PDF_REQUESTS,
        ),
        (
            "Round PDF",
            reverse("negotiations:round-pdf", args=[closed.pk]),
            lambda: pdf.round_html(closed),
            ROUND_PDF_REQUESTS,
        ),
    ]


def _medians_ms(functions: list, repetitions: int, warm_up: int) -> list[float]:
    """Median times of the functions, run in turns so that a slower moment of the machine
    affects them alike."""
    for _ in range(warm_up):
        for function in functions:
            function()
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(repetitions):
        for function, measured in zip(functions, times, strict=True):
            start = time.perf_counter()
            function()
            measured.append((time.perf_counter() - start) * 1000)
    return [statistics.median(measured) for measured in times]


def measure_pdf(
    client: Client, url: str, make_html, *, timed: bool, repetitions: int = PDF_REQUESTS
) -> dict:
    """Query count and size of one download; with timed=True also the median time of the whole
    view, of WeasyPrint alone on the same HTML (rendered once beforehand) and of building that
    HTML (the queries and the template: what the project adds), and the peak memory traced
    (Python allocations) during one download."""
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, secure=True)
    except Exception as error:  # reported in the table; the other documents still run
        return {"error": f"{type(error).__name__}: {error}"[:80]}
    if response.status_code != 200:
        return {"error": f"HTTP {response.status_code}"}
    result = {
        "queries": len(queries.captured_queries),
        "kilobytes": len(response.content) / 1024,
    }
    if timed:
        html = make_html()
        result["median"], result["weasyprint"], result["html"] = _medians_ms(
            [lambda: client.get(url, secure=True), lambda: pdf.render_pdf(html), make_html],
            repetitions,
            PDF_WARM_UP,
        )
        result["repetitions"] = repetitions
        fetcher = pdf.StaticOnlyFetcher()
        result["pages"] = len(HTML(string=html, url_fetcher=fetcher).render().pages)
        tracemalloc.start()
        client.get(url, secure=True)
        result["peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return result


def measure_pdfs(data: BenchData, *, timed: bool) -> dict:
    client = signed_in_client(data.ministry)
    return {
        name: measure_pdf(client, url, make_html, timed=timed, repetitions=repetitions)
        for name, url, make_html, repetitions in pdf_documents(data)
    }


# --- the usage log ----------------------------------------------------------------------------

USAGE_LOG_MIDDLEWARE = "audit.middleware.UsageLogMiddleware"


def measure_usage_log(data: BenchData) -> dict:
    """What the usage log costs: the record page (a view the log writes an entry for) with the
    log's middleware and without it, in turns; the INSERTs of one request; and the INSERT
    alone (an entry with its region found by a subquery, as the middleware writes it)."""
    url = reverse("negotiations:record-detail", args=[data.record_negotiation.pk])
    with_log = signed_in_client(data.ministry)
    without_log = signed_in_client(data.ministry)
    middleware = [name for name in settings.MIDDLEWARE if name != USAGE_LOG_MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware):
        # The test client builds its middleware chain on the first request.
        without_log.get(url, secure=True)
    with CaptureQueriesContext(connection) as queries:
        with_log.get(url, secure=True)
    inserts = sum('INSERT INTO "audit_usageentry"' in q["sql"] for q in queries.captured_queries)
    before = UsageEntry.objects.count()
    without_log.get(url, secure=True)
    assert UsageEntry.objects.count() == before, "the page without the log wrote an entry"

    negotiation_pk = data.record_negotiation.pk

    def insert_alone() -> None:
        UsageEntry.objects.bulk_create(
            [
                UsageEntry(
                    kind=UsageEntry.Kind.VIEW,
                    user=data.ministry,
                    username=data.ministry.username,
                    ip_address="192.0.2.1",
                    method="GET",
                    path=url,
                    url_name="negotiations:record-detail",
                    object_type="negotiation",
                    object_id=str(negotiation_pk),
                    region_id=region_of("negotiation", negotiation_pk),
                    status_code=200,
                )
            ]
        )

    on, off, insert = _medians_ms(
        [
            lambda: with_log.get(url, secure=True),
            lambda: without_log.get(url, secure=True),
            insert_alone,
        ],
        REQUESTS,
        WARM_UP,
    )
    return {
        "with_log": on,
        "without_log": off,
        "insert": insert,
        "inserts_per_request": inserts,
        "entries": UsageEntry.objects.count(),
    }
