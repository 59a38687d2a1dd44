"""`manage.py bench`: server time and query counts of the busiest pages on a large data set.

The command never touches the project's database. It starts itself again in a subprocess
whose DATABASE_URL points at a new SQLite file in a temporary directory, migrates that file,
builds the data with bulk_create and measures with Django's test client. It does so twice:
on the large data set (timings and query counts) and on a small one (query counts only, to
show that they do not grow with the data). The temporary directory is removed afterwards.
"""

import argparse
import datetime
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import django
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from weasyprint import HTML

from audit.models import UsageEntry
from audit.routes import region_of
from negotiations import pdf
from negotiations.models import (
    ActionProgressNote,
    FollowUpAction,
    Negotiation,
    Participant,
    Record,
    RecordAttendee,
    RecordComment,
    RecordEvent,
    RecordSection,
    RecordSectionVersion,
    ReportSection,
    Round,
    RoundTheme,
    SituationReport,
    Theme,
)
from negotiations.models.schedule import HELSINKI
from regions.models import Region
from regions.roles import MINISTRY_OFFICIAL

# Set by the parent for the child: the path of the database file the child must create.
CHILD_DATABASE = "OHJAUS_BENCH_DATABASE"

SIZES = {
    # rounds × regions × themes, follow-up actions per negotiation, words per text
    "large": {"rounds": 10, "regions": 23, "themes": 6, "actions": 20, "words": 300},
    "small": {"rounds": 1, "regions": 3, "themes": 6, "actions": 2, "words": 300},
}
REQUESTS, WARM_UP = 50, 3
# PDFs take seconds each: fewer repetitions keep `make bench` within a few minutes (the round
# PDF, some 8 s a download, three times).
PDF_REQUESTS, PDF_WARM_UP, ROUND_PDF_REQUESTS = 5, 1, 3
# The record PDF's record has this many follow-up actions (the data set's 20 plus extra ones).
PDF_RECORD_ACTIONS = 30

VOCABULARY = (
    "hyvinvointialue palvelut hoitoon pääsy henkilöstö rekrytointi sairaanhoitaja lääkäri "
    "sosiaalityö pelastustoimi toimintavalmius talous investoinnit tuottavuus digitaalisuus "
    "asiakastieto järjestelmä integraatio yhteistyö kunta järjestö ministeriö ohjaus "
    "neuvottelu tilannekuva kehittäminen haaste toimenpide seuranta arviointi vaikuttavuus "
    "saatavuus jono vastaanotto kotihoito ikääntyneet lapset nuoret perheet mielenterveys "
    "päihdepalvelut ensihoito päivystys sairaala terveyskeskus suun terveydenhuolto "
    "rahoitus talousarvio alijäämä tasapaino suunnitelma aikataulu vastuu osaaminen "
    "koulutus pysyvyys vuokratyövoima ostopalvelu palveluseteli etäpalvelu "
    "tietojohtaminen mittari tavoite tulos kustannus tehokkuus laatu turvallisuus"
)
WORDS = VOCABULARY.split()


@dataclass
class BenchData:
    ministry: User
    newest_round: Round
    record_negotiation: Negotiation  # a draft being written in the newest round
    published_record: Record


def _texts(rng: random.Random, words: int, count: int = 48) -> list[str]:
    """A pool of Finnish-looking texts of about `words` words, in paragraphs."""
    pool = []
    for _ in range(count):
        chosen = rng.choices(WORDS, k=words)
        paragraphs = [chosen[i : i + 60] for i in range(0, words, 60)]
        pool.append(
            "\n\n".join(" ".join(p).capitalize() + "." for p in paragraphs if p),
        )
    return pool


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HELSINKI)


@transaction.atomic
def build_data(
    *, rounds: int, regions: int, themes: int, actions: int, words: int, seed: int = 2027
) -> BenchData:
    """Rounds of county negotiations with reports, records, follow-up actions and history.

    The newest round is under way: its first region's record is a draft, the second one's is
    published, the rest are at the other steps; every record of earlier rounds is published
    and about 40 % of their actions are still open, so they come back in later rounds.
    """
    rng = random.Random(seed)
    pool = _texts(rng, words)
    short = _texts(rng, 30)

    def text() -> str:
        return rng.choice(pool)

    ministry, _ = User.objects.get_or_create(
        username="bench-ministry", defaults={"first_name": "Mirja", "last_name": "Mittaaja"}
    )
    ministry.groups.add(Group.objects.get(name=MINISTRY_OFFICIAL))
    preparer, _ = User.objects.get_or_create(
        username="bench-preparer", defaults={"first_name": "Pirkko", "last_name": "Mittaaja"}
    )
    theme_objects = []
    for n in range(1, themes + 1):
        theme, _ = Theme.objects.get_or_create(
            code=f"bench-{n}",
            defaults={
                "title_fi": f"Vertailuteema {n}",
                "title_sv": f"Jämförelsetema {n}",
                "title_en": f"Benchmark theme {n}",
                "guiding_questions_fi": "Miten teema etenee?\nMitä on tehtävä?",
            },
        )
        theme_objects.append(theme)
    region_list = list(Region.objects.current().order_by("kind", "code")[:regions])

    newest_year = 2027
    years = list(range(newest_year - rounds + 1, newest_year + 1))
    round_objects = Round.objects.bulk_create(
        Round(
            name_fi=f"Vertailukierros {year}",
            name_sv=f"Jämförelseomgång {year}",
            name_en=f"Benchmark round {year}",
            kind=Round.Kind.COUNTY_NEGOTIATIONS,
            status=Round.Status.NEGOTIATING if year == newest_year else Round.Status.CLOSED,
            period_start=datetime.date(year, 2, 1),
            period_end=datetime.date(year, 3, 31),
            report_deadline=datetime.date(year, 1, 20),
            ministries=["STM", "VM", "SM"],
            allows_region_theme=True,
        )
        for year in years
    )
    round_themes = RoundTheme.objects.bulk_create(
        RoundTheme(round=round_, theme=theme, position=position)
        for round_ in round_objects
        for position, theme in enumerate(theme_objects, start=1)
    )
    themes_of: dict[int, list[RoundTheme]] = {}
    for round_theme in round_themes:
        themes_of.setdefault(round_theme.round_id, []).append(round_theme)

    negotiations = Negotiation.objects.bulk_create(
        Negotiation(
            round=round_,
            region=region,
            date=round_.period_start + datetime.timedelta(days=2 * index),
            start_time=datetime.time(9),
            end_time=datetime.time(12),
            place="Sosiaali- ja terveysministeriö, Meritullinkatu 8, Helsinki",
            chair=ministry,
        )
        for round_ in round_objects
        for index, region in enumerate(region_list)
    )
    round_of = {round_.pk: round_ for round_ in round_objects}
    newest = round_objects[-1]

    sides = ["ministry", "ministry", "region", "region", "region", "thl"]
    participants = Participant.objects.bulk_create(
        Participant(
            negotiation=negotiation,
            side=side,
            name=f"Osallistuja {n + 1}",
            organisation="Organisaatio",
            title="asiantuntija",
        )
        for negotiation in negotiations
        for n, side in enumerate(sides)
    )

    # Situation reports, submitted, one section per theme.
    reports = SituationReport.objects.bulk_create(
        SituationReport(
            negotiation=negotiation,
            status=SituationReport.Status.SUBMITTED,
            submitted_at=_at(round_of[negotiation.round_id].period_start),
            submitted_by=preparer,
        )
        for negotiation in negotiations
    )
    ReportSection.objects.bulk_create(
        (
            ReportSection(
                report=report,
                round_theme=round_theme,
                text=text(),
                version=1,
                updated_at=_at(negotiation.round.period_start),
                updated_by=preparer,
            )
            for report, negotiation in zip(reports, negotiations, strict=True)
            for round_theme in themes_of[negotiation.round_id]
        ),
        batch_size=500,
    )

    # Records: newest round at every step, earlier rounds published.
    steps = [
        Record.Status.DRAFT,
        Record.Status.PUBLISHED,
        Record.Status.COMMENTS,
        Record.Status.APPROVED,
    ]
    records = []
    for index, negotiation in enumerate(negotiations):
        if negotiation.round_id == newest.pk:
            status = steps[index % len(region_list) % len(steps)]
        else:
            status = Record.Status.PUBLISHED
        day = negotiation.date + datetime.timedelta(days=21)
        done = status in (Record.Status.APPROVED, Record.Status.PUBLISHED)
        records.append(
            Record(
                negotiation=negotiation,
                status=status,
                approved_at=_at(day) if done else None,
                approved_by=ministry if done else None,
                published_at=_at(day, 15) if status == Record.Status.PUBLISHED else None,
            )
        )
    records = Record.objects.bulk_create(records)
    participants_of: dict[int, list[Participant]] = {}
    for participant in participants:
        participants_of.setdefault(participant.negotiation_id, []).append(participant)
    RecordAttendee.objects.bulk_create(
        (
            RecordAttendee(
                record_id=record.pk,
                participant_id=participant.pk,
                side=participant.side,
                name=participant.name,
                title=participant.title,
                organisation=participant.organisation,
            )
            for record in records
            for participant in participants_of[record.negotiation_id][:-1]
        ),
        batch_size=1000,
    )
    events = []
    for record in records:
        day = record.negotiation.date
        if record.status != Record.Status.DRAFT:
            events.append(RecordEvent(record=record, action="sent", by=ministry, at=_at(day)))
        if record.approved_at:
            events.append(
                RecordEvent(record=record, action="approved", by=ministry, at=record.approved_at)
            )
        if record.published_at:
            events.append(
                RecordEvent(record=record, action="published", by=ministry, at=record.published_at)
            )
    RecordEvent.objects.bulk_create(events, batch_size=1000)

    kind = RecordSection.Kind
    sections = []
    for record in records:
        written = _at(record.negotiation.date + datetime.timedelta(days=7))
        common = {"record": record, "version": 2, "updated_at": written, "updated_by": ministry}
        sections.append(RecordSection(kind=kind.OPENING, order=0, discussion=text(), **common))
        for round_theme in themes_of[record.negotiation.round_id]:
            sections.append(
                RecordSection(
                    kind=kind.THEME,
                    round_theme=round_theme,
                    order=100 + round_theme.position,
                    situation=text(),
                    discussion=text(),
                    challenges=text(),
                    measures=text(),
                    **common,
                )
            )
        sections.append(RecordSection(kind=kind.CLOSING, order=1000, discussion=text(), **common))
    sections = RecordSection.objects.bulk_create(sections, batch_size=500)
    RecordSectionVersion.objects.bulk_create(
        (
            RecordSectionVersion(
                section=section,
                version=version,
                author=ministry,
                created_at=section.updated_at - datetime.timedelta(days=2 - version),
                **(section.texts() if version == 2 else {"discussion": rng.choice(short)}),
            )
            for section in sections
            for version in (1, 2)
        ),
        batch_size=500,
    )
    theme_sections: dict[int, list[RecordSection]] = {}
    for section in sections:
        if section.kind == kind.THEME:
            theme_sections.setdefault(section.record_id, []).append(section)
    RecordComment.objects.bulk_create(
        (
            RecordComment(
                section=theme_sections[record.pk][n],
                author=preparer,
                text=rng.choice(short),
                created_at=_at(record.negotiation.date + datetime.timedelta(days=10)),
            )
            for record in records
            if record.status != Record.Status.DRAFT
            for n in range(2)
        ),
        batch_size=1000,
    )

    status = FollowUpAction.Status
    old_statuses = [status.DONE] * 5 + [status.IN_PROGRESS] * 3 + [status.AGREED, status.CANCELLED]
    responsible = FollowUpAction.Responsible.values
    new_actions = []
    for record in records:
        negotiation = record.negotiation
        is_newest = negotiation.round_id == newest.pk
        for n in range(actions):
            new_actions.append(
                FollowUpAction(
                    negotiation=negotiation,
                    section=theme_sections[record.pk][n % themes],
                    what=rng.choice(short),
                    responsible=responsible[n % len(responsible)],
                    owner=f"Vastuuyksikkö {n + 1}",
                    due_date=negotiation.date + datetime.timedelta(days=90 + 30 * (n % 12)),
                    status=status.AGREED if is_newest else rng.choice(old_statuses),
                    created_by=ministry,
                    created_at=_at(negotiation.date + datetime.timedelta(days=7)),
                )
            )
    new_actions = FollowUpAction.objects.bulk_create(new_actions, batch_size=1000)
    ActionProgressNote.objects.bulk_create(
        (
            ActionProgressNote(
                action=action,
                text=rng.choice(short),
                author=preparer if n else ministry,
                created_at=action.created_at + datetime.timedelta(days=60 * (n + 1)),
            )
            for action in new_actions
            for n in range(2 if action.is_open else 1)
        ),
        batch_size=1000,
    )

    newest_records = [r for r in records if r.negotiation.round_id == newest.pk]
    return BenchData(
        ministry=ministry,
        newest_round=newest,
        record_negotiation=newest_records[0].negotiation,
        published_record=newest_records[1 % len(newest_records)],
    )


def data_counts() -> dict[str, int]:
    return {
        "rounds": Round.objects.count(),
        "negotiations": Negotiation.objects.count(),
        "record sections": RecordSection.objects.count(),
        "section versions": RecordSectionVersion.objects.count(),
        "follow-up actions": FollowUpAction.objects.count(),
        "progress notes": ActionProgressNote.objects.count(),
        "report sections": ReportSection.objects.count(),
    }


def pages(data: BenchData) -> list[tuple[str, str]]:
    tracker = reverse("negotiations:action-tracker")
    return [
        ("Round dashboard", reverse("negotiations:round-detail", args=[data.newest_round.pk])),
        (
            "Record page",
            reverse("negotiations:record-detail", args=[data.record_negotiation.pk]),
        ),
        ("Action tracker, first page", tracker),
        ("Action tracker, filtered", f"{tracker}?status=in-progress&responsible=region"),
        (
            "Public record page",
            reverse("negotiations:public-record", args=[data.published_record.pk]),
        ),
        ("Public record list", reverse("negotiations:public-records")),
    ]


def measure(client: Client, url: str, *, timed: bool) -> dict:
    """Query count of one request; with timed=True also the median and 95th percentile."""
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    except NotImplementedError:
        return {"error": "not implemented yet"}
    except Exception as error:  # reported in the table; the other pages still run
        return {"error": f"{type(error).__name__}: {error}"[:80]}
    if response.status_code != 200:
        return {"error": f"HTTP {response.status_code}"}
    result = {"queries": len(queries.captured_queries)}
    if timed:
        for _ in range(WARM_UP):
            client.get(url)
        times = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        result["median"] = statistics.median(times)
        result["p95"] = times[max(0, -(-95 * len(times) // 100) - 1)]  # nearest rank
    return result


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


def add_record_actions(data: BenchData, total: int) -> None:
    """Bring the measured record up to `total` follow-up actions (after the page timings)."""
    record = Record.objects.get(negotiation=data.record_negotiation)
    sections = list(record.sections.filter(kind=RecordSection.Kind.THEME))
    have = FollowUpAction.objects.filter(negotiation=data.record_negotiation).count()
    FollowUpAction.objects.bulk_create(
        FollowUpAction(
            negotiation=data.record_negotiation,
            section=sections[n % len(sections)],
            what=f"Lisätoimenpide {n + 1}: alue ja ministeriö seuraavat toimenpiteen etenemistä.",
            responsible=FollowUpAction.Responsible.JOINT,
            owner=f"Vastuuyksikkö {n + 1}",
            due_date=data.record_negotiation.date + datetime.timedelta(days=180),
            created_by=data.ministry,
        )
        for n in range(have, total)
    )


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
            response = client.get(url)
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
            [lambda: client.get(url), lambda: pdf.render_pdf(html), make_html],
            repetitions,
            PDF_WARM_UP,
        )
        result["repetitions"] = repetitions
        fetcher = pdf.StaticOnlyFetcher()
        result["pages"] = len(HTML(string=html, url_fetcher=fetcher).render().pages)
        tracemalloc.start()
        client.get(url)
        result["peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return result


USAGE_LOG_MIDDLEWARE = "audit.middleware.UsageLogMiddleware"


def measure_usage_log(data: BenchData) -> dict:
    """What the usage log costs: the record page (a view the log writes an entry for) with the
    log's middleware and without it, in turns; the INSERTs of one request; and the INSERT
    alone (an entry with its region found by a subquery, as the middleware writes it)."""
    url = reverse("negotiations:record-detail", args=[data.record_negotiation.pk])
    with_log = Client()
    with_log.force_login(data.ministry)
    without_log = Client()
    without_log.force_login(data.ministry)
    middleware = [name for name in settings.MIDDLEWARE if name != USAGE_LOG_MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware):
        without_log.get(url)  # the test client builds its middleware chain on the first request
    with CaptureQueriesContext(connection) as queries:
        with_log.get(url)
    inserts = sum('INSERT INTO "audit_usageentry"' in q["sql"] for q in queries.captured_queries)
    before = UsageEntry.objects.count()
    without_log.get(url)
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
        [lambda: with_log.get(url), lambda: without_log.get(url), insert_alone],
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


class Command(BaseCommand):
    help = (
        "Builds a large data set in a throw-away SQLite database and prints the server time "
        "and query count of the busiest pages. Never touches the project's database."
    )

    def add_arguments(self, parser) -> None:
        # Internal: the subprocess that owns the throw-away database.
        parser.add_argument("--child", choices=sorted(SIZES), help=argparse.SUPPRESS)
        parser.add_argument("--results", help=argparse.SUPPRESS)

    def handle(self, *args, child: str | None = None, results: str | None = None, **options):
        if child:
            self.run_child(child, Path(results))
        else:
            self.run_parent()

    # --- parent: owns the temporary directory, prints the table ------------------------
    def run_parent(self) -> None:
        manage = Path(settings.BASE_DIR) / "manage.py"
        outcome = {}
        with tempfile.TemporaryDirectory(prefix="ohjaus-bench-") as tmp:
            for size in ("small", "large"):
                database = Path(tmp) / f"{size}.sqlite3"
                result_file = Path(tmp) / f"{size}.json"
                env = {
                    **os.environ,
                    "DATABASE_URL": f"sqlite:///{database}",
                    CHILD_DATABASE: str(database),
                    # Local settings at start-up; the child turns DEBUG off before measuring.
                    "DJANGO_DEBUG": "true",
                }
                self.stdout.write(f"Building the {size} data set in {database} ...")
                self.stdout.flush()
                command = [sys.executable, str(manage), "bench", "--child", size]
                completed = subprocess.run([*command, "--results", str(result_file)], env=env)
                if completed.returncode != 0:
                    raise CommandError(f"The {size} benchmark run failed.")
                outcome[size] = json.loads(result_file.read_text())
        self.report(outcome)

    def report(self, outcome: dict) -> None:
        large, small = outcome["large"], outcome["small"]
        spec = SIZES["large"]
        write = self.stdout.write
        write("")
        write(
            f"Database: SQLite {large['sqlite']} (throw-away file, removed), DEBUG off, "
            f"Python {large['python']}, Django {large['django']}, {os.cpu_count()} CPUs"
        )
        write(
            f"Large data set: {spec['rounds']} rounds × {spec['regions']} regions × "
            f"{spec['themes']} themes, {spec['actions']} actions per negotiation, "
            f"~{spec['words']} words per text (built in {large['build_seconds']:.1f} s): "
            + ", ".join(f"{count:,} {name}" for name, count in large["counts"].items())
        )
        small_spec = SIZES["small"]
        write(
            f"Small data set: {small_spec['rounds']} round × {small_spec['regions']} regions, "
            f"{small_spec['actions']} actions per negotiation"
        )
        write(f"{REQUESTS} requests per page after {WARM_UP} warm-up requests, logged in.")
        write("")
        header = f"{'page':<28} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'small':>6}"
        write(header)
        write("-" * len(header))
        for name, result in large["pages"].items():
            other = small["pages"].get(name, {})
            if "error" in result:
                write(f"{name:<28} {result['error']}")
                continue
            write(
                f"{name:<28} {result['median']:>10.1f} {result['p95']:>8.1f} "
                f"{result['queries']:>8} {other.get('queries', other.get('error', '?')):>6}"
            )
        self.report_usage_log(large)
        self.report_pdfs(large, small)

    def report_usage_log(self, large: dict) -> None:
        log = large.get("usage_log")
        if not log:
            return
        write = self.stdout.write
        write("")
        write(
            f"Usage log: record page {log['with_log']:.1f} ms with the log, "
            f"{log['without_log']:.1f} ms without it (median of {REQUESTS} in turns, "
            f"{log['with_log'] - log['without_log']:+.1f} ms); the INSERT alone "
            f"{log['insert']:.2f} ms; {log['inserts_per_request']} INSERT per request; "
            f"{log['entries']:,} entries in the log after the run."
        )

    def report_pdfs(self, large: dict, small: dict) -> None:
        write = self.stdout.write
        write("")
        write(
            f"PDFs: {PDF_REQUESTS} downloads of the record, {ROUND_PDF_REQUESTS} of the round, "
            f"after {PDF_WARM_UP} warm-up, in turns with as many renders of the same HTML "
            "(rendered once beforehand) by WeasyPrint alone; peak memory "
            "traced with tracemalloc (Python allocations) during one download. The record: "
            f"{SIZES['large']['themes']} themes, {PDF_RECORD_ACTIONS} actions; the round: "
            f"{SIZES['large']['regions']} regions, every record published."
        )
        write(
            "median ms: the whole download; WeasyPrint ms: WeasyPrint alone on the same HTML; "
            "HTML ms: building that HTML (queries and template), which is what the project adds."
        )
        header = (
            f"{'document':<12} {'median ms':>10} {'WeasyPrint ms':>14} {'HTML ms':>8} "
            f"{'adds':>6} {'peak MB':>8} {'pages':>6} {'kB':>6} {'queries':>8} {'small':>6}"
        )
        write(header)
        write("-" * len(header))
        for name, result in large.get("pdfs", {}).items():
            other = small.get("pdfs", {}).get(name, {})
            if "error" in result:
                write(f"{name:<12} {result['error']}")
                continue
            added = result["html"] / result["weasyprint"] * 100
            write(
                f"{name:<12} {result['median']:>10.0f} {result['weasyprint']:>14.0f} "
                f"{result['html']:>8.0f} {added:>5.1f}% {result['peak_mb']:>8.1f} "
                f"{result['pages']:>6} "
                f"{result['kilobytes']:>6.0f} {result['queries']:>8} "
                f"{other.get('queries', other.get('error', '?')):>6}"
            )

    # --- child: runs in the throw-away database -----------------------------------------
    def run_child(self, size: str, results: Path) -> None:
        database = os.environ.get(CHILD_DATABASE, "")
        configured = settings.DATABASES["default"]
        if (
            not database
            or configured["ENGINE"] != "django.db.backends.sqlite3"
            or str(configured["NAME"]) != database
            # Fresh: the parent named a new file (system checks may have opened it already).
            or connection.introspection.table_names()
        ):
            raise CommandError(
                "bench builds its data only in a database it creates itself: run "
                "`manage.py bench` (or `make bench`) without --child."
            )
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        data = build_data(**SIZES[size])
        build_seconds = time.perf_counter() - started

        settings.DEBUG = False
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(data.ministry)
        timed = size == "large"
        measured = {name: measure(client, url, timed=timed) for name, url in pages(data)}
        usage_log = measure_usage_log(data) if timed else None
        add_record_actions(data, PDF_RECORD_ACTIONS)
        measured_pdfs = {
            name: measure_pdf(client, url, make_html, timed=timed, repetitions=repetitions)
            for name, url, make_html, repetitions in pdf_documents(data)
        }
        results.write_text(
            json.dumps(
                {
                    "pages": measured,
                    "pdfs": measured_pdfs,
                    "usage_log": usage_log,
                    "counts": data_counts(),
                    "build_seconds": build_seconds,
                    "sqlite": sqlite3.sqlite_version,
                    "python": platform.python_version(),
                    "django": django.get_version(),
                }
            )
        )
