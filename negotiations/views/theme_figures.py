"""The region's full figures for one round theme's indicators: both charts with their tables
and the source, for each indicator.

The situation report, the record and the negotiation page show each theme's figures folded,
with only the summary line in the page; opening the disclosure loads this partial in place
(htmx), and its link opens this page without JavaScript. Writes nothing.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from negotiations.access import get_negotiation_for_user
from negotiations.display import heading_level
from negotiations.documents import theme_figures

# The heading level of the indicators' names on the page; in the partial the disclosure says
# where it sits (3 under a theme's h2 on the report and the record, 4 under an h3 on the
# negotiation page).
PAGE_HEADING_LEVEL = 2


@login_required
@require_safe
@vary_on_headers("HX-Request")
def theme_figures_page(request: HttpRequest, pk: int, round_theme_pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_user(request, pk)
    round_theme = get_object_or_404(
        negotiation.round.round_themes.select_related("theme"), pk=round_theme_pk
    )
    context = {
        "negotiation": negotiation,
        "round_theme": round_theme,
        "figures": theme_figures([round_theme], negotiation.region)[round_theme.pk],
    }
    if request.htmx:
        context["heading_level"] = heading_level(request.GET.get("level", ""), 3)
        return render(request, "negotiations/theme_figures.html#figures", context)
    context["heading_level"] = PAGE_HEADING_LEVEL
    return render(request, "negotiations/theme_figures.html", context)
