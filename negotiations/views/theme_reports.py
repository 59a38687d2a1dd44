"""One theme of a round across every region's submitted situation report, side by side."""

from django.contrib.auth.decorators import login_required
from django.db.models import F, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from negotiations.access import get_round_for_ministry
from negotiations.forms.dashboard import AreaFilterForm
from negotiations.models import ReportSection, RoundTheme, SituationReport
from regions.localized import language_code
from regions.models import CooperationArea


@require_safe
@login_required
@vary_on_headers("HX-Request")
def theme_reports(request: HttpRequest, pk: int, round_theme_pk: int) -> HttpResponse:
    round_ = get_round_for_ministry(request, pk)
    round_theme = get_object_or_404(
        RoundTheme.objects.filter(round=round_).select_related("theme"), pk=round_theme_pk
    )
    form = AreaFilterForm(request.GET, areas=list(CooperationArea.objects.all()))
    filters = form.filters()
    negotiations = round_.negotiations.select_related("region")
    if filters["area"]:
        negotiations = negotiations.filter(region__cooperation_area__code=filters["area"])
    # One query for every region, whatever their number: the report's state comes through a
    # LEFT JOIN and this theme's text from a subquery. A report submitted before the theme
    # was added to the round has no section for it; its text is then simply missing.
    section_text = ReportSection.objects.filter(
        report__negotiation=OuterRef("pk"), round_theme=round_theme
    ).values("text")[:1]
    negotiations = negotiations.annotate(
        report_status=F("report__status"),
        submitted_at=F("report__submitted_at"),
        is_late=F("report__is_late"),
        section_text=Subquery(section_text),
    ).order_by(f"region__name_{language_code()}", "pk")
    submitted, not_submitted = [], []
    for negotiation in negotiations:
        is_submitted = negotiation.report_status == SituationReport.Status.SUBMITTED
        (submitted if is_submitted else not_submitted).append(negotiation)
    context = {
        "round": round_,
        "round_theme": round_theme,
        "form": form,
        "filters": filters,
        "submitted": submitted,
        "not_submitted": not_submitted,
    }
    # A history restore (back button with htmx's cache empty) needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "negotiations/round_theme_reports.html#results", context)
    context["round_themes"] = round_.round_themes.select_related("theme")
    return render(request, "negotiations/round_theme_reports.html", context)
