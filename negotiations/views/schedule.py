"""The schedule of a round, one row per negotiation, and the page of one negotiation.

Managing (saving a row, participants, the region theme) is for ministry officials; a region's
preparer reads their own negotiation's page.
"""

import copy
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from negotiations import services
from negotiations.access import get_negotiation_for_user, get_round_for_ministry
from negotiations.emails import region_preparers
from negotiations.forms.schedule import (
    NegotiationScheduleForm,
    ParticipantForm,
    RegionThemeForm,
    chair_choices,
)
from negotiations.models import Negotiation, Participant, Record, Round, SituationReport
from negotiations.models.schedule import REGION_THEME_NOT_ALLOWED
from negotiations.overlaps import Overlap, find_overlaps
from negotiations.services import schedule_negotiation
from regions.roles import is_ministry_official

NOT_SAVED = gettext_lazy("Ei tallennettu: korjaa rivin virheet.")


@dataclass
class ScheduleRow:
    negotiation: Negotiation
    form: NegotiationScheduleForm
    overlaps: list[Overlap] = field(default_factory=list)
    status: str = ""


def _render_schedule(
    request: HttpRequest,
    round_: Round,
    *,
    bound: NegotiationScheduleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    negotiations = list(
        round_.negotiations.select_related("region", "chair").order_by(
            "region__kind", "region__code"
        )
    )
    overlaps = find_overlaps(negotiations)
    choices = chair_choices()
    rows = []
    for negotiation in negotiations:
        if bound is not None and bound.instance.pk == negotiation.pk:
            form, row_status = bound, NOT_SAVED
        else:
            form = NegotiationScheduleForm(instance=negotiation, chair_choices=choices)
            row_status = ""
        rows.append(ScheduleRow(negotiation, form, overlaps.get(negotiation.pk, []), row_status))
    return render(
        request,
        "negotiations/round_schedule.html",
        {"round": round_, "rows": rows, "form": bound},
        status=status,
    )


@login_required
@require_safe
def round_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_schedule(request, get_round_for_ministry(request, pk))


@login_required
@require_POST
def negotiation_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one row of the schedule: htmx gets the row back, a plain POST is redirected."""
    negotiation = get_negotiation_for_user(request, pk, manage=True)
    # The form validates a copy: the service compares the stored time with the new one.
    form = NegotiationScheduleForm(request.POST, instance=copy.copy(negotiation))
    saved = notified = False
    if form.is_valid():
        try:
            notified = schedule_negotiation(negotiation=negotiation, **form.schedule_changes())
            saved = True
            # The service tells the region also when it has nobody with an e-mail address.
            notified = notified and region_preparers(negotiation.region).exists()
        except ValidationError as error:
            negotiation.refresh_from_db()
            form.add_error(None, error)

    if not saved:
        status = NOT_SAVED
    elif notified:
        status = _("Tallennettu. Alueen valmistelijoille lähti ilmoitus sähköpostilla.")
    else:
        status = _("Tallennettu.")

    if request.htmx:
        row = ScheduleRow(
            negotiation,
            NegotiationScheduleForm(instance=negotiation) if saved else form,
            find_overlaps([negotiation]).get(negotiation.pk, []),
            status,
        )
        # 200 also for errors: htmx swaps only successful responses.
        return render(
            request,
            "negotiations/round_schedule.html#row",
            {"round": negotiation.round, "row": row},
        )
    if saved:
        messages.success(
            request,
            _("Alueen %(region)s aikataulu: %(status)s")
            % {"region": negotiation.region, "status": status},
        )
        url = reverse("negotiations:round-schedule", args=[negotiation.round_id])
        return redirect(f"{url}#row-{negotiation.pk}")
    return _render_schedule(request, negotiation.round, bound=form, status=400)


@dataclass
class PersonEntry:
    """A line in the participant list: a participant, or the chair when not one of them."""

    name: str
    organisation: str = ""
    title: str = ""
    is_chair: bool = False
    participant: Participant | None = None


def _participant_groups(negotiation: Negotiation) -> list[dict]:
    participants = list(negotiation.participants.select_related("user"))
    by_side: dict[str, list[PersonEntry]] = {side: [] for side in Participant.Side.values}
    for participant in participants:
        by_side[participant.side].append(
            PersonEntry(
                name=participant.display_name,
                organisation=participant.organisation,
                title=participant.title,
                is_chair=bool(participant.user_id) and participant.user_id == negotiation.chair_id,
                participant=participant,
            )
        )
    chair = negotiation.chair
    if chair is not None and not any(p.user_id == chair.pk for p in participants):
        by_side[Participant.Side.MINISTRY].insert(
            0, PersonEntry(name=chair.get_full_name() or chair.get_username(), is_chair=True)
        )
    return [
        {"side": side, "label": Participant.Side(side).label, "people": people}
        for side, people in by_side.items()
        if people
    ]


def render_detail(
    request: HttpRequest,
    negotiation: Negotiation,
    *,
    participant_form: ParticipantForm | None = None,
    theme_form: RegionThemeForm | None = None,
    assessment_form=None,
    status: int = 200,
) -> HttpResponse:
    manage = is_ministry_official(request.user)
    context = {
        "negotiation": negotiation,
        "round": negotiation.round,
        "groups": _participant_groups(negotiation),
        "manage": manage,
        "report": SituationReport.objects.filter(negotiation=negotiation).first(),
        "record": Record.objects.for_user(request.user).filter(negotiation=negotiation).first(),
    }
    if manage:
        context["participant_form"] = participant_form or ParticipantForm(negotiation=negotiation)
        if negotiation.round.allows_region_theme:
            context["theme_form"] = theme_form or RegionThemeForm(negotiation=negotiation)
        context["overlaps"] = find_overlaps([negotiation]).get(negotiation.pk, [])
        context["assessment_form"] = assessment_form
    return render(request, "negotiations/negotiation_detail.html", context, status=status)


def _detail_url(negotiation: Negotiation, section: str) -> str:
    return reverse("negotiations:negotiation-detail", args=[negotiation.pk]) + f"#{section}"


@login_required
@require_safe
def negotiation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, get_negotiation_for_user(request, pk))


@login_required
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_user(request, pk, manage=True)
    form = ParticipantForm(request.POST, negotiation=negotiation)
    if form.is_valid():
        try:
            participant = negotiation.add_participant(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s lisättiin osallistujaksi.") % {"name": participant.display_name},
            )
            return redirect(_detail_url(negotiation, "participants"))
    return render_detail(request, negotiation, participant_form=form, status=400)


@login_required
@require_POST
def participant_delete(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_user(request, pk, manage=True)
    participant = get_object_or_404(
        negotiation.participants.select_related("user"), pk=participant_pk
    )
    name = participant.display_name
    services.remove_participant(participant=participant)
    messages.success(request, _("%(name)s poistettiin osallistujista.") % {"name": name})
    return redirect(_detail_url(negotiation, "participants"))


@login_required
@require_POST
def region_theme(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_user(request, pk, manage=True)
    if not negotiation.round.allows_region_theme:
        messages.error(request, REGION_THEME_NOT_ALLOWED)
        return render_detail(request, negotiation, status=400)
    form = RegionThemeForm(request.POST, negotiation=negotiation)
    if form.is_valid():
        try:
            services.set_region_theme(
                negotiation=negotiation,
                title=form.cleaned_data["region_theme_title"],
                questions=form.cleaned_data["region_theme_questions"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Aluekohtainen teema tallennettiin."))
            return redirect(_detail_url(negotiation, "region-theme"))
    return render_detail(request, negotiation, theme_form=form, status=400)
