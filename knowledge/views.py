"""The knowledge base's pages: the index, a region's profile and an indicator's table.

Indicator data is public (THL's and Statistics Finland's open figures), so these pages are
for everyone, signed in or not. They show the regions' indicator figures and nothing else
of a region: no negotiation, report or record, which stay behind `Region.objects.for_user()`.
"""

from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from knowledge import charts
from knowledge.figures import figures_for, rank
from knowledge.forms import IndicatorTableForm
from knowledge.models import RANKED_KINDS, Indicator, IndicatorValue
from pagecache.pages import cached_page
from regions.models import Region


@require_safe
@cached_page("knowledge")
def knowledge_index(request: HttpRequest) -> HttpResponse:
    indicators = Indicator.objects.annotate(
        first_year=Min("values__year"), last_year=Max("values__year"), value_count=Count("values")
    )
    regions = list(Region.objects.select_related("cooperation_area"))
    context = {
        "indicators": indicators,
        "counties": [r for r in regions if r.kind in RANKED_KINDS],
        "joint_authorities": [r for r in regions if r.kind == Region.Kind.JOINT_AUTHORITY],
        "maakunnat": [r for r in regions if r.kind == Region.Kind.MAAKUNTA],
    }
    return render(request, "knowledge/index.html", context)


@require_safe
@cached_page("knowledge")
def region_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """Every indicator of one region, years as columns, and each indicator's figures."""
    region = get_object_or_404(Region.objects.select_related("cooperation_area"), pk=pk)
    figures = figures_for(region, Indicator.objects.all())
    context = {
        "region": region,
        "figures": figures,
        "years": figures.years,
        "predecessors": list(region.predecessors.all()),
        "successors": list(region.successors.all()),
    }
    return render(request, "knowledge/region_profile.html", context)


@require_safe
@cached_page("knowledge")
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One indicator for a year: every county and Helsinki, sorted by value or name, with
    the cooperation areas and the whole country; the year and order from the query string."""
    indicator = get_object_or_404(Indicator, pk=pk)
    values = IndicatorValue.objects.for_indicator(indicator)
    years = sorted(set(values.values_list("year", flat=True).order_by()))
    form = IndicatorTableForm(request.GET, years=years)
    year, order = form.year, form.order

    counties, areas, country = [], [], None
    if year is not None:
        rows = values.in_year(year).select_related("region__cooperation_area", "cooperation_area")
        for row in rows.order_by():
            if row.whole_country:
                country = row.value
            elif row.cooperation_area_id:
                areas.append((row.cooperation_area, row.value))
            elif row.region.kind in RANKED_KINDS:
                counties.append((row.region, row.value))
    ranking = rank(counties, indicator.direction, highlighted=set())
    ranking = sort_rows(ranking, order)
    areas = sort_rows(areas, order)
    context = {
        "indicator": indicator,
        "form": form,
        "year": year,
        "order": order,
        "ranking": ranking,
        "areas": areas,
        "country": country,
        # The figures partial's bar chart reads only `figures.bar_chart`.
        "chart_figures": {
            "bar_chart": charts.bar_chart(
                rank(counties, indicator.direction, highlighted=set()),
                indicator,
                year,
                maakunnat=False,
                chart_id=f"k{indicator.pk}-bars",
            )
        },
        "orders": {
            "VALUE_DESC": IndicatorTableForm.VALUE_DESC,
            "VALUE_ASC": IndicatorTableForm.VALUE_ASC,
            "NAME": IndicatorTableForm.NAME,
        },
    }
    status = 400 if form.errors else 200
    return render(request, "knowledge/indicator_detail.html", context, status=status)


def sort_rows(rows: list, order: str) -> list:
    """Rows of (place, value) or `Ranked`, in the chosen order; equal values by name."""

    def place_and_value(row) -> tuple:
        return (row.region, row.value) if hasattr(row, "rank") else row

    def name(row) -> str:
        return place_and_value(row)[0].name.casefold()

    if order == IndicatorTableForm.NAME:
        return sorted(rows, key=name)
    descending = order == IndicatorTableForm.VALUE_DESC
    by_name = sorted(rows, key=name)
    return sorted(by_name, key=lambda row: place_and_value(row)[1], reverse=descending)
