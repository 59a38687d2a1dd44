"""The national objectives a round theme covers, beside the theme in reports and records."""

from collections.abc import Iterable

from django import template
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import NoReverseMatch, reverse

from knowledge.models import Indicator, NationalObjective

register = template.Library()

OBJECTIVES_WITH_INDICATORS = NationalObjective.objects.prefetch_related(
    Prefetch("indicators", queryset=Indicator.objects.order_by("name_fi"))
)


def prefetch_theme_objectives(round_themes: Iterable) -> None:
    """Each round theme's objectives and their indicators: two queries for all of them."""
    prefetch_related_objects(
        [rt for rt in round_themes if rt is not None],
        Prefetch("objectives", queryset=OBJECTIVES_WITH_INDICATORS),
    )


@register.simple_tag
def prefetch_objectives(sections: Iterable) -> str:
    """`{% prefetch_objectives document.sections %}` before a loop that shows each theme
    section's objectives, so that the loop makes no query per section."""
    prefetch_theme_objectives(section.round_theme for section in sections if section.round_theme_id)
    return ""


@register.filter
def indicator_url(indicator: Indicator) -> str:
    """The indicator's page in the knowledge base, or "" where there is none."""
    try:
        return reverse("knowledge:indicator-detail", args=[indicator.pk])
    except NoReverseMatch:
        return ""
