"""Calendar downloads: one negotiation as .ics, and a round's feed for calendar subscriptions."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from negotiations.access import get_negotiation_for_user
from negotiations.calendar import build_calendar
from negotiations.models import Negotiation, Round

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _filename_part(name: str) -> str:
    # slugify drops the en dash of Vantaa–Kerava; keep the two words apart.
    return slugify(name.replace("–", "-"))


@require_safe
def round_calendar(request: HttpRequest, pk: int, token: uuid.UUID) -> HttpResponse:
    """Calendar programs cannot log in: the round's secret token in the URL is the key."""
    round_ = get_object_or_404(Round, pk=pk, calendar_token=token)
    negotiations = (
        Negotiation.objects.in_round(round_)
        .scheduled()
        .select_related("region", "round", "chair")
        .order_by("date", "start_time", "region__name_fi")
    )
    calendar = build_calendar(negotiations, name=round_.name)
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{_filename_part(round_.name_fi)}.ics"'
    return response


@login_required
@require_safe
def negotiation_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_user(request, pk)
    if not negotiation.is_scheduled:
        raise Http404
    calendar = build_calendar([negotiation], name=negotiation.round.name)
    filename = f"neuvottelu-{negotiation.round.year}-{_filename_part(negotiation.region.name_fi)}"
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response
