"""The round dashboard: one row per region of a round, filtered and sorted from the query string."""

from django.contrib.auth.decorators import login_required
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from negotiations.access import get_round_for_ministry
from negotiations.forms.dashboard import DashboardFilterForm
from negotiations.models import FollowUpAction, SituationReport
from regions.localized import language_code
from regions.models import CooperationArea


def with_progress(negotiations: QuerySet) -> QuerySet:
    """Situation report status, record status and open follow-up actions of each negotiation.

    The report status comes from the reverse one-to-one through a LEFT JOIN, so a missing
    report costs no query (and cannot raise like a missing `negotiation.report` would); a
    report nobody has written in yet reads "not started" like a missing one.
    Open follow-up actions are counted in a subquery per row. Records do not exist yet:
    every record is "not started"; the issue that adds them replaces that annotation. The
    template reads only these names.
    """
    not_started = _("Ei aloitettu")
    written = (
        SituationReport.Status.DRAFT,
        SituationReport.Status.SUBMITTED,
        SituationReport.Status.RETURNED,
    )
    return negotiations.annotate(
        report_status_label=Case(
            *(When(report__status=s, then=Value(capfirst(str(s.label)))) for s in written),
            default=Value(not_started),
            output_field=CharField(),
        ),
        report_is_late=Coalesce(F("report__is_late"), Value(False)),
        record_status_label=Value(not_started, output_field=CharField()),
        # A subquery, not Count() over a join: no GROUP BY across the row's other joins.
        open_action_count=Coalesce(
            Subquery(
                FollowUpAction.objects.open()
                .filter(negotiation=OuterRef("pk"))
                .order_by()
                .values("negotiation")
                .annotate(count=Count("pk"))
                .values("count"),
                output_field=IntegerField(),
            ),
            0,
        ),
    )


def filter_negotiations(negotiations: QuerySet, filters: dict[str, str]) -> QuerySet:
    if filters["area"]:
        negotiations = negotiations.filter(region__cooperation_area__code=filters["area"])
    submitted = Q(report__status=SituationReport.Status.SUBMITTED)
    if filters["status"] == DashboardFilterForm.SCHEDULED:
        negotiations = negotiations.filter(date__isnull=False)
    elif filters["status"] == DashboardFilterForm.UNSCHEDULED:
        negotiations = negotiations.filter(date__isnull=True)
    elif filters["status"] == DashboardFilterForm.REPORT_SUBMITTED:
        negotiations = negotiations.filter(submitted)
    elif filters["status"] == DashboardFilterForm.REPORT_UNFINISHED:
        # exclude() also keeps the negotiations that have no report at all.
        negotiations = negotiations.exclude(submitted)
    region_name = f"region__name_{language_code()}"
    if filters["sort"] == DashboardFilterForm.REGION:
        return negotiations.order_by(region_name)
    if filters["sort"] == DashboardFilterForm.DATE_DESC:
        return negotiations.order_by(
            F("date").desc(nulls_last=True), F("start_time").desc(nulls_last=True), region_name
        )
    # Unscheduled negotiations last in both date orders: they are the ones still to plan.
    return negotiations.order_by(
        F("date").asc(nulls_last=True), F("start_time").asc(nulls_last=True), region_name
    )


@require_safe
@login_required
@vary_on_headers("HX-Request")
def round_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_ministry(request, pk)
    form = DashboardFilterForm(request.GET, areas=list(CooperationArea.objects.all()))
    filters = form.filters()
    negotiations = list(
        with_progress(
            filter_negotiations(
                round_.negotiations.select_related("region", "region__cooperation_area", "chair"),
                filters,
            )
        )
    )
    context = {
        "round": round_,
        "form": form,
        "filters": filters,
        "negotiations": negotiations,
    }
    # A history restore (back button with htmx's cache empty) needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "negotiations/round_dashboard.html#results", context)
    context["round_themes"] = round_.round_themes.select_related("theme")
    return render(request, "negotiations/round_dashboard.html", context)
