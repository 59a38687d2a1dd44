"""The home page: what each user meets first, as a task list for their role.

A ministry official sees what waits for them (reports to read, records waiting for approval,
the regions' comments) and each current round with its next date and its figures; a
regional preparer sees, for each current negotiation of their region, the meeting, the
report with its deadline and the record when it comes to them, and their open follow-up
actions. An anonymous visitor meets what the service is, the sign-in form and the published
records, which are for everyone.

Everything is read through the `for_user()` scopes, and in a fixed number of queries
whatever the number of rounds, regions, reports, records and actions.
"""

import datetime
from collections import defaultdict

from django.contrib.auth.models import User
from django.db import DatabaseError, connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from negotiations.display import day, full_name, localized_columns, localized_value
from negotiations.links import PkUrl
from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Record,
    RecordComment,
    RecordEvent,
    RecordSection,
    Round,
    SituationReport,
)
from negotiations.views.dashboard import Deadline, OpenActions, Progress
from negotiations.views.reads import NEGOTIATION
from pagecache.pages import cached_page
from regions.forms import LoginForm
from regions.localized import language_code
from regions.models import Region
from regions.roles import is_ministry_official

# Each list of things waiting shows this many, and says how many there are in all.
WAITING_LIMIT = 10
ACTION_LIMIT = 20


@require_safe
@cached_page(*NEGOTIATION, RecordEvent, RecordComment, RecordSection, FollowUpAction)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        # The sign-in form posts to the login page, which shows any error and signs in. No
        # autofocus here: a screen reader would skip what the service is.
        form = LoginForm(request)
        form.fields["username"].widget.attrs.pop("autofocus", None)
        return render(request, "negotiations/home.html", {"login_form": form})
    today = timezone.localdate()
    if is_ministry_official(user):
        context = ministry_tasks(user, today)
    else:
        context = preparer_tasks(user, today)
    return render(request, "negotiations/home.html", {**context, "today": today})


# --- the ministry -----------------------------------------------------------------------------


def next_step(round_: Round, next_meeting: datetime.date | None, today: datetime.date) -> dict:
    """The round's next date from today: the report deadline while reports are still to come,
    the next meeting, or the end of the negotiation period (once that has passed, that)."""
    candidates = []
    if round_.report_deadline and round_.status in (
        Round.Status.PLANNING,
        Round.Status.OPEN_FOR_REPORTS,
    ):
        candidates.append((round_.report_deadline, _("Tilannekuvien määräpäivä")))
    if next_meeting:
        candidates.append((next_meeting, _("Seuraava neuvottelu")))
    candidates.append((round_.period_end, _("Neuvottelukausi päättyy")))
    upcoming = [candidate for candidate in candidates if candidate[0] >= today]
    if upcoming:
        date, label = min(upcoming, key=lambda candidate: candidate[0])
    else:
        date, label = round_.period_end, _("Neuvottelukausi päättyi")
    return {"label": label, "deadline": Deadline(date, today)}


def current_rounds(user: User, rounds: list[Round], today: datetime.date) -> list[dict]:
    """The rounds not yet closed, each with its next date and its figures (counted as the
    dashboard counts its summary: `Progress.of_negotiations`)."""
    current = [round_ for round_ in rounds if round_.status != Round.Status.CLOSED]
    if not current:
        return []
    negotiations = defaultdict(list)
    for negotiation in (
        Negotiation.objects.for_user(user)
        .filter(round__in=current)
        .order_by()
        .with_progress(today)
        .values("round_id", "region_id", "date", "report_status", "report_is_late", "record_status")
    ):
        negotiations[negotiation["round_id"]].append(negotiation)
    regions = {
        round_id: {negotiation["region_id"] for negotiation in round_negotiations}
        for round_id, round_negotiations in negotiations.items()
    }
    actions = OpenActions(set().union(*regions.values()), rounds=current, today=today)
    result = []
    for round_ in current:
        summary = Progress.of_negotiations(
            round_,
            negotiations[round_.pk],
            actions.of(round_, regions.get(round_.pk, ())),
            today,
        )
        result.append(
            {
                "round": round_,
                "status": capfirst(str(round_.get_status_display())),
                "next": next_step(round_, summary.next_date, today),
                "summary": summary,
            }
        )
    return result


def _with_total(queryset: QuerySet, limit: int) -> tuple[list, int]:
    """The first `limit` rows and how many there are in all, in one query: the count is a
    window over the whole filtered set, which the database counts before the limit."""
    rows = list(queryset.annotate(total=Window(Count("pk")))[:limit])
    if not rows:
        return rows, 0
    first = rows[0]
    return rows, first["total"] if isinstance(first, dict) else first.total


def _names(relation: str) -> tuple[str, ...]:
    return localized_columns(f"{relation}__name")


def _name(row: dict, relation: str) -> str:
    return localized_value(row, f"{relation}__name")


def waiting_reports(reports: QuerySet) -> tuple[list[dict], int]:
    """The submitted reports that have waited longest, as the task list says them."""
    rows, total = _with_total(
        reports.order_by("submitted_at", "pk").values(
            "pk",
            "negotiation_id",
            "submitted_at",
            "is_late",
            *_names("negotiation__region"),
            *_names("negotiation__round"),
        ),
        WAITING_LIMIT,
    )
    sent = _("Lähetetty %(when)s")
    return [
        {
            "pk": str(row["pk"]),
            "url": reverse("negotiations:report-detail", args=[row["negotiation_id"]]),
            "region": _name(row, "negotiation__region"),
            "round": _name(row, "negotiation__round"),
            "sent": sent % {"when": day(row["submitted_at"])},
            "is_late": row["is_late"],
        }
        for row in rows
    ], total


def waiting_records(records: QuerySet) -> tuple[list[dict], int]:
    """The records with the regions for comments, the longest there first."""
    sent_at = (
        RecordEvent.objects.filter(record=OuterRef("pk"), action=RecordEvent.Action.SENT)
        .order_by("-at")
        .values("at")[:1]
    )
    comment_count = (
        RecordComment.objects.filter(section__record=OuterRef("pk"))
        .order_by()
        .values("section__record")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows, total = _with_total(
        records.annotate(sent_at=Subquery(sent_at), comment_count=Subquery(comment_count))
        .order_by(F("sent_at").asc(nulls_last=True), "pk")
        .values(
            "pk",
            "negotiation_id",
            "sent_at",
            "comment_count",
            *_names("negotiation__region"),
            *_names("negotiation__round"),
        ),
        WAITING_LIMIT,
    )
    sent = _("lähetetty alueelle %(date)s")
    no_comments = _("Ei kommentteja")
    result = []
    for row in rows:
        count = row["comment_count"] or 0
        result.append(
            {
                "pk": str(row["pk"]),
                "url": reverse("negotiations:record-detail", args=[row["negotiation_id"]]),
                "region": _name(row, "negotiation__region"),
                "round": _name(row, "negotiation__round"),
                "sent": sent % {"date": day(row["sent_at"])} if row["sent_at"] else "",
                "comments": ngettext("%(counter)s kommentti", "%(counter)s kommenttia", count)
                % {"counter": count}
                if count
                else no_comments,
            }
        )
    return result, total


def new_comments(record_status: str) -> tuple[list[dict], int]:
    """The regions' newest comments on the records in this status (a ministry official sees
    every record), each under its section's title, read as values.

    The status is filtered on the joined record, not by `record__in` a records query: on
    PostgreSQL that semi-join made the planner spend several milliseconds on the nine
    relations, and picked a slower plan too."""
    rows, total = _with_total(
        RecordComment.objects.filter(section__record__status=record_status)
        .order_by("-created_at", "-pk")
        .values(
            "pk",
            "text",
            "created_at",
            "author_id",
            *(f"author__{name}" for name in ("first_name", "last_name", "username")),
            "section_id",
            "section__kind",
            *localized_columns("section__round_theme__theme__title"),
            "section__record__negotiation_id",
            "section__record__negotiation__region_theme_title",
            *_names("section__record__negotiation__region"),
        ),
        WAITING_LIMIT,
    )
    record_url = PkUrl("negotiations:record-detail")
    result = []
    for row in rows:
        title = RecordSection.title_of(
            row["section__kind"],
            theme_title=localized_value(row, "section__round_theme__theme__title"),
            region_theme_title=row["section__record__negotiation__region_theme_title"],
        )
        by = (
            full_name(row["author__first_name"], row["author__last_name"], row["author__username"])
            + ", "
            if row["author_id"]
            else ""
        )
        result.append(
            {
                "pk": str(row["pk"]),
                "url": f"{record_url(row['section__record__negotiation_id'])}"
                f"#section-{row['section_id']}",
                "heading": f"{_name(row, 'section__record__negotiation__region')}: {title}",
                "text": truncatewords(row["text"], 25),
                "by": f"{by}{day(row['created_at'])}",
            }
        )
    return result, total


def round_rows(rounds: list[Round]) -> list[dict]:
    """Every round as the table says it, as text (a number is localised on output)."""
    kinds = {kind.value: str(kind.label) for kind in Round.Kind}
    statuses = {status.value: str(status.label) for status in Round.Status}
    detail = PkUrl("negotiations:round-detail")
    return [
        {
            "url": detail(round_.pk),
            "name": round_.name,
            "kind": kinds.get(round_.kind, round_.kind),
            "period": f"{day(round_.period_start)}–{day(round_.period_end)}",
            "status": statuses.get(round_.status, round_.status),
            "lead_ministry": round_.lead_ministry,
            "negotiations": str(round_.negotiation_count),
        }
        for round_ in rounds
    ]


def ministry_tasks(user: User, today: datetime.date) -> dict:
    rounds = list(Round.objects.for_user(user).with_negotiation_count())

    reports = (
        SituationReport.objects.for_user(user)
        .submitted()
        .filter(negotiation__round__status__in=SituationReport.OPEN_ROUND_STATUSES)
    )
    # Sent for comments: the region has had it, the ministry approves it next.
    records = Record.objects.for_user(user).filter(status=Record.Status.COMMENTS)
    reports_waiting, reports_waiting_count = waiting_reports(reports)
    records_waiting, records_waiting_count = waiting_records(records)
    comments, comments_count = new_comments(Record.Status.COMMENTS)
    return {
        "rounds": rounds,
        "round_rows": round_rows(rounds),
        "current_rounds": current_rounds(user, rounds, today),
        "waiting_reports": reports_waiting,
        "waiting_reports_count": reports_waiting_count,
        "waiting_records": records_waiting,
        "waiting_records_count": records_waiting_count,
        "new_comments": comments,
        "new_comments_count": comments_count,
        "waiting_limit": WAITING_LIMIT,
    }


# --- a regional preparer ------------------------------------------------------------------------


def preparer_tasks(user: User, today: datetime.date) -> dict:
    negotiations = list(
        Negotiation.objects.for_user(user)
        .select_related("round", "region")
        .order_by("-round__period_start", "round_id", f"region__name_{language_code()}")
    )
    current = [n for n in negotiations if n.round.status != Round.Status.CLOSED]
    # A region never sees a record the ministry is still drafting: Record.objects.for_user
    # leaves it out, and the task says the record has not come to the region yet.
    records = {
        record.negotiation_id: record
        for record in Record.objects.for_user(user).filter(
            negotiation__in=[n.pk for n in negotiations]
        )
    }
    # The negotiations are the user's (for_user above): their reports need no second scope.
    reports = {
        report.negotiation_id: report
        for report in SituationReport.objects.filter(negotiation__in=[n.pk for n in current])
    }
    for negotiation in negotiations:
        negotiation.visible_record = records.get(negotiation.pk)
    for negotiation in current:
        negotiation.visible_report = reports.get(negotiation.pk)
        deadline = negotiation.round.report_deadline
        negotiation.report_due = Deadline(deadline, today) if deadline else None
    open_actions, counts = open_action_rows(
        # What FollowUpAction.objects.for_user() gives: the actions of the records the user
        # sees, which are these.
        FollowUpAction.objects.filter(section__record__in=[r.pk for r in records.values()]),
        today,
    )
    return {
        "own_regions": list(Region.objects.prepared_by(user)),
        "negotiations": negotiations,
        "negotiation_rows": negotiation_rows(negotiations),
        "current_negotiations": current,
        "open_actions": open_actions,
        "open_action_count": counts["open"],
        "overdue_action_count": counts["overdue"],
        "action_limit": ACTION_LIMIT,
    }


def negotiation_rows(negotiations: list[Negotiation]) -> list[dict]:
    """Every negotiation of the user's regions as the table says it, its links reversed once."""
    kinds = {kind.value: str(kind.label) for kind in Region.Kind}
    records = {status.value: capfirst(str(status.label)) for status in Record.Status}
    detail, report, record, calendar = (
        PkUrl(f"negotiations:{name}")
        for name in ("negotiation-detail", "report-detail", "record-detail", "negotiation-calendar")
    )
    rows = []
    for negotiation in negotiations:
        round_, region, visible_record = (
            negotiation.round,
            negotiation.region,
            negotiation.visible_record,
        )
        pk = negotiation.pk
        rows.append(
            {
                "url": detail(pk),
                "round": round_.name,
                "region": region.name,
                "kind": kinds.get(region.kind, region.kind),
                # As _negotiation_time.html reads them from a negotiation.
                "is_scheduled": negotiation.is_scheduled,
                "time_datetime": negotiation.time_datetime,
                "time_label": negotiation.time_label,
                "report_url": report(pk) if round_.status != Round.Status.PLANNING else "",
                "record_url": record(pk) if visible_record else "",
                "record": records.get(visible_record.status, "") if visible_record else "",
                "calendar_url": calendar(pk) if negotiation.is_scheduled else "",
            }
        )
    return rows


def open_action_rows(actions: QuerySet, today: datetime.date) -> tuple[list[dict], dict]:
    """The open actions due first, as the table says them, and how many are open and overdue
    in all (windows over the whole set, in the same query)."""
    rows = list(
        actions.open()
        .annotate(
            open_total=Window(Count("pk")),
            overdue_total=Window(Count("pk", filter=Q(due_date__lt=today))),
        )
        .order_by(F("due_date").asc(nulls_last=True), "-negotiation__round__period_start", "pk")
        .values(
            "pk",
            "what",
            "due_date",
            "responsible",
            "owner",
            "status",
            "open_total",
            "overdue_total",
            "section__round_theme_id",
            "negotiation__region_theme_title",
            *localized_columns("section__round_theme__theme__title"),
            *_names("negotiation__round"),
            *_names("negotiation__region"),
        )[:ACTION_LIMIT]
    )
    if not rows:
        return [], {"open": 0, "overdue": 0}
    responsible = {v: capfirst(str(label)) for v, label in FollowUpAction.Responsible.choices}
    statuses = {v: capfirst(str(label)) for v, label in FollowUpAction.Status.choices}
    edit_url = PkUrl("negotiations:action-edit")
    result = []
    for row in rows:
        if row["section__round_theme_id"]:
            # theme_title(): the round theme's title, else the region's own theme.
            theme = localized_value(row, "section__round_theme__theme__title")
        else:
            theme = row["negotiation__region_theme_title"]
        due = row["due_date"]
        result.append(
            {
                "url": edit_url(row["pk"]),
                "what": truncatewords(row["what"], 30),
                "theme": theme,
                "due": day(due) if due else "",
                "is_late": bool(due and due < today),
                "responsible": responsible.get(row["responsible"], row["responsible"]),
                "owner": row["owner"],
                "status": statuses.get(row["status"], row["status"]),
                "round": _name(row, "negotiation__round"),
                "region": _name(row, "negotiation__region"),
            }
        )
    return result, {"open": rows[0]["open_total"], "overdue": rows[0]["overdue_total"]}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
