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
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Record,
    RecordComment,
    RecordEvent,
    Round,
    SituationReport,
)
from negotiations.views.actions import theme_title
from negotiations.views.dashboard import (
    Deadline,
    OpenActions,
    Progress,
    progress_counts,
)
from regions.forms import LoginForm
from regions.localized import language_code
from regions.models import Region
from regions.roles import is_ministry_official

# Each list of things waiting shows this many, and says how many there are in all.
WAITING_LIMIT = 10
ACTION_LIMIT = 20


@require_safe
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
    """The rounds not yet closed, each with its next date and its figures."""
    current = [round_ for round_ in rounds if round_.status != Round.Status.CLOSED]
    if not current:
        return []
    negotiations = Negotiation.objects.for_user(user).filter(round__in=current).order_by()
    counts = {
        row["round"]: row for row in negotiations.values("round").annotate(**progress_counts(today))
    }
    regions = defaultdict(set)
    for round_id, region_id in negotiations.values_list("round_id", "region_id"):
        regions[round_id].add(region_id)
    actions = OpenActions(
        set().union(*regions.values()),
        until=max(round_.period_start for round_ in current),
        today=today,
    )
    no_negotiations = dict.fromkeys(progress_counts(today), 0) | {"next_date": None}
    result = []
    for round_ in current:
        row = counts.get(round_.pk, no_negotiations)
        result.append(
            {
                "round": round_,
                "next": next_step(round_, row["next_date"], today),
                "summary": Progress.from_counts(
                    round_, row, actions.of(round_, regions[round_.pk])
                ),
            }
        )
    return result


def ministry_tasks(user: User, today: datetime.date) -> dict:
    rounds = list(Round.objects.for_user(user).with_negotiation_count())

    reports = (
        SituationReport.objects.for_user(user)
        .submitted()
        .filter(negotiation__round__status__in=SituationReport.OPEN_ROUND_STATUSES)
    )
    # Sent for comments: the region has had it, the ministry approves it next.
    records = Record.objects.for_user(user).filter(status=Record.Status.COMMENTS)
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
    comments = RecordComment.objects.filter(section__record__in=records)
    return {
        "rounds": rounds,
        "current_rounds": current_rounds(user, rounds, today),
        "waiting_reports": list(
            reports.select_related("negotiation__round", "negotiation__region").order_by(
                "submitted_at", "pk"
            )[:WAITING_LIMIT]
        ),
        "waiting_reports_count": reports.count(),
        "waiting_records": list(
            records.select_related("negotiation__round", "negotiation__region")
            .annotate(sent_at=Subquery(sent_at), comment_count=Subquery(comment_count))
            .order_by(F("sent_at").asc(nulls_last=True), "pk")[:WAITING_LIMIT]
        ),
        "waiting_records_count": records.count(),
        "new_comments": list(
            comments.select_related(
                "author",
                "section__round_theme__theme",
                "section__record__negotiation__round",
                "section__record__negotiation__region",
            ).order_by("-created_at", "-pk")[:WAITING_LIMIT]
        ),
        "new_comments_count": comments.count(),
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
    reports = {
        report.negotiation_id: report
        for report in SituationReport.objects.for_user(user).filter(
            negotiation__in=[n.pk for n in current]
        )
    }
    for negotiation in negotiations:
        negotiation.visible_record = records.get(negotiation.pk)
    for negotiation in current:
        negotiation.visible_report = reports.get(negotiation.pk)
        deadline = negotiation.round.report_deadline
        negotiation.report_due = Deadline(deadline, today) if deadline else None

    actions = FollowUpAction.objects.for_user(user).open()
    open_actions = list(
        actions.select_related(
            "negotiation__round", "negotiation__region", "section__round_theme__theme"
        ).order_by(F("due_date").asc(nulls_last=True), "-negotiation__round__period_start", "pk")[
            :ACTION_LIMIT
        ]
    )
    for action in open_actions:
        action.theme_title = theme_title(action)
        action.is_late = action.is_overdue(today)
    action_counts = actions.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today))
    )
    return {
        "own_regions": list(Region.objects.prepared_by(user)),
        "negotiations": negotiations,
        "current_negotiations": current,
        "open_actions": open_actions,
        "open_action_count": action_counts["open"],
        "overdue_action_count": action_counts["overdue"],
        "action_limit": ACTION_LIMIT,
    }


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
